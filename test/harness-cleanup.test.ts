import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { HARNESS_MARKER, REPO_ROOT, waitFor } from '../harness/index.js';

/** PIDs of JVMs that the harness in process `ownerPid` started (found by the marker on their command line). */
function harnessJvms(ownerPid: number): number[] {
  const found = spawnSync('pgrep', ['-f', `${HARNESS_MARKER.replace('.', '\\.')}=${ownerPid} `], {
    encoding: 'utf8',
  });
  return found.stdout.split('\n').filter(Boolean).map(Number);
}

/** Waits until no JVM of `ownerPid` is left; fails naming the survivors. */
function waitJvmsGone(ownerPid: number, timeoutMs: number): Promise<void> {
  return waitFor(
    () => harnessJvms(ownerPid).length === 0,
    timeoutMs,
    () => `JVMs ${harnessJvms(ownerPid).join(', ')} of process ${ownerPid} still run after ${timeoutMs} ms`,
    { intervalMs: 200 },
  );
}

/**
 * Runs `npm run kafka`'s script (with `args`) in a child forced to a local broker; resolves once it prints its
 * ready line, with that line.
 */
async function startKafkaScript(
  args: readonly string[] = [],
  jvms = 1,
): Promise<ChildProcess & { pid: number; ready: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, RIDE_KAFKA_HARNESS: 'local' };
  delete env.KAFKA_BROKERS;
  // node --import tsx (not npx tsx) so the pid we signal is the process that owns the broker.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/kafka.ts', ...args], {
    cwd: REPO_ROOT,
    env,
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes(' ready at ')) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('exit', (code) => reject(new Error(`kafka script exited (${code}) before ready:\n${output}`)));
  });
  if (child.pid === undefined) throw new Error('no pid');
  expect(harnessJvms(child.pid)).toHaveLength(jvms);
  const ready = output.split('\n').find((line) => line.includes(' ready at ')) ?? '';
  return Object.assign(child as ChildProcess & { pid: number }, { ready });
}

const exited = (child: ChildProcess): Promise<unknown> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', resolve));

describe('harness cleanup: no JVM outlives the process that started it', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops the broker when the owner gets %s', async (signal) => {
    const child = await startKafkaScript();
    child.kill(signal);
    await exited(child);
    expect(child.exitCode ?? child.signalCode).not.toBeNull();
    await waitJvmsGone(child.pid, 5_000);
  });

  it('the watchdog kills the broker when the owner is SIGKILLed (no hook runs)', async () => {
    const child = await startKafkaScript();
    child.kill('SIGKILL');
    await exited(child);
    // The watchdog polls once a second, then allows Kafka 5 s for a clean shutdown before SIGKILL.
    await waitJvmsGone(child.pid, 15_000);
  });

  it('stops every node of a cluster (`--brokers 3 --controllers 1`) when the owner gets SIGTERM', async () => {
    // Three brokers and the dedicated controller: four JVMs, and only the brokers in the bootstrap list.
    const child = await startKafkaScript(['--brokers', '3', '--controllers', '1'], 4);
    expect(child.ready).toMatch(
      /3 brokers, 1 dedicated controller\) ready at 127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+ /,
    );
    child.kill('SIGTERM');
    await exited(child);
    await waitJvmsGone(child.pid, 5_000);
  });
});
