import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BATCH_SCORER_MAIN,
  freePort,
  PRODUCER_MAIN,
  REPO_ROOT,
  runToExit,
  STREAM_SCORER_MAIN,
  startStreamScorer,
  streamTopicNames,
  uniqueName,
  WEB_SERVICE_MAIN,
  waitFor,
} from '../../harness/index.js';
import { killAfterTest } from '../support/kill-after-test.js';
import { OLDER_NODE_VERSION, olderNode } from '../support/older-node.js';
import { runConsumerToExit } from '../support/run-consumer-to-exit.js';

/** The pino lines of a program's output, and whatever else it printed (which must be nothing). */
function split(output: string): { lines: Record<string, unknown>[]; raw: string[] } {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  for (const text of output.split('\n').filter((l) => l.trim() !== '')) {
    try {
      lines.push(JSON.parse(text));
    } catch {
      raw.push(text);
    }
  }
  return { lines, raw };
}

const PROGRAMS = [
  { name: 'ride-scorer', main: STREAM_SCORER_MAIN },
  { name: 'ride-web', main: WEB_SERVICE_MAIN },
  { name: 'ride-batch', main: BATCH_SCORER_MAIN },
  { name: 'ride-producer', main: PRODUCER_MAIN },
];

describe('start-up failures end the process with a fatal line and its code', () => {
  it(`each program on Node ${OLDER_NODE_VERSION} stops first, naming the Node it needs and how to run it`, async () => {
    const node = await olderNode();
    for (const { name, main } of PROGRAMS) {
      const run = await runToExit(node, [join(REPO_ROOT, main)], { cwd: REPO_ROOT });
      expect(run.code, run.output).toBe(2);
      const { lines, raw } = split(run.output);
      expect(raw).toEqual([]);
      expect(lines).toEqual([
        expect.objectContaining({
          level: 60,
          name,
          code: 'RIDE_NODE_UNSUPPORTED',
          msg: expect.stringContaining(`needs Node 24.11.0 or newer and runs on ${OLDER_NODE_VERSION}`),
        }),
      ]);
    }
  }, 60_000);

  it('a scorer that reaches no broker exits 1 with RIDE_BROKER_UNAVAILABLE naming KAFKA_BROKERS, never ready', async () => {
    const nothing = `127.0.0.1:${await freePort()}`;
    const run = await runConsumerToExit(streamTopicNames(uniqueName('s')), uniqueName('g'), {
      KAFKA_BROKERS: nothing,
    });
    expect(run.code, run.output).toBe(1);
    const { lines, raw } = split(run.output);
    expect(raw).toEqual([]);
    expect(lines.filter((l) => l.level === 60)).toEqual([
      expect.objectContaining({
        code: 'RIDE_BROKER_UNAVAILABLE',
        msg: expect.stringContaining(`no Kafka broker answered at ${nothing} (KAFKA_BROKERS)`),
      }),
    ]);
    // Its health endpoints never served: it stopped before listening.
    expect(lines.some((l) => l.msg === 'http server listening')).toBe(false);
  }, 90_000);

  it('SIGTERM during start-up (brokers unreachable) stops the scorer, cleanly, with structured logs only', async () => {
    const { run } = await startStreamScorer({
      brokers: [`127.0.0.1:${await freePort()}`],
      topics: streamTopicNames(uniqueName('s')),
      groupId: uniqueName('g'),
    });
    killAfterTest(run);
    await waitFor(
      () => run.output().includes('"msg":"model loaded"'),
      30_000,
      () => `the scorer never loaded its model:\n${run.output()}`,
    );
    run.child.kill('SIGTERM');
    expect(await run.exited, run.output()).toBe(0);
    const { lines, raw } = split(run.output());
    expect(raw).toEqual([]);
    expect(lines.at(-1)).toMatchObject({ msg: 'stopped cleanly' });
  }, 60_000);
});
