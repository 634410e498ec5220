import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { committedOffsets, endOffsets, uniqueName } from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, FAST_SESSION, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { partitionsOf, waitBalanced } from '../support/chaos/members.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

const HOOK = new URL('./slow-scoring-hook.cjs', import.meta.url).pathname;
const SLOW_MS = Number(FAST_SESSION.SESSION_TIMEOUT_MS) + 2000;
const rebalances = (output: string): number =>
  output.split('\n').filter((l) => l.includes('rebalancing')).length;

describe.each(guaranteesFor('extra'))('chaos: slow scoring (%s)', (guarantee) => {
  it('keeps a member whose batch takes longer than the session timeout, and loses nothing', {
    timeout: 600_000,
  }, async () => {
    const armFile = join(tmpdir(), `${uniqueName('slow')}.armed`);
    onTestFinished(() => rmSync(armFile, { force: true }));
    const result = await runFaultScenario({
      fault: `scoring ${SLOW_MS / 1000} s per batch > session timeout`,
      guarantee,
      // One partition per member and one chunk per fetched batch: each waits out one slow run, not a queue of them.
      partitions: 2,
      memberEnv: {
        MAX_BATCH: '20000',
        NODE_OPTIONS: `--require ${HOOK}`,
        CHAOS_SLOW_SCORING_FILE: armFile,
        CHAOS_SLOW_SCORING_MS: String(SLOW_MS),
      },
      inject: async ({ admin, groupId, topics, members }) => {
        const recoveries: number[] = [];
        for (let i = 0; i < chaosProfile().stalls; i++) {
          const before = await Promise.all(members.map(partitionsOf));
          const rebalancesBefore = members.map((m) => rebalances(m.output()));
          // Progress past what was on the log when scoring turned slow: those records were scored slowly. (Committed
          // offsets alone would not do: the consumer commits on an interval, so they trail what it scored.)
          const at = Date.now();
          writeFileSync(armFile, '');
          const since = await endOffsets(admin, topics.rides);
          // Every partition gets through at least one slow batch...
          const slowest = await waitResumed(admin, groupId, topics.rides, since, at, 180_000);
          rmSync(armFile);
          expect(slowest).toBeGreaterThanOrEqual(SLOW_MS); // the hook really slowed scoring down
          recoveries.push(slowest);
          // ...without a rebalance: the heartbeats kept both members in the group with their partitions.
          expect(members.map((m) => rebalances(m.output()))).toEqual(rebalancesBefore);
          expect(await Promise.all(members.map(partitionsOf))).toEqual(before);
        }
        return recoveries;
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});

describe.each(guaranteesFor('core'))('chaos: stalled member (%s)', (guarantee) => {
  // Exactly-once in every profile: a zombie's last transaction is the hardest case for "nothing doubled" (see
  // ExactlyOnceSink.claim). At-least-once only in the long one: the SIGKILL scenario covers its fenced-member path.
  it.runIf(chaosProfile().name === 'long' || guarantee === 'exactly_once')(
    'recovers without loss when a member stalls (SIGSTOP) past the session timeout and is fenced',
    {
      timeout: 600_000,
    },
    async () => {
      const result = await runFaultScenario({
        fault: `member stalled (SIGSTOP) ${SLOW_MS / 1000} s`,
        guarantee,
        inject: async ({ admin, groupId, topics, members, partitions }) => {
          const recoveries: number[] = [];
          for (let i = 0; i < chaosProfile().stalls; i++) {
            const victim = members[1]!;
            await waitProgress(admin, groupId, topics.rides, await partitionsOf(victim));
            const since = await committedOffsets(admin, groupId, topics.rides);
            const at = Date.now();
            victim.child.kill('SIGSTOP');
            // The survivor takes the stalled member's partitions once its session expires.
            recoveries.push(await waitResumed(admin, groupId, topics.rides, since, at));
            const stalled = Date.now() - at;
            if (stalled < SLOW_MS) await new Promise((r) => setTimeout(r, SLOW_MS - stalled));
            victim.child.kill('SIGCONT');
            // The woken member finds itself fenced, rejoins by itself and gets partitions again.
            await waitBalanced(members, partitions, 90_000);
            expect(victim.child.exitCode).toBeNull();
          }
          return recoveries;
        },
      });
      expect(result.producer.code, result.producer.output).toBe(0);
      expectDeliveryKept(result, guarantee);
    },
  );
});
