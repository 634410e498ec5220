import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runChecked, runToExit, spawnChild, stopAllChildren } from '../child-process.js';
import { waitFor } from '../wait-for.js';

const node = (script: string): [string, string[]] => [process.execPath, ['-e', script]];

describe('child processes', () => {
  it('captures stdout and stderr apart and interleaved, complete by the time the exit resolves', async () => {
    const result = await runToExit(
      ...node("process.stdout.write('out'); process.stderr.write('err'); process.exitCode = 3"),
    );
    expect(result).toMatchObject({ code: 3, stdout: 'out', stderr: 'err' });
    expect(result.output).toContain('out');
    expect(result.output).toContain('err');
  });

  it('runChecked rejects with the stderr tail unless the command exits 0', async () => {
    await expect(runChecked(...node("console.error('broken pipe'); process.exit(2)"))).rejects.toThrow(
      /exited 2:\nbroken pipe/,
    );
    await expect(runChecked(...node("console.log('fine')"))).resolves.toMatchObject({ code: 0 });
  });

  it('rejects when the command cannot start', async () => {
    await expect(runToExit('ride-no-such-command', [])).rejects.toThrow(/ENOENT/);
  });

  it('stop() ends a child with SIGTERM; one that ignores it is killed after the grace period', async () => {
    const polite = spawnChild(...node('setInterval(() => {}, 1000)'));
    expect(await polite.stop()).toBeNull();
    expect(polite.child.signalCode).toBe('SIGTERM');
    const stubborn = spawnChild(
      ...node("process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"),
    );
    await waitFor(
      () => stubborn.stdout().includes('ready'),
      5_000,
      () => 'the child never said it was ready',
    );
    await stubborn.stop(100);
    expect(stubborn.child.signalCode).toBe('SIGKILL');
  });

  it('stopAllChildren() stops every child still running', async () => {
    const runs = [
      spawnChild(...node('setInterval(() => {}, 1000)')),
      spawnChild(...node('setInterval(() => {}, 1000)')),
    ];
    await stopAllChildren();
    for (const run of runs) expect(run.child.signalCode).toBe('SIGTERM');
  });

  it('writes the output to a log file as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ride-harness-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const logFile = join(dir, 'child.log');
    const run = spawnChild(...node("console.log('to the log')"), { logFile });
    await run.exited;
    await waitFor(
      () => readFileSync(logFile, 'utf8') === 'to the log\n',
      5_000,
      () => `log file holds ${JSON.stringify(readFileSync(logFile, 'utf8'))}`,
    );
  });
});
