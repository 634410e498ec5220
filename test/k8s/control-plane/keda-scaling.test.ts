import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  committedOffsets,
  endOffsets,
  startProducer,
  startStreamScorer,
  uniqueName,
  waitFor,
} from '../../../harness/index.js';
import { type ControlPlane, startControlPlane } from '../../../harness/k8s/control-plane.js';
import { type Manifest, renderChart } from '../../../harness/k8s/helm.js';
import { startKeda } from '../../../harness/k8s/keda.js';
import { KubeApiError, type KubeObject } from '../../../harness/k8s/kube-client.js';
import { createStreamTopics } from '../../support/stream-topics.js';
import { disconnectAfterTest, testKafka } from '../../support/test-kafka.js';

// `npm run test:k8s`: the chart against a real control plane (etcd, kube-apiserver, kube-controller-manager) and
// KEDA (operator and metrics server), all built from the Go module proxy and run as processes here, against the
// integration broker. No kubelet: the Deployment's pods stay Pending, and its replica count is what the HPA
// controller decides from KEDA's lag metric, the same decisions a cluster makes.

const NAMESPACE = 'rides';
let plane: ControlPlane;

beforeAll(async () => {
  const started = performance.now();
  plane = await startControlPlane({ hpaSyncSeconds: 5 });
  await startKeda(plane);
  console.warn(
    `[k8s] control plane and KEDA ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await plane.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, '');
}, 40 * 60_000);
afterAll(async () => {
  await plane?.stop();
});

/** Dry run, then apply, of every manifest in order; the refusals, by object. */
async function applyAll(manifests: readonly Manifest[], dryRun: boolean): Promise<string[]> {
  const refused: string[] = [];
  for (const manifest of manifests) {
    try {
      await plane.client.apply(manifest, NAMESPACE, { dryRun });
    } catch (err) {
      if (!(err instanceof KubeApiError)) throw err;
      refused.push(`${manifest.kind}/${manifest.metadata.name}: ${err.message}`);
    }
  }
  return refused;
}

const rendered = async (set: readonly string[], release: string): Promise<Manifest[]> => {
  const result = await renderChart(set, { release, namespace: NAMESPACE });
  if (!result.ok) throw new Error(result.error);
  return result.manifests;
};

describe('the chart on a real API server', () => {
  it('every manifest passes a server-side dry run and applies; KEDA turns the ScaledObject into an HPA', async () => {
    // Every optional part on: the monitoring objects, the dashboard, the batch CronJob, credentials from Secrets.
    const manifests = await rendered(
      [
        'metrics.serviceMonitor.enabled=true',
        'metrics.dashboard.enabled=true',
        'batch.enabled=true',
        'batch.schedule=0 3 * * *',
        'batch.dataClaim=ride-data',
        'kafka.sasl.mechanism=scram-sha-512',
        'kafka.sasl.secret=kafka-user',
        'kafka.tls.enabled=true',
        'kafka.tls.caSecret=kafka-ca',
        'model.mlflow.trackingUri=http://mlflow:5000',
        'model.mlflow.tokenSecret=mlflow-token',
        'scorer.processingGuarantee=exactly_once',
      ],
      'full',
    );
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      expect.arrayContaining([
        'ConfigMap',
        'CronJob',
        'Deployment',
        'HorizontalPodAutoscaler',
        'PodDisruptionBudget',
      ]),
    );
    expect(await applyAll(manifests, true)).toEqual([]);
    // Nothing stored by the dry run.
    expect(
      await plane.client.get(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/full-ride-duration-scorer`),
    ).toBe(undefined);
    expect(await applyAll(manifests, false)).toEqual([]);

    // The server's own checks are live: a Deployment with a misspelt field and one with a string count are refused.
    const scorer = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name.endsWith('-scorer'))!;
    const broken = structuredClone(scorer);
    broken.spec.template.spec.containers[0].imagePullPolcy = 'Always';
    broken.spec.replicas = 'three';
    const refusals = await applyAll([broken], true);
    expect(refusals.join('\n')).toMatch(/imagePullPolcy|replicas/);

    // KEDA took the ScaledObject up: it resolved the Deployment through its scale subresource and reports whether it
    // can build the Kafka scaler (here it cannot: the release's brokers and Secrets are placeholders).
    const scaled = await waitForObject(
      `/apis/keda.sh/v1alpha1/namespaces/${NAMESPACE}/scaledobjects/full-ride-duration-scorer`,
      (o) => o.status?.scaleTargetKind !== undefined,
    );
    expect(scaled.status.scaleTargetKind).toBe('apps/v1.Deployment');
    expect(scaled.status.conditions.map((c: { type: string }) => c.type)).toContain('Ready');
  }, 300_000);

  it('scales the scorer on lag: up to the partition count under a backlog, back to the minimum once it is drained', async () => {
    const partitions = 4;
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka, partitions);
    const group = uniqueName('k8s-scorer');
    const brokers = inject('kafkaBrokers');
    const release = 'scaling';
    const name = `${release}-ride-duration-scorer`;
    const lagThreshold = 2000;
    const manifests = await rendered(
      [
        `kafka.brokers=${brokers.join(',')}`,
        `kafka.ridesTopic=${topics.rides}`,
        `kafka.predictionsTopic=${topics.predictions}`,
        `kafka.dlqTopic=${topics.deadLetters}`,
        `kafka.inputPartitions=${partitions}`,
        `scorer.group=${group}`,
        `scorer.autoscaling.lagThreshold=${lagThreshold}`,
        'scorer.autoscaling.pollingInterval=2',
        'scorer.autoscaling.cooldownPeriod=10',
        'scorer.autoscaling.scaleDownStabilizationSeconds=30',
        'web.enabled=false',
      ],
      release,
    );
    expect(await applyAll(manifests, false)).toEqual([]);
    // KEDA's HPA: at most the partition count, the chart's scale-down policy.
    const hpa = await waitForObject(
      `/apis/autoscaling/v2/namespaces/${NAMESPACE}/horizontalpodautoscalers/keda-hpa-${name}`,
    );
    expect(hpa.spec.maxReplicas).toBe(partitions);
    expect(hpa.spec.minReplicas).toBe(1);
    expect(hpa.spec.behavior.scaleDown.policies).toEqual([{ type: 'Pods', value: 1, periodSeconds: 30 }]);

    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const trace: TracePoint[] = [];
    const started = Date.now();
    let tracing = true;
    const tracer = (async () => {
      while (tracing) {
        trace.push(await tracePoint(admin, group, topics.rides, name, started));
        await sleep(2000);
      }
    })();
    try {
      // A backlog of 100 lag thresholds: the formula asks for 100 replicas, the partitions cap it at 4.
      const rides = 100 * lagThreshold;
      const producer = startProducer({
        brokers,
        ridesTopic: topics.rides,
        args: ['--synthetic', '--limit', String(rides)],
      });
      expect(await producer.exited, producer.output()).toBe(0);
      await waitFor(
        () => trace.at(-1)?.replicas === partitions,
        180_000,
        () => `replicas never reached ${partitions}:\n${renderTrace(trace)}`,
        { intervalMs: 1000 },
      );

      // The drain: a real stream scorer in the group (pods cannot run without a kubelet) answers the backlog.
      const scorer = await startStreamScorer({ brokers, topics, groupId: group });
      try {
        await waitFor(
          () => trace.at(-1)?.lag === 0,
          180_000,
          () => `the backlog was not drained:\n${renderTrace(trace)}`,
          { intervalMs: 1000 },
        );
        // Stabilisation (30 s), then one member at a time every 30 s (the chart's policy), down to the minimum. The
        // HPA limits a scale-down against the replicas at the start of the policy's period: a window shorter than the
        // period would let it undo a scale-up of the same period at once.
        await waitFor(
          () => trace.at(-1)?.replicas === 1,
          300_000,
          () => `replicas never came back to 1:\n${renderTrace(trace)}`,
          { intervalMs: 1000 },
        );
      } finally {
        expect(await scorer.run.stop(30_000), scorer.run.output()).toBe(0);
      }
    } finally {
      tracing = false;
      await tracer;
      const text = renderTrace(trace);
      writeFileSync(join(plane.dir, '..', `k8s-scaling-trace-${process.pid}.txt`), text);
      console.warn(`[k8s] scaling trace (lag threshold ${lagThreshold}, ${partitions} partitions):\n${text}`);
    }
    const peak = Math.max(...trace.map((p) => p.replicas));
    expect(peak).toBe(partitions);
    // Never above the partition count, and the way down is one member at a time.
    for (let i = 1; i < trace.length; i++) {
      expect(trace[i]!.replicas).toBeLessThanOrEqual(partitions);
      expect(trace[i - 1]!.replicas - trace[i]!.replicas).toBeLessThanOrEqual(1);
    }
  }, 900_000);
});

interface TracePoint {
  seconds: number;
  /** Total lag of the group on the input topic, as the broker reports it. */
  lag: number;
  /** The metric the HPA last read from KEDA (per-replica average of the lag it was given). */
  metric: string;
  desired: number | undefined;
  /** The Deployment's replicas (spec): the scaling decision. */
  replicas: number;
}

async function tracePoint(
  admin: Parameters<typeof committedOffsets>[0],
  group: string,
  topic: string,
  deployment: string,
  started: number,
): Promise<TracePoint> {
  const [committed, ends] = await Promise.all([
    committedOffsets(admin, group, topic),
    endOffsets(admin, topic),
  ]);
  let lag = 0;
  for (const [partition, end] of ends) lag += end - Math.max(committed.get(partition) ?? 0, 0);
  const hpa = await plane.client.get(
    `/apis/autoscaling/v2/namespaces/${NAMESPACE}/horizontalpodautoscalers/keda-hpa-${deployment}`,
  );
  const dep = await plane.client.get(`/apis/apps/v1/namespaces/${NAMESPACE}/deployments/${deployment}`);
  return {
    seconds: Math.round((Date.now() - started) / 1000),
    lag,
    metric: hpa?.status?.currentMetrics?.[0]?.external?.current?.averageValue ?? '-',
    desired: hpa?.status?.desiredReplicas,
    replicas: dep?.spec?.replicas ?? 0,
  };
}

function renderTrace(trace: readonly TracePoint[]): string {
  const rows = trace.map(
    (p) =>
      `${String(p.seconds).padStart(5)} s  lag ${String(p.lag).padStart(7)}  hpa metric ${p.metric.padStart(7)}  desired ${String(p.desired ?? '-').padStart(2)}  replicas ${p.replicas}`,
  );
  return rows.join('\n');
}

async function waitForObject(
  path: string,
  ready: (object: KubeObject) => boolean = () => true,
): Promise<KubeObject> {
  let found: KubeObject | undefined;
  await waitFor(
    async () => {
      found = await plane.client.get(path);
      return found !== undefined && ready(found);
    },
    60_000,
    () => `${path} never appeared: ${JSON.stringify(found?.status ?? found)}`,
    { intervalMs: 500 },
  );
  return found!;
}
