import { spawnSync } from 'node:child_process';
import { registerCleanup } from '../exit-hooks.js';
import { uniqueName } from '../unique-name.js';
import type { ContainerEngine } from './container-engine.js';

/** How to run one container: what `docker run` takes, as a user of the image would give it. */
export interface RunSpec {
  image: string;
  /** Arguments after the image (the CMD, or the ENTRYPOINT's arguments). */
  args?: readonly string[];
  entrypoint?: readonly string[];
  env?: Record<string, string>;
  /** host path → container path, read-only. */
  mounts?: Record<string, string>;
  /** Engine volumes as `-v` takes them: `<volume>:<path>[:ro]`. */
  volumes?: readonly string[];
  user?: string;
  /** An init process as PID 1 (compose's `init: true`). */
  init?: boolean;
  /** The hardening a cluster applies: read-only root filesystem, every capability dropped, no privilege gain. */
  locked?: boolean;
  /**
   * Publish these container ports on these host ports (`-p host:container`) on the engine's default network, as
   * a user runs a server image; without it the container shares the host's network.
   */
  publish?: Record<number, number>;
  /** Name prefix; a unique suffix is added. */
  name?: string;
}

export interface Container {
  readonly name: string;
  /** What the container wrote to stdout and stderr so far. */
  logs(): Promise<string>;
  /** Sends a signal to the container's PID 1 (`kill --signal`). */
  signal(signal: NodeJS.Signals): Promise<void>;
  /** False once PID 1 has exited. */
  running(): Promise<boolean>;
  /** Resolves with the exit code once the container has stopped. */
  exited(): Promise<number>;
  /** `exec` inside the running container. */
  exec(command: readonly string[]): Promise<string>;
  /** Runs the image's HEALTHCHECK once; true when it passes. */
  healthy(): Promise<boolean>;
  /** Removes the container, running or not. */
  remove(): Promise<void>;
}

/** Every container the harness starts carries its owner's pid, so a later run can sweep what a killed one left. */
export const OWNER_LABEL = 'ride-duration.harness-owner';

/**
 * Removes the containers that harness processes no longer running left behind (a test process SIGKILLed before its
 * exit hooks ran), and their anonymous volumes.
 */
export async function removeOrphanContainers(engine: ContainerEngine): Promise<string[]> {
  const listed = await engine.checked([
    'ps',
    '--all',
    '--filter',
    `label=${OWNER_LABEL}`,
    '--format',
    `{{.Names}} {{index .Labels "${OWNER_LABEL}"}}`,
  ]);
  const orphans = listed.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split(' '))
    .filter(([, pid]) => !isAlive(Number(pid)))
    .map(([name]) => name ?? '');
  for (const name of orphans) await engine.run(['rm', '--force', '--volumes', name]);
  return orphans;
}

/** The containers this process started that still exist. */
export async function ownContainers(engine: ContainerEngine): Promise<string[]> {
  const listed = await engine.checked([
    'ps',
    '--all',
    '--filter',
    `label=${OWNER_LABEL}=${process.pid}`,
    '--format',
    '{{.Names}}',
  ]);
  return listed.stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts a container, detached: on the host's network (so it reaches the harness broker on 127.0.0.1, and its ports
 * are the host's), or with published ports. It is removed when the caller removes it and, failing that, when this process exits.
 */
export async function startContainer(engine: ContainerEngine, spec: RunSpec): Promise<Container> {
  const name = uniqueName(spec.name ?? 'ride');
  const args = [
    'run',
    '--detach',
    '--name',
    name,
    '--label',
    `${OWNER_LABEL}=${process.pid}`,
    ...(spec.publish === undefined
      ? ['--network', 'host']
      : Object.entries(spec.publish).flatMap(([host, inside]) => [
          '--publish',
          `127.0.0.1:${host}:${inside}`,
        ])),
    ...(spec.init ? ['--init'] : []),
    ...(spec.user === undefined ? [] : ['--user', spec.user]),
    ...(spec.locked ? lockedArgs(engine) : []),
    ...Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
    ...Object.entries(spec.mounts ?? {}).flatMap(([host, inside]) => ['--volume', `${host}:${inside}:ro`]),
    ...(spec.volumes ?? []).flatMap((volume) => ['--volume', volume]),
    // Docker's --entrypoint takes one executable; the rest of a compose-style entrypoint goes before the args.
    ...(spec.entrypoint === undefined ? [] : ['--entrypoint', spec.entrypoint[0] ?? '']),
    spec.image,
    ...(spec.entrypoint?.slice(1) ?? []),
    ...(spec.args ?? []),
  ];
  const removeNow = () =>
    spawnSync(engine.name, ['rm', '--force', '--volumes', name], { env: engine.env, stdio: 'ignore' });
  const unregister = registerCleanup({
    stop: async () => {
      await engine.run(['rm', '--force', '--volumes', name]);
    },
    stopNow: () => removeNow(),
  });
  await engine.checked(args).catch((err: unknown) => {
    unregister();
    removeNow();
    throw err;
  });
  let exitCode: Promise<number> | undefined;
  return {
    name,
    logs: async () => (await engine.run(['logs', name])).output,
    async signal(signal) {
      await engine.checked(['kill', '--signal', signal, name]);
    },
    async running() {
      const state = await engine.run(['inspect', '--format', '{{.State.Running}}', name]);
      return state.stdout.trim() === 'true';
    },
    exited() {
      exitCode ??= engine.checked(['wait', name]).then((r) => Number(r.stdout.trim().split('\n').at(-1)));
      return exitCode;
    },
    exec: async (command) => (await engine.checked(['exec', name, ...command])).stdout,
    async healthy() {
      if (engine.name === 'podman') return (await engine.run(['healthcheck', 'run', name])).code === 0;
      const state = await engine.checked(['inspect', '--format', '{{.State.Health.Status}}', name]);
      return state.stdout.trim() === 'healthy';
    },
    async remove() {
      unregister();
      await engine.run(['rm', '--force', '--volumes', name]);
    },
  };
}

/** `--read-only --cap-drop ALL`; podman would otherwise mount writable tmpfs over /tmp and /run, which Docker does not. */
function lockedArgs(engine: ContainerEngine): string[] {
  const args = ['--read-only', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  return engine.name === 'podman' ? [...args, '--read-only-tmpfs=false'] : args;
}
