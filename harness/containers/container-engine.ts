import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Child, type RunResult, runToExit, spawnChild, tail } from '../child-process.js';
import { REPO_ROOT } from '../repo-paths.js';

export type EngineName = 'docker' | 'podman';

/** The container engine the tests build and run images with: Docker where its engine answers, else podman. */
export interface ContainerEngine {
  readonly name: EngineName;
  /** Runs `<engine> args…` to its end. */
  run(args: readonly string[]): Promise<RunResult>;
  /** As run, but rejects with the command's stderr unless it exits 0. */
  checked(args: readonly string[]): Promise<RunResult>;
  /** Starts `<engine> args…` and returns at once (a build with its output, `logs -f`). */
  spawn(args: readonly string[]): Child;
  /** `<engine> args…` with the engine's settings, for a shell script that calls it. */
  readonly commandLine: string;
  readonly env: NodeJS.ProcessEnv;
}

const CACHE = join(REPO_ROOT, '.cache', 'containers');

/**
 * Rootful podman on these machines: crun refuses the hybrid cgroup layout and setting RLIMIT_NOFILE/NPROC is not
 * permitted, so runc with cgroupfs and no default ulimits; events go to a file (no journald). Written once into
 * .cache and handed to podman through CONTAINERS_CONF (containers.conf(5)).
 */
const PODMAN_CONF = `[containers]
default_ulimits = []

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`;

let chosen: Promise<ContainerEngine> | undefined;

/** The engine for this process, picked once; installs podman (scripts/ensure-podman.sh) when neither is there. */
export function containerEngine(): Promise<ContainerEngine> {
  chosen ??= pick();
  return chosen;
}

async function pick(): Promise<ContainerEngine> {
  const docker = await runToExit('docker', ['info', '--format', '{{.ServerVersion}}']).catch(() => undefined);
  if (docker?.code === 0) return engine('docker', process.env);
  const install = spawnSync('bash', [join(REPO_ROOT, 'scripts', 'ensure-podman.sh')], { encoding: 'utf8' });
  if (install.status !== 0)
    throw new Error(`no Docker engine answers and podman cannot be installed:\n${tail(install.stderr, 15)}`);
  mkdirSync(CACHE, { recursive: true });
  const conf = join(CACHE, 'containers.conf');
  writeFileSync(conf, PODMAN_CONF);
  return engine('podman', { ...process.env, CONTAINERS_CONF: conf });
}

function engine(name: EngineName, env: NodeJS.ProcessEnv): ContainerEngine {
  const run = (args: readonly string[]) => runToExit(name, args, { env });
  return {
    name,
    env,
    commandLine: name,
    run,
    async checked(args) {
      const result = await run(args);
      if (result.code !== 0)
        throw new Error(
          `${name} ${args.slice(0, 4).join(' ')}… exited ${result.code}:\n${tail(result.output, 30)}`,
        );
      return result;
    },
    spawn: (args) => spawnChild(name, args, { env }),
  };
}
