import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { tail } from '../child-process.js';
import { freePort } from '../free-port.js';
import { signCert } from '../pki.js';
import { waitFor } from '../wait-for.js';
import type { ControlPlane } from './control-plane.js';
import { CRD_FOLDERS, type GoModule, goModuleDir } from './go-modules.js';
import { goTool, KEDA_METRICS_SERVER, KEDA_OPERATOR } from './go-tools.js';
import type { Manifest } from './helm.js';

const NAMESPACE = 'keda';

/** The CRDs of a module's folder (controller-gen's one file per kind). */
async function moduleCrds(module: GoModule, folder: string): Promise<Manifest[]> {
  const dir = join(await goModuleDir(module), folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Manifest),
    )
    .filter((m) => m?.kind === 'CustomResourceDefinition');
}

/** Applies CRDs and waits until the API server serves every one of them. */
export async function installCrds(plane: ControlPlane, crds: readonly Manifest[]): Promise<void> {
  for (const crd of crds) await plane.client.apply(crd, '');
  await waitFor(
    async () => {
      for (const crd of crds) {
        const got = await plane.client.get(
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        );
        const conditions: { type: string; status: string }[] = got?.status?.conditions ?? [];
        const established = conditions.some((c) => c.type === 'Established' && c.status === 'True');
        if (!established) return false;
      }
      return true;
    },
    30_000,
    () => `CRDs not established within 30 s: ${crds.map((c) => c.metadata.name).join(', ')}`,
    { intervalMs: 250 },
  );
  plane.client.forgetDiscovery();
}

/**
 * KEDA as its release installs it, but as processes of this machine: its CRDs (and the Prometheus Operator's, for
 * the chart's ServiceMonitor), the operator (scalers, HPAs) and the metrics server, registered with the API server
 * as the external.metrics.k8s.io APIService. The operator and the metrics server talk gRPC over mutual TLS with
 * certificates of the control plane's CA; the aggregator reaches the metrics server on this machine's address.
 * Resolves once the HPA controller's metrics API answers.
 */
export async function startKeda(plane: ControlPlane): Promise<void> {
  const [operatorBin, metricsBin] = await Promise.all([goTool(KEDA_OPERATOR), goTool(KEDA_METRICS_SERVER)]);
  // KEDA's CRDs, and the Prometheus Operator's ServiceMonitor the chart can render.
  const crds = (await Promise.all(CRD_FOLDERS.map((f) => moduleCrds(f.module, f.dir)))).flat();
  await installCrds(
    plane,
    crds.filter(
      (crd) => crd.spec.group === 'keda.sh' || crd.metadata.name === 'servicemonitors.monitoring.coreos.com',
    ),
  );
  await plane.client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, '');

  // One certificate for both ends of the gRPC link and for the metrics server's HTTPS: KEDA reads ca.crt,
  // tls.crt and tls.key from its --cert-dir.
  const certs = join(plane.dir, 'keda-certs');
  mkdirSync(certs);
  const pair = await signCert(certs, plane.ca, {
    name: 'tls',
    commonName: 'keda',
    altNames: [
      'DNS:keda-operator',
      'DNS:keda-operator.keda.svc.cluster.local',
      'DNS:keda-metrics-apiserver.keda.svc',
      'DNS:localhost',
      'IP:127.0.0.1',
      `IP:${plane.hostIp}`,
    ],
  });
  copyFileSync(plane.ca.cert, join(certs, 'ca.crt'));

  const [grpcPort, operatorMetrics, operatorProbe, securePort, adapterMetrics] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const env = {
    ...process.env,
    KUBECONFIG: plane.kubeconfig,
    WATCH_NAMESPACE: '',
    POD_NAMESPACE: NAMESPACE,
    KEDA_CLUSTER_OBJECT_NAMESPACE: NAMESPACE,
    OPERATOR_NAME: 'keda-operator',
  };
  const operator = plane.spawn(
    'keda-operator',
    operatorBin,
    [
      '--leader-elect=false',
      `--metrics-bind-address=127.0.0.1:${operatorMetrics}`,
      `--health-probe-bind-address=127.0.0.1:${operatorProbe}`,
      `--metrics-service-bind-address=127.0.0.1:${grpcPort}`,
      `--cert-dir=${certs}`,
      `--ca-dir=${certs}`,
      '--enable-cert-rotation=false',
      '--enable-webhook-patching=false',
      '--enable-apiservice-patching=false',
      '--zap-log-level=info',
      '--zap-encoder=json',
    ],
    env,
  );
  const metrics = plane.spawn(
    'keda-metrics-apiserver',
    metricsBin,
    [
      `--secure-port=${securePort}`,
      `--bind-address=${plane.hostIp}`,
      `--tls-cert-file=${pair.cert}`,
      `--tls-private-key-file=${pair.key}`,
      `--cert-dir=${certs}`,
      `--client-ca-file=${plane.frontProxyCa.cert}`,
      `--port=${adapterMetrics}`,
      `--metrics-service-address=127.0.0.1:${grpcPort}`,
      `--kubeconfig=${plane.kubeconfig}`,
      `--lister-kubeconfig=${plane.kubeconfig}`,
      `--authentication-kubeconfig=${plane.kubeconfig}`,
      `--authorization-kubeconfig=${plane.kubeconfig}`,
      '--zap-log-level=info',
    ],
    env,
  );

  // The Service the APIService names has no selector: its endpoint is this machine, written by hand.
  const service = 'keda-metrics-apiserver';
  const objects: Manifest[] = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: service },
      spec: { ports: [{ name: 'https', port: 443, targetPort: securePort }] },
    },
    // Endpoints carry subsets, not a spec.
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: service },
      subsets: [{ addresses: [{ ip: plane.hostIp }], ports: [{ name: 'https', port: securePort }] }],
    } as Manifest,
    {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1beta1.external.metrics.k8s.io' },
      spec: {
        service: { name: service, namespace: NAMESPACE, port: 443 },
        group: 'external.metrics.k8s.io',
        version: 'v1beta1',
        caBundle: Buffer.from(plane.ca.pem).toString('base64'),
        groupPriorityMinimum: 100,
        versionPriority: 100,
      },
    },
  ];
  for (const object of objects) await plane.client.apply(object, NAMESPACE);
  await waitFor(
    async () =>
      (await plane.client.get('/apis/external.metrics.k8s.io/v1beta1').catch(() => undefined)) !== undefined,
    120_000,
    () =>
      `KEDA's external metrics API did not answer within 120 s.\nmetrics server:\n${tail(metrics.output(), 15)}\noperator:\n${tail(operator.output(), 15)}`,
    { intervalMs: 500 },
  );
  plane.client.forgetDiscovery();
}
