import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';
import { KEDA, KUBERNETES_API } from './go-modules.js';

/** A command-line program built from the Go module proxy, pinned to one version. */
export interface GoTool {
  name: string;
  /** The main package, as `go install` takes it. */
  pkg: string;
  version: string;
  /**
   * Set for a module whose go.mod replaces its sibling modules with local folders (Kubernetes' staging
   * modules, etcd's api/client/pkg), which `go install pkg@version` refuses: the tool is then built inside a small
   * module of ours that requires `module@version` and replaces each of those siblings with its published release
   * `siblingsVersion` (the same release train).
   */
  wrapped?: { module: string; siblingsVersion: string };
}

/** Helm 4 (`helm template`, `helm lint`): renders and checks the chart in deploy/helm. */
export const HELM: GoTool = { name: 'helm', pkg: 'helm.sh/helm/v4/cmd/helm', version: 'v4.3.2' };

const KUBERNETES = { module: KUBERNETES_API.path, siblingsVersion: 'v0.37.2' };
const kubernetesCommand = (name: string): GoTool => ({
  name,
  pkg: `${KUBERNETES_API.path}/cmd/${name}`,
  version: KUBERNETES_API.version,
  wrapped: KUBERNETES,
});
/** The control plane `npm run test:k8s` starts: one Kubernetes release, its staging modules at their v0 tag. */
export const KUBE_APISERVER = kubernetesCommand('kube-apiserver');
export const KUBE_CONTROLLER_MANAGER = kubernetesCommand('kube-controller-manager');
/** The etcd server: the root package of go.etcd.io/etcd/server/v3 is etcd's `main`. */
export const ETCD: GoTool = {
  name: 'etcd',
  pkg: 'go.etcd.io/etcd/server/v3',
  version: 'v3.7.3',
  wrapped: { module: 'go.etcd.io/etcd/server/v3', siblingsVersion: 'v3.7.3' },
};
const kedaCommand = (name: string, cmd: string): GoTool => ({
  name,
  pkg: `${KEDA.path}/cmd/${cmd}`,
  version: KEDA.version,
  wrapped: { module: KEDA.path, siblingsVersion: KEDA.version },
});
/** KEDA's operator: turns ScaledObjects into HPAs and runs the scalers (the Kafka lag one). */
export const KEDA_OPERATOR = kedaCommand('keda-operator', 'operator');
/** KEDA's metrics server: serves external.metrics.k8s.io to the HPA controller, from the operator. */
export const KEDA_METRICS_SERVER = kedaCommand('keda-metrics-apiserver', 'adapter');

const TOOLS_DIR = join(REPO_ROOT, '.cache', 'tools');

const goEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GOFLAGS: '-buildvcs=false -mod=mod',
  CGO_ENABLED: '0',
  // The machine's own Go: every pinned module asks for Go 1.26 at most.
  GOTOOLCHAIN: 'local',
});

/**
 * The tool's binary in the git-ignored .cache/tools, built from the Go module proxy the first time (about 1.5
 * minutes for helm on two cores, 3 for kube-apiserver; no download site for release binaries is reachable here).
 * Needs Go on the PATH.
 */
export function goTool(tool: GoTool): Promise<string> {
  const binary = join(TOOLS_DIR, `${tool.name}-${tool.version}`);
  if (existsSync(binary)) return Promise.resolve(binary);
  // One build at a time: tools of one release share a wrapper module (two `go get` at once collide on its
  // go.mod), and each build keeps both cores busy anyway.
  const build = queue.then(() => (existsSync(binary) ? undefined : buildTool(tool, binary)));
  queue = build.catch(() => undefined);
  return build.then(() => binary);
}

let queue: Promise<unknown> = Promise.resolve();

async function buildTool(tool: GoTool, binary: string): Promise<void> {
  const out = join(TOOLS_DIR, `.build-${tool.name}-${process.pid}`);
  mkdirSync(out, { recursive: true });
  try {
    if (tool.wrapped) await buildWrapped(tool, tool.wrapped, join(out, tool.name));
    else
      await runChecked('go', ['install', `${tool.pkg}@${tool.version}`], { env: { ...goEnv(), GOBIN: out } });
    // Moved into place whole, so a build cut short never leaves a binary that looks finished.
    renameSync(join(out, tool.name), binary);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function buildWrapped(
  tool: GoTool,
  wrapped: NonNullable<GoTool['wrapped']>,
  output: string,
): Promise<void> {
  const env = goEnv();
  // One wrapper module per upstream release, shared by its tools (the two Kubernetes binaries share downloads).
  const dir = join(TOOLS_DIR, 'go-src', `${wrapped.module.replaceAll('/', '_')}@${tool.version}`);
  if (!existsSync(join(dir, 'go.mod'))) {
    mkdirSync(dir, { recursive: true });
    const download = await runChecked(
      'go',
      ['mod', 'download', '-json', `${wrapped.module}@${tool.version}`],
      {
        env,
        cwd: dir,
      },
    );
    const { GoMod } = JSON.parse(download.stdout) as { GoMod: string };
    writeFileSync(
      join(dir, 'go.mod'),
      wrapperGoMod(readFileSync(GoMod, 'utf8'), wrapped.module, tool.version, wrapped.siblingsVersion),
    );
  }
  await runChecked('go', ['get', `${tool.pkg}@${tool.version}`], { env, cwd: dir });
  await runChecked('go', ['build', '-o', output, tool.pkg], { env, cwd: dir });
}

/**
 * go.mod of the wrapper: requires `module@version`; each `replace X => ./local/path` of the upstream go.mod
 * becomes `replace X => X siblingsVersion`; the upstream's other replaces are kept as they are (a replace applies
 * only in the main module, so the wrapper must repeat them).
 */
export function wrapperGoMod(
  upstream: string,
  module: string,
  version: string,
  siblingsVersion: string,
): string {
  const goLine = upstream.match(/^go (\S+)$/m)?.[1] ?? '1.26';
  const replaces: string[] = [];
  for (const [, from, to] of upstream.matchAll(/^(?:replace\s+|\t)(\S+(?: v\S+)?)\s+=>\s+(.+)$/gm)) {
    const target = to!.trim();
    const path = from!.split(' ')[0]!;
    replaces.push(
      target.startsWith('./') || target.startsWith('../')
        ? `replace ${path} => ${path} ${siblingsVersion}`
        : `replace ${from} => ${target}`,
    );
  }
  return [
    `module ridebuild/${module.replaceAll('/', '_')}`,
    '',
    `go ${goLine}`,
    '',
    `require ${module} ${version}`,
    '',
    ...replaces,
    '',
  ].join('\n');
}
