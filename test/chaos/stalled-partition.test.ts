import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { committedOffsets, uniqueName, waitFor } from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, runFaultScenario } from '../support/chaos/fault-scenario.js';
import type { ConsumerProcess } from '../support/consumer-process.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

const HOOK = new URL('./stall-hook.cjs', import.meta.url).pathname;
// Two session timeouts (FAST_SESSION: 6 s), the smallest the consumer accepts being 1.
const STALL_TIMEOUT_MS = 12_000;

const lines = (member: ConsumerProcess, text: string): string[] =>
  member
    .output()
    .split('\n')
    .filter((l) => l.includes(text));

/** The value of one sample of a member's /metrics, 0 when absent. */
async function metric(member: ConsumerProcess, sample: string): Promise<number> {
  const { body } = await member.get('/metrics');
  const line = body.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}

/** An arm file for stall-hook.cjs (removed at test end) and the member environment that loads the hook. */
function armStallHook(name: string, extra: Record<string, string> = {}) {
  const armFile = join(tmpdir(), `${uniqueName(name)}.armed`);
  onTestFinished(() => {
    rmSync(armFile, { force: true });
    rmSync(`${armFile}.claimed`, { force: true });
  });
  const memberEnv = {
    NODE_OPTIONS: `--require ${HOOK}`,
    CHAOS_STALL_FILE: armFile,
    STALL_TIMEOUT_MS: String(STALL_TIMEOUT_MS),
    ...extra,
  };
  return { armFile, memberEnv };
}

// A produce request that never settles (stall-hook.cjs) holds a chunk, and with it the member's fetches, forever,
// while heartbeats keep the member in the group: the progress watchdog must notice and run the client again.
describe.each(guaranteesFor('core'))('chaos: a partition stalls inside the client (%s)', (guarantee) => {
  it('detects the stall, recovers from committed offsets, and loses nothing', {
    timeout: 600_000,
  }, async () => {
    const { armFile, memberEnv } = armStallHook('stall');
    const result = await runFaultScenario({
      fault: 'a produce request never settles (stalled partition)',
      guarantee,
      memberEnv,
      inject: async ({ admin, groupId, topics, partitions, members }) => {
        const recoveries: number[] = [];
        for (let i = 0; i < chaosProfile().stalls; i++) {
          await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
          const held = members.map((m) => lines(m, 'holding a produce request').length);
          const since = await committedOffsets(admin, groupId, topics.rides);
          const at = Date.now();
          writeFileSync(armFile, '');
          // The hook's own line names the member, once it reached us: the arm file's rename alone can be seen first.
          const holder = () =>
            members.find((m, j) => lines(m, 'holding a produce request').length > held[j]!);
          await waitFor(
            () => holder() !== undefined,
            30_000,
            () =>
              `no member said it holds a produce request (arm file ${existsSync(armFile) ? 'unclaimed' : 'claimed'})`,
          );
          expect(existsSync(armFile), 'the holder claimed the arm file').toBe(false);
          rmSync(`${armFile}.claimed`, { force: true });
          const stalled = holder();
          const member = stalled!;
          const before = lines(member, 'client running again after a stall').length;
          const counted = await metric(member, 'ride_stall_recoveries_total{outcome="recovered"}');
          await waitFor(
            () => lines(member, 'client running again after a stall').length > before,
            STALL_TIMEOUT_MS + 60_000,
            () => `the held member never recovered:\n${member.output()}`,
          );
          const detected = lines(member, 'partition stalled').at(-1)!;
          const { stalls } = JSON.parse(detected) as { stalls: { partition: number; stalledMs: number }[] };
          expect(stalls.length).toBeGreaterThan(0);
          for (const s of stalls) expect(s.stalledMs).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS);
          recoveries.push(await waitResumed(admin, groupId, topics.rides, since, at, 120_000));
          expect(await metric(member, 'ride_stall_recoveries_total{outcome="recovered"}')).toBe(counted + 1);
          for (const m of members) expect(m.child.exitCode, m.output()).toBeNull();
        }
        return recoveries;
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});

// When running the client again cannot help (every produce of the member hangs), the member must not sit there
// not ready forever: after MAX_STALL_RECOVERIES recoveries with no batch finished it exits 1 for its supervisor,
// and the group's other member answers everything.
describe.each(guaranteesFor('extra'))('chaos: a stall recovery cannot help (%s)', (guarantee) => {
  it('exits 1 after repeated recoveries without progress; the other member answers every ride', {
    timeout: 600_000,
  }, async () => {
    const { armFile, memberEnv } = armStallHook('stall-all', { CHAOS_STALL_ALL: '1' });
    const result = await runFaultScenario({
      fault: 'every produce of a member never settles (exit after 3 recoveries)',
      guarantee,
      memberEnv,
      inject: async ({ admin, groupId, topics, partitions, members }) => {
        await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
        const since = await committedOffsets(admin, groupId, topics.rides);
        const at = Date.now();
        writeFileSync(armFile, '');
        await waitFor(
          () => members.some((m) => lines(m, 'holding a produce request').length > 0),
          30_000,
          () => 'no member sent a produce request',
        );
        const held = members.find((m) => lines(m, 'holding a produce request').length > 0)!;
        const code = await Promise.race([
          held.exited,
          new Promise<string>((r) => setTimeout(() => r('still running'), 8 * STALL_TIMEOUT_MS + 60_000)),
        ]);
        expect(code, held.output()).toBe(1);
        // Three recoveries, then the fourth detection gives up.
        expect(lines(held, 'partition stalled').length).toBeGreaterThanOrEqual(4);
        expect(lines(held, 'stall recovery failed').join('\n')).toContain('RIDE_PARTITION_STALLED');
        // The exited member is the supervisor's to restart; the scenario goes on with the other one.
        members.splice(members.indexOf(held), 1);
        return [await waitResumed(admin, groupId, topics.rides, since, at, 120_000)];
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});
