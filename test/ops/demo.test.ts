import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runToExit } from '../../harness/index.js';

// `npm run demo`, as a user runs it without a terminal (the periodic one-line view): its own broker, the scorer and
// the evaluator, the TLC rides of 2021-02 with their completions. The evaluator's figures must show within its
// duration, near the model's offline RMSE on that month, and everything it started must be gone once it exits.

/** Whether something accepts TCP connections on the port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('npm run demo', () => {
  it('shows the live error per model version within 20 s and stops every process it started', async () => {
    const { KAFKA_BROKERS: _, ...env } = process.env;
    const run = await runToExit(
      join(REPO_ROOT, 'node_modules/.bin/tsx'),
      [join(REPO_ROOT, 'scripts/demo.ts'), '--duration', '20', '--rate', '50'],
      { cwd: REPO_ROOT, env: { ...env, RIDE_KAFKA_HARNESS: 'local' } },
    );
    const out = run.output;
    expect(run.code, out).toBe(0);
    expect(out).toContain('Evaluator ready');
    // The view's periodic line carries the evaluator's figures once a window closed.
    expect(out).toMatch(/\| 1\.0\.0 paired \d+ rmse \d+\.\d\d mae \d+\.\d\d bias -?\d+\.\d\d/);
    const final =
      /model 1\.0\.0 against ground truth: (\d+) rides, RMSE (\S+), MAE (\S+), bias (\S+) min/.exec(out);
    expect(final, out).not.toBeNull();
    const [, rides, rmse, mae] = final!.map(Number);
    expect(rides).toBeGreaterThan(300);
    // A day or so of the month the model was validated on (RMSE 5.53 over all of it): near it, MAE below it.
    expect(rmse).toBeGreaterThan(4);
    expect(rmse).toBeLessThan(8);
    expect(mae).toBeLessThan(rmse!);
    expect(out).toContain('consumer exited with 0, evaluator with 0');

    // Everything it started has stopped: the broker and both programs' HTTP servers no longer listen.
    const ports = [
      /Kafka \(local\) at 127\.0\.0\.1:(\d+)/,
      /Consumer ready \(metrics at http:\/\/127\.0\.0\.1:(\d+)/,
      /Evaluator ready \(metrics at http:\/\/127\.0\.0\.1:(\d+)/,
    ].map((re) => Number(re.exec(out)?.[1]));
    expect(
      ports.every((p) => p > 0),
      out,
    ).toBe(true);
    for (const port of ports) expect(await listening(port), `port ${port}`).toBe(false);
  }, 180_000);
});
