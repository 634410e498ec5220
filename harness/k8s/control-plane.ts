import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnWatchdog } from '../broker/java-process.js';
import { type Child, spawnChild, tail } from '../child-process.js';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { createCa, createSigningKey, type KeyPair, signCert } from '../pki.js';
import { waitFor } from '../wait-for.js';
import { ETCD, goTool, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER } from './go-tools.js';
import { KubeClient } from './kube-client.js';

/** A Kubernetes control plane without nodes: etcd, kube-apiserver and kube-controller-manager, on this machine. */
export interface ControlPlane {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** A kubeconfig with cluster-admin rights (system:masters), for the harness and for KEDA. */
  readonly kubeconfig: string;
  readonly client: KubeClient;
  /** The folder holding the certificates, etcd's data and every process's log. */
  readonly dir: string;
  /** This machine's first non-loopback IPv4: where the aggregator reaches an extension API server (KEDA's). */
  readonly hostIp: string;
  /** The cluster CA (it signed the API server's certificate) and the aggregator's front-proxy CA. */
  readonly ca: KeyPair;
  readonly frontProxyCa: KeyPair;
  /** Starts a process that lives and dies with the control plane (its log in `dir`). */
  spawn(name: string, binary: string, args: readonly string[], env?: NodeJS.ProcessEnv): Child;
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** How often the HPA controller re-reads its metrics (kube-controller-manager's default is 15 s). */
  hpaSyncSeconds?: number;
}

const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The host's first non-loopback IPv4 address; extension API servers must not be reached on loopback. */
export function hostIpv4(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found !== undefined) return found.address;
  }
  throw new Error(
    'This machine has no non-loopback IPv4 address: the API server aggregator refuses loopback endpoints for KEDA',
  );
}

/**
 * Builds (first time only) and starts etcd, kube-apiserver and kube-controller-manager, pinned in go-tools.ts,
 * with certificates of a throw-away CA. No kubelet or scheduler: Deployments get ReplicaSets and Pods that stay
 * Pending, which is all the scaling controllers need. Resolves once the API server is ready and the controllers
 * have created the default ServiceAccount.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const [etcdBin, apiserverBin, controllerBin] = await Promise.all([
    goTool(ETCD),
    goTool(KUBE_APISERVER),
    goTool(KUBE_CONTROLLER_MANAGER),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'ride-k8s-'));
  const children: Child[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await child.stop(10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      for (const { child } of children) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  });
  const spawn = (name: string, binary: string, args: readonly string[], env?: NodeJS.ProcessEnv): Child => {
    const child = spawnChild(binary, args, { logFile: join(dir, `${name}.log`), env: env ?? process.env });
    if (child.pid > 0) spawnWatchdog(child.pid, dir);
    children.push(child);
    return child;
  };
  try {
    const hostIp = hostIpv4();
    const pki = join(dir, 'pki');
    mkdirSync(pki);
    const ca = await createCa(pki, 'cluster-ca');
    const frontProxyCa = await createCa(pki, 'front-proxy-ca');
    const serving = await signCert(pki, ca, {
      name: 'apiserver',
      commonName: 'kube-apiserver',
      altNames: ['IP:127.0.0.1', `IP:${hostIp}`, 'DNS:localhost', 'DNS:kubernetes.default.svc'],
    });
    const proxyClient = await signCert(pki, frontProxyCa, {
      name: 'front-proxy-client',
      commonName: 'front-proxy-client',
      client: true,
    });
    const serviceAccount = await createSigningKey(pki, 'service-account');
    const token = randomBytes(24).toString('hex');
    const tokens = join(pki, 'tokens.csv');
    await writeFile(tokens, `${token},ride-admin,ride-admin,"system:masters"\n`, { mode: 0o600 });

    const [etcdClient, etcdPeer, apiPort, controllerPort] = await distinctPorts(4);
    const etcd = spawn('etcd', etcdBin, [
      '--name=cp',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=cp=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
    ]);
    await waitFor(
      async () => (await fetch(`http://127.0.0.1:${etcdClient}/health`).catch(() => undefined))?.ok === true,
      30_000,
      () => `etcd did not answer /health within 30 s:\n${tail(etcd.output())}`,
      { intervalMs: 200 },
    );

    const apiserver = spawn('kube-apiserver', apiserverBin, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      `--secure-port=${apiPort}`,
      '--bind-address=127.0.0.1',
      `--advertise-address=${hostIp}`,
      `--tls-cert-file=${serving.cert}`,
      `--tls-private-key-file=${serving.key}`,
      `--client-ca-file=${ca.cert}`,
      `--token-auth-file=${tokens}`,
      '--authorization-mode=RBAC',
      `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
      `--api-audiences=${SERVICE_ACCOUNT_ISSUER}`,
      `--service-account-key-file=${serviceAccount.pub}`,
      `--service-account-signing-key-file=${serviceAccount.key}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      // The aggregation layer, so KEDA's metrics server can serve external.metrics.k8s.io to the HPA controller.
      `--requestheader-client-ca-file=${frontProxyCa.cert}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${proxyClient.cert}`,
      `--proxy-client-key-file=${proxyClient.key}`,
      // No kube-proxy here: the aggregator dials the extension server's endpoint, not its Service's cluster IP.
      '--enable-aggregator-routing=true',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
    ]);
    const server = `https://127.0.0.1:${apiPort}`;
    const client = new KubeClient(server, token, ca.pem);
    await waitFor(
      async () => (await client.call('GET', '/readyz').catch(() => undefined)) !== undefined,
      90_000,
      () => `kube-apiserver was not ready within 90 s:\n${tail(apiserver.output())}`,
      { intervalMs: 500 },
    );

    const kubeconfig = join(pki, 'kubeconfig');
    await writeFile(kubeconfig, renderKubeconfig(server, ca.pem, token), { mode: 0o600 });
    const controllers = spawn('kube-controller-manager', controllerBin, [
      `--kubeconfig=${kubeconfig}`,
      `--authentication-kubeconfig=${kubeconfig}`,
      `--authorization-kubeconfig=${kubeconfig}`,
      `--secure-port=${controllerPort}`,
      '--bind-address=127.0.0.1',
      '--leader-elect=false',
      `--service-account-private-key-file=${serviceAccount.key}`,
      `--root-ca-file=${ca.cert}`,
      `--horizontal-pod-autoscaler-sync-period=${options.hpaSyncSeconds ?? 15}s`,
    ]);
    await waitFor(
      async () => (await client.get('/api/v1/namespaces/default/serviceaccounts/default')) !== undefined,
      90_000,
      () =>
        `kube-controller-manager created no default ServiceAccount within 90 s:\n${tail(controllers.output())}`,
      { intervalMs: 500 },
    );
    return {
      server,
      kubeconfig,
      client,
      dir,
      hostIp,
      ca,
      frontProxyCa,
      spawn,
      async stop() {
        unregister();
        await stop();
      },
    };
  } catch (err) {
    unregister();
    await stop();
    throw err;
  }
}

async function distinctPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function renderKubeconfig(server: string, caPem: string, token: string): string {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'ride',
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
      },
    ],
    users: [{ name: 'ride-admin', user: { token } }],
    contexts: [{ name: 'ride', context: { cluster: 'ride', user: 'ride-admin' } }],
    'current-context': 'ride',
  };
  return JSON.stringify(config, null, 2);
}
