import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { REPO_ROOT, spawnChild } from '../harness/index.js';
import { killAfterTest } from './support/kill-after-test.js';

// The benchmark's figures are reported, never asserted; this only proves `npm run bench -- --smoke` still runs
// end to end (perf tools, preload, consumer, latency point, the lever runs) against the test broker.
describe('npm run bench -- --smoke', () => {
  it('runs every stage and prints the results table', async () => {
    const run = killAfterTest(
      spawnChild(
        process.execPath,
        [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), 'bench/run.ts', '--smoke'],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, KAFKA_BROKERS: inject('kafkaBrokers').join(',') },
        },
      ),
    );
    const code = await run.exited;
    const output = run.output();
    expect(code, output).toBe(0);
    expect(output).toMatch(/our consumer, 1 process/);
    expect(output).toMatch(/p99/);
    expect(output).toMatch(/\| before: headers, kafkajs \| 24\.\S+ \| per-record headers \| kafkajs \|/);
    expect(output).toMatch(/\| both \(default\) \| 24\.\S+ \| none \(wire format\) \| platformatic \|/);
    // Only the covering rows run here (each setting of each lever once); `npm run bench` runs all four.
    expect(output).not.toMatch(/\| platformatic alone \|/);
  }, 480_000);
});
