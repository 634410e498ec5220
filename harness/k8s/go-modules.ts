import { tmpdir } from 'node:os';
import { runToExit } from '../child-process.js';

// The Go modules the Kubernetes checks read and build from, pinned, through the Go module proxy (the only source
// reachable here; Go's module cache keeps them): one Kubernetes release, one KEDA release.

/** A Go module pinned to one version. */
export interface GoModule {
  path: string;
  version: string;
}

/** api/openapi-spec/v3: the OpenAPI v3 document of every built-in group and version. */
export const KUBERNETES_API: GoModule = { path: 'k8s.io/kubernetes', version: 'v1.37.2' };
/** config/crd/bases: ScaledObject, TriggerAuthentication… (v2.21.1's go.mod needs Go 1.27.4; we have 1.26.8). */
export const KEDA: GoModule = { path: 'github.com/kedacore/keda/v2', version: 'v2.21.0' };
/** example/prometheus-operator-crd: ServiceMonitor… (the newest version the proxy serves; later ones are 403). */
export const PROMETHEUS_OPERATOR: GoModule = {
  path: 'github.com/prometheus-operator/prometheus-operator',
  version: 'v0.85.0',
};

/** Where each API group's CRDs live, as `<group>_<plural>.yaml` files (controller-gen's names). */
export const CRD_FOLDERS: readonly { module: GoModule; dir: string }[] = [
  { module: KEDA, dir: 'config/crd/bases' },
  { module: PROMETHEUS_OPERATOR, dir: 'example/prometheus-operator-crd' },
];

/** The module's folder in Go's module cache, downloaded through the proxy the first time. */
export async function goModuleDir(module: GoModule): Promise<string> {
  const ref = `${module.path}@${module.version}`;
  const run = await runToExit('go', ['mod', 'download', '-json', ref], {
    cwd: tmpdir(),
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' },
  });
  const info = JSON.parse(run.stdout || '{}') as { Dir?: string; Error?: string };
  if (run.code !== 0 || info.Dir === undefined)
    throw new Error(`go mod download ${ref} failed: ${info.Error ?? run.stderr.trim()}`);
  return info.Dir;
}
