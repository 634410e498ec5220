import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type BuiltImage,
  type ContainerEngine,
  freePort,
  isReady,
  startProducer,
  uniqueName,
  waitFor,
} from '../../../harness/index.js';
import { type Manifest, renderChart } from '../../../harness/k8s/helm.js';
import { playKube } from '../../../harness/k8s/kube-play.js';
import { BUILD_TIMEOUT_MS, buildImages, expectNoContainersLeft } from '../../support/containers/images.js';
import { checkDelivery } from '../../support/delivery-check.js';
import { createStreamTopics } from '../../support/stream-topics.js';
import { testKafka } from '../../support/test-kafka.js';

// The scorer's pod as the chart renders it, run by podman's `kube play` with the image "Ship what runs" builds:
// the same container spec (user, read-only root, dropped capabilities, probes, ConfigMap, emptyDir) a kubelet
// would run. Two changes for one machine: the pod shares the host's network (the harness broker listens on
// 127.0.0.1), so its HTTP port is moved to a free one.

let engine: ContainerEngine;
let scorer: BuiltImage;

beforeAll(async () => {
  ({
    engine,
    images: { scorer },
  } = await buildImages(['scorer']));
}, BUILD_TIMEOUT_MS);
afterAll(() => expectNoContainersLeft(engine));

/**
 * The host-network variant of the rendered Deployment: hostNetwork, HTTP on `port` instead of 8080, the probes on
 * that port by number (podman turns declared container ports into port mappings, which a host network refuses).
 */
function onHostNetwork(deployment: Manifest, port: number): Manifest {
  const copy = structuredClone(deployment);
  const pod = copy.spec.template.spec;
  pod.hostNetwork = true;
  const container = pod.containers[0];
  delete container.ports;
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
    container[probe].httpGet.port = port;
  const env = container.env.find((e: { name: string }) => e.name === 'HTTP_PORT');
  env.value = String(port);
  return copy;
}

describe('the rendered scorer pod under podman kube play', () => {
  it('runs locked down as uid 1000, scores what the producer sends, and stops cleanly', async () => {
    const kafka = testKafka();
    const topics = await createStreamTopics(kafka);
    const group = uniqueName('pod');
    const brokers = inject('kafkaBrokers');
    const result = await renderChart(
      [
        `images.scorer=${scorer.tag}`,
        'images.pullPolicy=Never',
        `kafka.brokers=${brokers.join(',')}`,
        `kafka.ridesTopic=${topics.rides}`,
        `kafka.predictionsTopic=${topics.predictions}`,
        `kafka.dlqTopic=${topics.deadLetters}`,
        `scorer.group=${group}`,
        'scorer.autoscaling.enabled=false',
        'web.enabled=false',
        'evaluator.enabled=false', // the scorer's pod alone (its Deployment would otherwise come second)
      ],
      { release: 'pod', namespace: 'rides' },
    );
    if (!result.ok) throw new Error(result.error);
    const config = result.manifests.find((m) => m.kind === 'ConfigMap')!;
    const deployment = result.manifests.find((m) => m.kind === 'Deployment')!;
    expect(deployment.metadata.name).toBe('pod-ride-duration-scorer');
    const port = await freePort();
    const played = await playKube(engine, [config, onHostNetwork(deployment, port)]);
    try {
      expect(played.containers).toHaveLength(1);
      const container = played.containers[0]!;
      const logs = async () => (await engine.run(['logs', container])).output;
      await waitFor(
        () => isReady(port),
        90_000,
        () => 'the pod never became ready',
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}; its logs:\n${await logs()}`);
      });
      const status = (await engine.checked(['exec', container, 'cat', '/proc/1/status'])).stdout;
      expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      // The root filesystem is read-only; /tmp (the chart's emptyDir) is writable.
      expect((await engine.run(['exec', container, 'touch', '/app-write-test'])).code).not.toBe(0);
      expect((await engine.run(['exec', container, 'touch', '/tmp/write-test'])).code).toBe(0);

      const rides = 2000;
      const producer = startProducer({
        brokers,
        ridesTopic: topics.rides,
        args: ['--synthetic', '--limit', String(rides)],
      });
      expect(await producer.exited, producer.output()).toBe(0);
      const report = await checkDelivery(kafka, topics, group, rides);
      expect(report.lost).toEqual([]);
      expect(report.duplicates).toBe(0);

      // A stop as a kubelet does it: SIGTERM, the grace period the chart sets.
      const grace = String(deployment.spec.template.spec.terminationGracePeriodSeconds);
      await engine.checked(['stop', '--time', grace, container]);
      expect(await logs()).toContain('stopped cleanly');
      const exit = await engine.checked(['inspect', '--format', '{{.State.ExitCode}}', container]);
      expect(exit.stdout.trim()).toBe('0');
    } finally {
      await played.down();
    }
  }, 600_000);
});
