import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** System property on every harness JVM's command line: `pgrep -f ride.harness=<pid>` finds leftovers. */
export const HARNESS_MARKER = 'ride.harness';
export const harnessMarker = (ownerPid: number = process.pid): string => `-D${HARNESS_MARKER}=${ownerPid}`;

export interface JavaCommand {
  libs: string;
  mainClass: string;
  args: readonly string[];
  jvmArgs?: readonly string[];
}

export function javaArgs(command: JavaCommand): string[] {
  return [
    '-Xmx512m',
    harnessMarker(),
    ...(command.jvmArgs ?? []),
    '-cp',
    join(command.libs, '*'),
    command.mainClass,
    ...command.args,
  ];
}

/**
 * Starts a JVM whose stdout/stderr go to `outputFile`. The child is unref'd so it never keeps Node alive;
 * callers register an exit hook to stop it.
 */
export function spawnJava(command: JavaCommand, outputFile: string): ChildProcess {
  const fd = openSync(outputFile, 'a');
  try {
    const child = spawn('java', javaArgs(command), { stdio: ['ignore', fd, fd] });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

// Polls the owner and the JVM once a second; if the owner is gone (even by SIGKILL, where no exit hook runs),
// it stops the JVM (TERM, then KILL after 5 s) and deletes the broker's folder.
const WATCHDOG = `owner=$1 jvm=$2 dir=$3
while kill -0 "$owner" 2>/dev/null && kill -0 "$jvm" 2>/dev/null; do sleep 1; done
kill -0 "$jvm" 2>/dev/null || exit 0
kill -TERM "$jvm" 2>/dev/null
for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$jvm" 2>/dev/null || break; sleep 0.5; done
kill -KILL "$jvm" 2>/dev/null
rm -rf "$dir"`;

/** Starts a detached watchdog that outlives us, so a killed test run leaves no JVM behind. */
export function spawnWatchdog(jvmPid: number, dir: string): void {
  const args = ['-c', WATCHDOG, 'ride-kafka-watchdog', String(process.pid), String(jvmPid), dir];
  spawn('bash', args, { detached: true, stdio: 'ignore' }).unref();
}

/** Resolves with the exit code (or signal) once the child has exited, at once if it already has. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve(child.exitCode ?? child.signalCode ?? -1);
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/**
 * SIGTERM (Kafka's shutdown hook runs a controlled shutdown), then SIGKILL after `graceMs`.
 * Resolves true when the JVM ended on its own terms, false when it had to be killed.
 */
export async function stopJava(child: ChildProcess, graceMs = 15_000): Promise<boolean> {
  const done = exited(child);
  child.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, graceMs);
  await done;
  clearTimeout(timer);
  return !killed;
}
