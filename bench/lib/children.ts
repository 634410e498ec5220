import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

const running = new Set<ChildProcess>();
let hooked = false;

/** Kills whatever is still running when we exit, even on an uncaught error (nothing async runs then). */
function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Spawns a child that is tracked until it exits; stdout/stderr are collected for the caller. */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): Tracked {
  hook();
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  running.add(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    output.stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    output.stderr += d;
  });
  const exit = new Promise<number>((resolve, reject) => {
    child.once('error', (err) => {
      running.delete(child);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal === null ? -1 : 128));
    });
  });
  return { child, output, exit, pid: child.pid ?? -1 };
}

export interface Tracked {
  child: ChildProcess;
  pid: number;
  output: { stdout: string; stderr: string };
  /** Exit code (128 for a signal). */
  exit: Promise<number>;
}

/** SIGTERM, then SIGKILL after graceMs; resolves once the child is gone. */
export async function stopTracked(tracked: Tracked, graceMs = 10_000): Promise<void> {
  if (tracked.child.exitCode !== null || tracked.child.signalCode !== null) return;
  tracked.child.kill('SIGTERM');
  const timer = setTimeout(() => tracked.child.kill('SIGKILL'), graceMs);
  await tracked.exit.catch(() => undefined);
  clearTimeout(timer);
}

/** Stops every child still running (signal handlers call this before exiting). */
export async function stopAllTracked(): Promise<void> {
  await Promise.all(
    [...running].map((child) =>
      stopTracked({ child, pid: child.pid ?? -1, output: { stdout: '', stderr: '' }, exit: exitOf(child) }),
    ),
  );
}

function exitOf(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 128);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 128)));
}

/** Runs a command to completion; rejects with its stderr tail on a non-zero exit. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  const tracked = spawnTracked(command, args, options);
  const code = await tracked.exit;
  if (code !== 0) {
    const tail = tracked.output.stderr.split('\n').slice(-15).join('\n');
    throw new Error(`${command} ${args.slice(0, 3).join(' ')}… exited ${code}:\n${tail}`);
  }
  return tracked.output;
}
