import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEvaluatorConfig } from '../../consumer/src/evaluate/evaluator-config.js';
import { loadConsumerConfig } from '../../consumer/src/stream/consumer-config.js';
import { KEDA, KUBERNETES_API, PROMETHEUS_OPERATOR } from '../../harness/k8s/go-modules.js';
import { CHART_DIR, lintChart, type Manifest, renderChart } from '../../harness/k8s/helm.js';
import { manifestValidator } from '../../harness/k8s/schemas.js';
import { REPO_ROOT } from '../../harness/repo-paths.js';

// The Helm chart in deploy/helm, rendered by the real helm (built from the Go module proxy on first use): what it
// produces with the defaults and with every option on, each object valid for the apiserver (Kubernetes' OpenAPI and
// the KEDA and Prometheus Operator CRDs, unknown fields refused), the invariants a deployment relies on, and the
// values it refuses at install time with a message that names the value and the fix.

const BUILD_TIMEOUT = 600_000; // the first render builds helm (about 1.5 minutes on two cores)

async function render(set: string[] = []): Promise<Manifest[]> {
  const result = await renderChart(set);
  if (!result.ok) throw new Error(result.error);
  return result.manifests;
}

async function refusal(set: string[]): Promise<string> {
  const result = await renderChart(set);
  expect(result.ok, 'the chart rendered values it should refuse').toBe(false);
  return result.ok ? '' : result.error;
}

// Every option the chart has, with KEDA scaling the scorer and a CronJob for the batch scorer.
const EVERY_OPTION = [
  'scorer.processingGuarantee=exactly_once',
  'kafka.brokers=b1:9093\\,b2:9093\\,b3:9093',
  'kafka.inputPartitions=12',
  'scorer.autoscaling.maxReplicas=12',
  'kafka.sasl.mechanism=scram-sha-512',
  'kafka.sasl.secret=kafka-user',
  'kafka.tls.enabled=true',
  'kafka.tls.caSecret=kafka-ca',
  'model.path=models:/ride-duration@champion',
  'model.mlflow.trackingUri=http://mlflow:5000',
  'model.mlflow.tokenSecret=mlflow-token',
  'batch.enabled=true',
  'batch.schedule=0 3 * * *',
  'batch.dataClaim=trips',
  'metrics.serviceMonitor.enabled=true',
  'metrics.dashboard.enabled=true',
  'scorer.canary.enabled=true',
  'scorer.canary.modelPath=models:/ride-duration@challenger',
];

// A canary with every setting given, as `--set` gives them (decimals as strings), on its own evaluations topic.
const CANARY = [
  'scorer.canary.enabled=true',
  'scorer.canary.modelPath=models/ride-duration/1.1.0',
  'scorer.canary.share=0.25',
  'scorer.canary.marginMinutes=0.75',
  'scorer.canary.minPairs=2000',
  'scorer.canary.maxFailures=0',
  'kafka.evaluationsTopic=ride-evaluations.v2',
];

// The other side of each switch: fixed replicas (no KEDA, no HPA), a one-off Job, SASL PLAIN, the consumer group
// protocol, and the pass-through values (scheduling, pull secrets, pod labels, extra variables) the chart's own
// schema leaves to Kubernetes.
const FIXED_REPLICAS = [
  'scorer.processingGuarantee=exactly_once',
  'scorer.groupProtocol=consumer',
  'scorer.autoscaling.enabled=false',
  'scorer.replicas=3',
  'scorer.podDisruptionBudget.maxUnavailable=2',
  'scorer.extraEnv.ONNX_THREADS=2',
  'web.autoscaling.enabled=false',
  'web.replicas=2',
  'web.service.type=NodePort',
  'web.extraEnv.MAX_PREDICT_BATCH=500',
  'model.pollIntervalMs=60000',
  'logLevel=debug',
  'kafka.sasl.mechanism=plain',
  'kafka.sasl.secret=kafka-user',
  'kafka.tls.enabled=true',
  'model.mlflow.trackingUri=https://mlflow.example:5000',
  'model.mlflow.tokenSecret=mlflow-token',
  'batch.enabled=true',
  'batch.dataClaim=trips',
  'metrics.serviceMonitor.enabled=true',
  'metrics.dashboard.enabled=true',
  'evaluator.replicas=3',
  'evaluator.windowMs=600000',
  'evaluator.latenessMs=120000',
  'evaluator.extraEnv.SESSION_TIMEOUT_MS=45000',
  'images.pullPolicy=Always',
  'images.pullSecrets[0].name=registry',
  'podLabels.team=rides',
  'podAnnotations.owner=data-platform',
  'nodeSelector.pool=streaming',
  'tolerations[0].key=dedicated',
  'tolerations[0].operator=Equal',
  'tolerations[0].value=streaming',
  'tolerations[0].effect=NoSchedule',
  'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight=100',
  'affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey=kubernetes.io/hostname',
];

const one = (manifests: Manifest[], kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined)
    throw new Error(
      `no ${kind} ${name} among ${manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`,
    );
  return found;
};

// biome-ignore lint/suspicious/noExplicitAny: container specs as rendered
type Container = any;
const containerOf = (m: Manifest): Container =>
  (m.spec.template ?? m.spec.jobTemplate.spec.template).spec.containers[0];
const podOf = (m: Manifest) => (m.spec.template ?? m.spec.jobTemplate.spec.template).spec;
const envValue = (c: Container, name: string): string | undefined =>
  c.env?.find((e: { name: string }) => e.name === name)?.value;
const portNamed = (c: Container, name: string): number =>
  c.ports.find((p: { name: string }) => p.name === name).containerPort;
/** A container's environment as its program reads it: the ConfigMap under its own plain variables, Secrets stubbed. */
const programEnv = (manifests: Manifest[], c: Container): Record<string, string> => ({
  ...(one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {}),
  ...Object.fromEntries(
    c.env.map((v: Container) => [v.name, v.value ?? `secret:${v.valueFrom.secretKeyRef.name}`]),
  ),
});

describe(`Helm chart (${CHART_DIR.replace(REPO_ROOT, '')})`, () => {
  it('passes helm lint --strict', { timeout: BUILD_TIMEOUT }, async () => {
    const lint = await lintChart();
    expect(lint.ok, lint.output).toBe(true);
  });

  it('renders the scorer with KEDA, the web service with an HPA, and no batch by default', async () => {
    const manifests = await render();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual([
      'ConfigMap/rides-ride-duration',
      'Deployment/rides-ride-duration-evaluator',
      'Deployment/rides-ride-duration-scorer',
      'Deployment/rides-ride-duration-web',
      'HorizontalPodAutoscaler/rides-ride-duration-web',
      'PodDisruptionBudget/rides-ride-duration-scorer',
      'ScaledObject/rides-ride-duration-scorer',
      'Service/rides-ride-duration-evaluator',
      'Service/rides-ride-duration-web',
    ]);
  });

  it('runs the evaluator from the scorer image, locked down as the scorer, probed on the port it listens on', async () => {
    const manifests = await render();
    const evaluator = one(manifests, 'Deployment', 'rides-ride-duration-evaluator');
    const scorer = one(manifests, 'Deployment', 'rides-ride-duration-scorer');
    const e = containerOf(evaluator);
    const s = containerOf(scorer);
    expect(e.image).toBe(s.image);
    const bin = JSON.parse(readFileSync(join(REPO_ROOT, 'consumer/package.json'), 'utf8')).bin[
      'ride-evaluator'
    ];
    expect(e.command).toEqual(['node', join('consumer', bin)]);
    expect(evaluator.spec.replicas).toBe(1);
    // What the program reads, as it reads it: the ConfigMap under the container's own variables (Secrets aside).
    const config = one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {};
    const read = loadEvaluatorConfig({
      ...config,
      ...Object.fromEntries(e.env.map((v: Container) => [v.name, v.value])),
    });
    expect(read).toMatchObject({
      predictionsTopic: 'ride-predictions',
      completionsTopic: 'ride-completions',
      evaluationsTopic: 'ride-evaluations',
      groupId: 'ride-evaluator',
      httpPort: 8082,
      join: { windowMs: 3_600_000, latenessMs: 600_000, ttlMs: 10_800_000, maxPending: 200_000 },
    });
    expect(portNamed(e, 'http')).toBe(read.httpPort);
    expect(e.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(e.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(e.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // A stop is a clean leave: Kubernetes waits longer than its own shutdown bound.
    expect(podOf(evaluator).terminationGracePeriodSeconds * 1000).toBeGreaterThan(read.shutdownTimeoutMs);
    // The scorer's pod and container security, to the field.
    expect(e.securityContext).toEqual(s.securityContext);
    expect(podOf(evaluator).securityContext).toEqual(podOf(scorer).securityContext);
    expect(podOf(evaluator).automountServiceAccountToken).toBe(false);
    expect(e.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(e.resources.requests.memory).toBeDefined();
    expect(e.resources.limits.memory).toBeDefined();
    // Its headless Service selects its pods, and only them, on the named port.
    const service = one(manifests, 'Service', 'rides-ride-duration-evaluator');
    expect(service.spec.clusterIP).toBe('None');
    expect(service.spec.selector).toEqual(evaluator.spec.selector.matchLabels);
    expect(evaluator.spec.template.metadata.labels).toMatchObject(service.spec.selector);
    expect(scorer.spec.template.metadata.labels).not.toMatchObject(service.spec.selector);
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8082, targetPort: 'http', protocol: 'TCP' }]);
  });

  it('leaves the evaluator out when disabled, and passes its settings through when set', async () => {
    const off = await render(['evaluator.enabled=false']);
    expect(off.filter((m) => m.metadata.name.endsWith('-evaluator'))).toEqual([]);
    expect(off.map((m) => m.kind)).toContain('Deployment');

    const manifests = await render(FIXED_REPLICAS);
    const evaluator = one(manifests, 'Deployment', 'rides-ride-duration-evaluator');
    expect(evaluator.spec.replicas).toBe(3);
    const e = containerOf(evaluator);
    const config = one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {};
    const plain = Object.fromEntries(
      e.env.filter((v: Container) => v.value !== undefined).map((v: Container) => [v.name, v.value]),
    );
    const read = loadEvaluatorConfig({
      ...config,
      ...plain,
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(read.join).toMatchObject({ windowMs: 600_000, latenessMs: 120_000 });
    expect(read.sessionTimeoutMs).toBe(45_000);
    expect(podOf(evaluator)).toMatchObject({ nodeSelector: { pool: 'streaming' } });
  });

  it('runs no canary by default', async () => {
    const manifests = await render();
    const scorer = containerOf(one(manifests, 'Deployment', 'rides-ride-duration-scorer'));
    const env = programEnv(manifests, scorer);
    expect(Object.keys(env).filter((name) => name.startsWith('CANARY_'))).toEqual([]);
    const read = loadConsumerConfig(env);
    expect(read.canary).toBeUndefined();
    expect(read.shadow).toBeUndefined();
  });

  it('renders a canary the scorer reads back, judged on the topic the evaluator writes', async () => {
    // The chart's defaults are the scorer's own (numbers from values.yaml, rendered as the loader parses them).
    const defaults = await render([
      'scorer.canary.enabled=true',
      'scorer.canary.modelPath=models/ride-duration/1.1.0',
    ]);
    const fromDefaults = loadConsumerConfig(
      programEnv(defaults, containerOf(one(defaults, 'Deployment', 'rides-ride-duration-scorer'))),
    );
    expect(fromDefaults.canary).toEqual({
      source: { ...fromDefaults.modelSource, location: 'models/ride-duration/1.1.0' },
      share: 0.1,
      marginMinutes: 0.5,
      minPairs: 500,
      maxFailures: 10,
      evaluationsTopic: 'ride-evaluations',
    });

    const manifests = await render(CANARY);
    const scorer = containerOf(one(manifests, 'Deployment', 'rides-ride-duration-scorer'));
    expect(envValue(scorer, 'CANARY_SHARE')).toBe('0.25');
    const read = loadConsumerConfig(programEnv(manifests, scorer));
    expect(read.canary).toEqual({
      source: { ...read.modelSource, location: 'models/ride-duration/1.1.0' },
      share: 0.25,
      marginMinutes: 0.75,
      minPairs: 2000,
      maxFailures: 0,
      evaluationsTopic: 'ride-evaluations.v2',
    });
    // The champion is model.path as before; the evaluator writes the windows the canary reads.
    expect(read.modelSource.location).toBe('models/ride-duration/1.0.0');
    const evaluator = containerOf(one(manifests, 'Deployment', 'rides-ride-duration-evaluator'));
    expect(loadEvaluatorConfig(programEnv(manifests, evaluator)).evaluationsTopic).toBe(
      read.canary?.evaluationsTopic,
    );
    // Scorer-only: the ConfigMap the web service and the batch scorer share holds none of it.
    const config = one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {};
    expect(Object.keys(config).filter((name) => name.startsWith('CANARY_'))).toEqual([]);

    // An MLflow candidate beside SASL, TLS and the MLflow token (every option), read as the scorer reads it.
    const every = await render(EVERY_OPTION);
    const full = loadConsumerConfig(
      programEnv(every, containerOf(one(every, 'Deployment', 'rides-ride-duration-scorer'))),
    );
    expect(full.canary?.source).toMatchObject({
      location: 'models:/ride-duration@challenger',
      mlflowTrackingUri: 'http://mlflow:5000',
    });
  });

  it('keeps the invariants a deployment relies on', async () => {
    const manifests = await render();
    const config = one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {};
    const scorer = one(manifests, 'Deployment', 'rides-ride-duration-scorer');
    const scaled = one(manifests, 'ScaledObject', 'rides-ride-duration-scorer');
    const web = one(manifests, 'Deployment', 'rides-ride-duration-web');
    const c = containerOf(scorer);

    // A stop is a clean leave: Kubernetes waits longer than the scorer's own shutdown bound.
    expect(podOf(scorer).terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      Number(envValue(c, 'SHUTDOWN_TIMEOUT_MS')),
    );
    // KEDA owns the replica count, never more than the input topic's partitions (6 by default).
    expect(scorer.spec.replicas).toBeUndefined();
    expect(scaled.spec.scaleTargetRef.name).toBe(scorer.metadata.name);
    expect(scaled.spec.maxReplicaCount).toBe(6);
    expect(scaled.spec.minReplicaCount).toBeLessThanOrEqual(scaled.spec.maxReplicaCount);
    const trigger = scaled.spec.triggers[0];
    expect(trigger.type).toBe('kafka');
    expect(trigger.metadata).toMatchObject({
      bootstrapServers: config.KAFKA_BROKERS,
      consumerGroup: envValue(c, 'CONSUMER_GROUP'),
      topic: config.RIDES_TOPIC,
      offsetResetPolicy: 'earliest',
      allowIdleConsumers: 'false',
    });
    expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
    expect(
      scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds,
    ).toBeGreaterThan(0);

    // Probes on the port the program listens on: the scorer's HTTP_PORT, the web service's PORT.
    expect(portNamed(c, 'http')).toBe(Number(envValue(c, 'HTTP_PORT')));
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    const w = containerOf(web);
    expect(portNamed(w, 'http')).toBe(Number(envValue(w, 'PORT')));
    expect(w.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    const service = one(manifests, 'Service', 'rides-ride-duration-web');
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(
      one(manifests, 'HorizontalPodAutoscaler', 'rides-ride-duration-web').spec.scaleTargetRef.name,
    ).toBe(web.metadata.name);

    // Every container: non-root, read-only root filesystem (a writable /tmp for downloaded models), no capabilities.
    for (const m of [scorer, web]) {
      const container = containerOf(m);
      expect(container.securityContext).toMatchObject({
        runAsNonRoot: true,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(container.resources.requests.memory).toBeDefined();
      expect(container.resources.limits.memory).toBeDefined();
      expect(podOf(m).automountServiceAccountToken).toBe(false);
    }
    expect(config.MODEL_CACHE_DIR).toBe('/tmp/ride-models');
  });

  it('renders every option: exactly-once, SASL and TLS from Secrets, a CronJob, the ServiceMonitor and dashboard', async () => {
    const manifests = await render(EVERY_OPTION);
    const scorer = containerOf(one(manifests, 'Deployment', 'rides-ride-duration-scorer'));
    expect(envValue(scorer, 'PROCESSING_GUARANTEE')).toBe('exactly_once');
    const secretRefs = scorer.env
      .filter((e: { valueFrom?: unknown }) => e.valueFrom !== undefined)
      .map((e: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }) => [
        e.name,
        e.valueFrom.secretKeyRef.name,
        e.valueFrom.secretKeyRef.key,
      ]);
    expect(secretRefs).toEqual([
      ['KAFKA_SASL_USERNAME', 'kafka-user', 'username'],
      ['KAFKA_SASL_PASSWORD', 'kafka-user', 'password'],
      ['KAFKA_SSL_CA', 'kafka-ca', 'ca.crt'],
      ['MLFLOW_TRACKING_TOKEN', 'mlflow-token', 'token'],
    ]);
    const config = one(manifests, 'ConfigMap', 'rides-ride-duration').data ?? {};
    expect(config).toMatchObject({
      KAFKA_BROKERS: 'b1:9093,b2:9093,b3:9093',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SSL: 'true',
      MLFLOW_TRACKING_URI: 'http://mlflow:5000',
    });
    expect(JSON.stringify(config)).not.toMatch(/password|token/i);

    const scaled = one(manifests, 'ScaledObject', 'rides-ride-duration-scorer');
    expect(scaled.spec.maxReplicaCount).toBe(12);
    expect(scaled.spec.triggers[0].metadata).toMatchObject({ sasl: 'scram_sha512', tls: 'enable' });
    const auth = one(manifests, 'TriggerAuthentication', 'rides-ride-duration-scorer');
    expect(scaled.spec.triggers[0].authenticationRef.name).toBe(auth.metadata.name);
    expect(auth.spec.secretTargetRef).toEqual([
      { parameter: 'username', name: 'kafka-user', key: 'username' },
      { parameter: 'password', name: 'kafka-user', key: 'password' },
      { parameter: 'ca', name: 'kafka-ca', key: 'ca.crt' },
    ]);

    const cron = one(manifests, 'CronJob', 'rides-ride-duration-batch');
    expect(cron.spec.schedule).toBe('0 3 * * *');
    expect(containerOf(cron).command).toEqual([
      'node',
      'consumer/dist/batch/main.js',
      '/data/green_tripdata_2021-02.parquet',
      '/data/predictions.parquet',
      '--json',
    ]);
    expect(podOf(cron).volumes).toContainEqual({
      name: 'data',
      persistentVolumeClaim: { claimName: 'trips' },
    });
    // The web service and the batch scorer load models:/ references too: the same token, by reference.
    const token = {
      name: 'MLFLOW_TRACKING_TOKEN',
      valueFrom: { secretKeyRef: { name: 'mlflow-token', key: 'token' } },
    };
    expect(containerOf(cron).env).toContainEqual(token);
    expect(containerOf(one(manifests, 'Deployment', 'rides-ride-duration-web')).env).toContainEqual(token);

    // The evaluator talks to the same Kafka with the same Secrets; it loads no model, so no MLflow token.
    const evaluatorRefs = containerOf(one(manifests, 'Deployment', 'rides-ride-duration-evaluator'))
      .env.filter((e: { valueFrom?: unknown }) => e.valueFrom !== undefined)
      .map((e: { name: string; valueFrom: { secretKeyRef: { name: string } } }) => [
        e.name,
        e.valueFrom.secretKeyRef.name,
      ]);
    expect(evaluatorRefs).toEqual([
      ['KAFKA_SASL_USERNAME', 'kafka-user'],
      ['KAFKA_SASL_PASSWORD', 'kafka-user'],
      ['KAFKA_SSL_CA', 'kafka-ca'],
    ]);

    const monitor = one(manifests, 'ServiceMonitor', 'rides-ride-duration');
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
    // The ServiceMonitor scrapes the evaluator's /metrics through its Service: selected, on the endpoint's port.
    const evaluatorService = one(manifests, 'Service', 'rides-ride-duration-evaluator');
    expect(evaluatorService.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(evaluatorService.spec.ports.map((p: { name: string }) => p.name)).toContain(
      monitor.spec.endpoints[0].port,
    );
    expect(one(manifests, 'Service', 'rides-ride-duration-scorer-metrics').spec.clusterIP).toBe('None');
    const dashboard = one(manifests, 'ConfigMap', 'rides-ride-duration-dashboard');
    expect(dashboard.metadata.labels?.grafana_dashboard).toBe('1');
    const file = join(REPO_ROOT, 'deploy/grafana/dashboards/ride-duration.json');
    expect(JSON.parse(dashboard.data?.['ride-duration.json'] ?? '')).toEqual(
      JSON.parse(readFileSync(file, 'utf8')),
    );
  });

  it('renders fixed replicas with autoscaling off, the batch scorer as a Job, and the pass-through values', async () => {
    const manifests = await render(FIXED_REPLICAS);
    const kinds = manifests.map((m) => m.kind);
    for (const kind of ['ScaledObject', 'TriggerAuthentication', 'HorizontalPodAutoscaler', 'CronJob'])
      expect(kinds).not.toContain(kind);
    const scorer = one(manifests, 'Deployment', 'rides-ride-duration-scorer');
    expect(scorer.spec.replicas).toBe(3);
    expect(one(manifests, 'Deployment', 'rides-ride-duration-web').spec.replicas).toBe(2);
    expect(envValue(containerOf(scorer), 'GROUP_PROTOCOL')).toBe('consumer');
    expect(one(manifests, 'Job', 'rides-ride-duration-batch').spec.backoffLimit).toBe(2);
    expect(podOf(scorer)).toMatchObject({
      nodeSelector: { pool: 'streaming' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'streaming', effect: 'NoSchedule' }],
      imagePullSecrets: [{ name: 'registry' }],
    });
  });

  const sources = `Kubernetes ${KUBERNETES_API.version}, KEDA ${KEDA.version}, Prometheus Operator ${PROMETHEUS_OPERATOR.version}`;
  it.each<[string, string[]]>([
    ['the defaults', []],
    ['every option', EVERY_OPTION],
    ['fixed replicas and the pass-through values', FIXED_REPLICAS],
    ['a canary', CANARY],
    [
      'the web service alone, monitored',
      ['scorer.enabled=false', 'evaluator.enabled=false', 'metrics.serviceMonitor.enabled=true'],
    ],
    [
      'the evaluator alone, monitored, at its most replicas',
      [
        'scorer.enabled=false',
        'web.enabled=false',
        'evaluator.replicas=6',
        'evaluator.groupProtocol=consumer',
        'metrics.serviceMonitor.enabled=true',
      ],
    ],
  ])(
    `renders %s as objects the apiserver accepts (${sources})`,
    { timeout: BUILD_TIMEOUT },
    async (_, set) => {
      const validate = await manifestValidator();
      const manifests = await render(set);
      expect(manifests.length).toBeGreaterThan(0);
      expect(manifests.flatMap((m) => validate(m))).toEqual([]);
    },
  );

  // The validator can fail: each kind of mistake on a valid object is refused, naming the object and the field.
  it.each<[string, string, string, (m: Manifest) => void, string]>([
    [
      'a wrong type',
      'Deployment',
      'rides-ride-duration-scorer',
      (m) => {
        m.spec.replicas = 'three';
      },
      'Deployment rides-ride-duration-scorer: spec.replicas: must be integer',
    ],
    [
      'an unknown field',
      'Deployment',
      'rides-ride-duration-scorer',
      (m) => {
        const { imagePullPolicy, ...rest } = containerOf(m);
        m.spec.template.spec.containers[0] = { ...rest, imagePullPolcy: imagePullPolicy };
      },
      'Deployment rides-ride-duration-scorer: unknown field "spec.template.spec.containers[0].imagePullPolcy"',
    ],
    [
      'a missing required field',
      'CronJob',
      'rides-ride-duration-batch',
      (m) => {
        const { name: _, ...rest } = containerOf(m);
        m.spec.jobTemplate.spec.template.spec.containers[0] = rest;
      },
      'CronJob rides-ride-duration-batch: missing required field "spec.jobTemplate.spec.template.spec.containers[0].name"',
    ],
    [
      'an int-or-string that is neither',
      'PodDisruptionBudget',
      'rides-ride-duration-scorer',
      (m) => {
        m.spec.maxUnavailable = 1.5;
      },
      'PodDisruptionBudget rides-ride-duration-scorer: spec.maxUnavailable: must be integer or string',
    ],
    [
      "a KEDA trigger's value that is not a string",
      'ScaledObject',
      'rides-ride-duration-scorer',
      (m) => {
        m.spec.triggers[0].metadata.lagThreshold = 450000;
      },
      'ScaledObject rides-ride-duration-scorer: spec.triggers[0].metadata.lagThreshold: must be string',
    ],
    [
      "an unknown field in a custom resource's metadata",
      'ScaledObject',
      'rides-ride-duration-scorer',
      (m) => {
        Object.assign(m.metadata, { label: { team: 'rides' } });
      },
      'ScaledObject rides-ride-duration-scorer: unknown field "metadata.label"',
    ],
    [
      'an unknown ServiceMonitor field',
      'ServiceMonitor',
      'rides-ride-duration',
      (m) => {
        m.spec.endpoints[0].intervall = '15s';
      },
      'ServiceMonitor rides-ride-duration: unknown field "spec.endpoints[0].intervall"',
    ],
    [
      'an apiVersion no source serves',
      'ServiceMonitor',
      'rides-ride-duration',
      (m) => {
        m.apiVersion = 'monitoring.coreos.com/v2';
      },
      'ServiceMonitor rides-ride-duration: no schema for apiVersion monitoring.coreos.com/v2 kind ServiceMonitor',
    ],
  ])('refuses %s, naming the object and what is wrong', async (_, kind, name, change, error) => {
    const validate = await manifestValidator();
    const manifest = structuredClone(one(await render(EVERY_OPTION), kind, name));
    expect(validate(manifest)).toEqual([]);
    change(manifest);
    expect(validate(manifest)).toEqual([error]);
  });

  it.each([
    // The schema (values.schema.json): the value's path and what it accepts.
    [['kafka.client=confluent'], /at '\/kafka\/client': value must be one of 'platformatic', 'kafkajs'/],
    [['scorer.replica=2'], /at '\/scorer': additional properties 'replica' not allowed/],
    [['scorer.processingGuarantee=exactly-once'], /at '\/scorer\/processingGuarantee': value must be one of/],
    [['kafka.inputPartitions=0'], /at '\/kafka\/inputPartitions': minimum: got 0, want 1/],
    // The chart's own checks across values (ride.validate): the value, the problem and the fix.
    [
      ['kafka.brokers=kafka'],
      /kafka\.brokers: "kafka" is not host:port\. List every bootstrap server as host:port/,
    ],
    [
      ['kafka.sasl.mechanism=plain'],
      /kafka\.sasl\.mechanism is plain but kafka\.sasl\.secret is empty: name the Secret/,
    ],
    [
      ['scorer.autoscaling.maxReplicas=8'],
      /maxReplicas \(8\) is above kafka\.inputPartitions \(6\).*Lower maxReplicas or raise inputPartitions/,
    ],
    [
      ['scorer.terminationGracePeriodSeconds=20'],
      /terminationGracePeriodSeconds \(20 s\) must exceed scorer\.shutdownTimeoutMs \(25000 ms\)/,
    ],
    [
      ['web.autoscaling.minReplicas=8'],
      /web\.autoscaling\.minReplicas \(8\) is above web\.autoscaling\.maxReplicas \(6\)/,
    ],
    [['batch.enabled=true'], /batch\.dataClaim is empty/],
    [['evaluator.replica=2'], /at '\/evaluator': additional properties 'replica' not allowed/],
    [['evaluator.windowMs=10'], /at '\/evaluator\/windowMs': minimum: got 10, want 1,000/],
    [
      ['evaluator.replicas=7'],
      /evaluator\.replicas \(7\) is above kafka\.inputPartitions \(6\).*Lower evaluator\.replicas or raise kafka\.inputPartitions/,
    ],
    [
      ['evaluator.terminationGracePeriodSeconds=20'],
      /evaluator\.terminationGracePeriodSeconds \(20 s\) must exceed evaluator\.shutdownTimeoutMs \(25000 ms\).*Raise the grace period/,
    ],
    [
      ['kafka.completionsTopic=ride-predictions'],
      /kafka\.predictionsTopic, kafka\.completionsTopic and kafka\.evaluationsTopic must differ \(ride-predictions, ride-predictions, ride-evaluations\).*Give each its own topic/,
    ],
    [
      ['evaluator.groupProtocol=consumer', 'kafka.client=kafkajs'],
      /evaluator\.groupProtocol is consumer \(KIP-848\) but kafka\.client is kafkajs.*Set evaluator\.groupProtocol=classic or kafka\.client=platformatic/,
    ],
    // The canary: its values' ranges and names, and what it needs from the rest of the chart.
    [
      ['scorer.canary.share=1'],
      /at '\/scorer\/canary\/share': 'oneOf' failed.*\n.*exclusiveMaximum: got 1, want 1/,
    ],
    [
      ['scorer.canary.share=0'],
      /at '\/scorer\/canary\/share': 'oneOf' failed.*\n.*exclusiveMinimum: got 0, want 0/,
    ],
    [
      ['scorer.canary.share=1.5'],
      /at '\/scorer\/canary\/share': 'oneOf' failed[\s\S]*'1\.5' does not match pattern/,
    ],
    [['scorer.canary.marginMinutes=-1'], /at '\/scorer\/canary\/marginMinutes'.*\n.*minimum: got -1, want 0/],
    [['scorer.canary.minPairs=0'], /at '\/scorer\/canary\/minPairs': minimum: got 0, want 1/],
    [['scorer.canary.modelpath=x'], /at '\/scorer\/canary': additional properties 'modelpath' not allowed/],
    [
      ['scorer.canary.enabled=true'],
      /scorer\.canary\.enabled is true but scorer\.canary\.modelPath is empty: name the candidate model.*or set scorer\.canary\.enabled=false/,
    ],
    [
      [
        'scorer.canary.enabled=true',
        'scorer.canary.modelPath=models/ride-duration/1.1.0',
        'evaluator.enabled=false',
      ],
      /scorer\.canary\.enabled is true but evaluator\.enabled is false: .*evaluator's windows.*Set evaluator\.enabled=true.*or scorer\.canary\.enabled=false/,
    ],
    [
      [
        'scorer.canary.enabled=true',
        'scorer.canary.modelPath=models/ride-duration/1.1.0',
        'scorer.extraEnv.SHADOW_MODEL_PATH=models/ride-duration/0.1.0',
      ],
      /scorer\.canary\.enabled and scorer\.extraEnv\.SHADOW_MODEL_PATH together: .*one candidate at a time.*Remove scorer\.extraEnv\.SHADOW_MODEL_PATH or set scorer\.canary\.enabled=false/,
    ],
    [
      ['scorer.extraEnv.CANARY_SHARE=0.2'],
      /scorer\.extraEnv\.CANARY_SHARE: the chart sets the canary's variables itself\. Use scorer\.canary\.\*/,
    ],
  ])('refuses %j at install time, naming the value', async (set, message) => {
    expect(await refusal(set)).toMatch(message);
  });
});
