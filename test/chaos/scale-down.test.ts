import { DEFAULT_KAFKA_CLIENT, type GroupProtocol, type KafkaAdmin } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { committedOffsets, waitFor } from '../../harness/index.js';
import { chaosProfile } from '../support/chaos/chaos-profile.js';
import type { Guarantee } from '../support/chaos/fault-report.js';
import { expectDeliveryKept, type Pipeline, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { partitionsOf, waitBalanced } from '../support/chaos/members.js';
import type { ConsumerProcess } from '../support/consumer-process.js';
import { waitResumed } from '../support/group-progress.js';
import { keepLog } from '../support/keep-log.js';
import { testClient } from '../support/test-kafka.js';

// KEDA after a burst (issue #23): the chart caps the scorer's replicas at the input partitions, and scaling the
// Deployment from there to minReplicas=1 terminates every other pod at once, each with SIGTERM. Each must leave the
// group cleanly within SHUTDOWN_TIMEOUT_MS (exit 0), and the one left must take every partition over.
const PARTITIONS = 6;
const client = testClient().client ?? DEFAULT_KAFKA_CLIENT;
// KIP-848 (the coordinator assigns, incrementally) is spoken by @platformatic/kafka only.
const protocols: GroupProtocol[] = client === 'platformatic' ? ['classic', 'consumer'] : ['classic'];
const guarantees: Guarantee[] = ['at_least_once', 'exactly_once'];
const cases = protocols.flatMap((protocol) => guarantees.map((guarantee) => ({ protocol, guarantee })));
// The deployed group timing (the chart leaves the scorer's defaults), not the suite's fast sessions: a clean leave
// needs no failure detection, so what the survivor waits for is its next heartbeat (classic: every 3 s, client-side;
// KIP-848: the broker's group.consumer.heartbeat.interval.ms, 5 s by default, and the settings below are ignored).
const DEPLOYED_SESSION = { SESSION_TIMEOUT_MS: '30000', HEARTBEAT_INTERVAL_MS: '3000' };
const PROTOCOL_LABEL: Record<GroupProtocol, string> = { classic: 'classic protocol', consumer: 'KIP-848' };

/** What one scale-down measured, all from the SIGTERMs. */
interface ScaleDownFigures {
  /** Each leaving member's exit code and time to exit. */
  exits: Array<{ pid: number | undefined; code: number | null; ms: number }>;
  /** Until the survivor reports every partition as its own (/readyz). */
  takeoverMs: number;
  /** The longest any of the survivor's own partitions went without a commit: its pause in the rebalance. */
  survivorPauseMs: number;
  /** Until every partition committed past where the leavers left it. */
  recoveryMs: number;
}

// Long profile only: each case runs six scorer processes beside the producer (20–30 s a case on two cores), and
// `npm test` has no room left in CI's 30 minutes; its rebalance scenario covers members leaving one at a time, and
// test/streaming/consumer-group.test.ts a hand-over on each protocol.
describe.each(cases)('chaos: scale-down to one member ($protocol, $guarantee)', ({ protocol, guarantee }) => {
  it.runIf(chaosProfile().name === 'long')(
    `loses no ride when ${PARTITIONS - 1} of ${PARTITIONS} members get SIGTERM at once under load`,
    { timeout: 600_000 },
    async () => {
      let figures: ScaleDownFigures | undefined;
      const result = await runFaultScenario({
        fault: `scale down ${PARTITIONS} → 1 member (${PROTOCOL_LABEL[protocol]})`,
        guarantee,
        partitions: PARTITIONS,
        members: PARTITIONS,
        memberEnv: { ...DEPLOYED_SESSION, GROUP_PROTOCOL: protocol },
        inject: async (pipeline) => {
          figures = await scaleDown(pipeline);
          return [figures.recoveryMs];
        },
      });
      console.warn(`[chaos] scale-down ${client} ${protocol} ${guarantee}: ${JSON.stringify(figures)}`);
      expect(result.producer.code, result.producer.output).toBe(0);
      // At-least-once duplicates are counted, not failed: on the classic protocol every join restarts the partitions
      // a member keeps from their committed offsets (shared/src/kafka/platformatic/fetch-session.ts, as kafkajs
      // does), so the survivor answers again what it had answered since its last commit (COMMIT_INTERVAL_MS).
      expectDeliveryKept(result, guarantee);
    },
  );
});

/** SIGTERMs every member but the first at once, mid-stream, and measures the survivor taking over. */
async function scaleDown({
  admin,
  groupId,
  topics,
  partitions,
  members,
}: Pipeline): Promise<ScaleDownFigures> {
  const all = [...Array(partitions).keys()];
  // Under load: every member has committed since now, so each is scoring when it is told to stop.
  await waitResumed(
    admin,
    groupId,
    topics.rides,
    await committedOffsets(admin, groupId, topics.rides),
    Date.now(),
  );
  const survivor = members[0]!;
  const leaving = members.slice(1);
  const pauses = watchCommitGaps(admin, groupId, topics.rides, await partitionsOf(survivor));
  const at = Date.now();
  const [exits, takeoverMs] = await Promise.all([
    Promise.all(leaving.map((member) => exitOf(member, groupId, at))),
    waitTakeover(survivor, partitions, at),
  ]);
  members.splice(1);
  for (const exit of exits) expect(exit.code, `member ${exit.pid}: ${exit.log}`).toBe(0);
  // The leavers commit what they answered on their way out: the survivor's progress counts from after the last.
  const since = await committedOffsets(admin, groupId, topics.rides);
  const recoveryMs = await waitResumed(admin, groupId, topics.rides, since, at);
  const survivorPauseMs = await pauses();
  await waitBalanced([survivor], partitions);
  expect(await partitionsOf(survivor)).toEqual(all);
  return {
    exits: exits.map(({ pid, code, ms }) => ({ pid, code, ms })),
    takeoverMs,
    survivorPauseMs,
    recoveryMs,
  };
}

/** SIGTERMs a member; its exit code, time to exit from `at`, and its log kept when it failed (or KEEP_TEST_LOGS). */
async function exitOf(
  member: ConsumerProcess,
  groupId: string,
  at: number,
): Promise<ScaleDownFigures['exits'][number] & { log: string | undefined }> {
  const code = await member.stop('SIGTERM');
  const ms = Date.now() - at;
  const keep = code !== 0 || process.env.KEEP_TEST_LOGS;
  const log = keep ? keepLog(`${groupId}-${member.child.pid}`, member.output()) : undefined;
  return { pid: member.child.pid, code, ms, log };
}

/** Milliseconds from `at` until the member's /readyz lists every partition. */
async function waitTakeover(member: ConsumerProcess, partitions: number, at: number): Promise<number> {
  let owned: number[] = [];
  await waitFor(
    async () => {
      owned = await partitionsOf(member);
      return owned.length === partitions;
    },
    90_000,
    () => `the survivor never took all ${partitions} partitions (owns ${JSON.stringify(owned)})`,
    { intervalMs: 200 },
  );
  return Date.now() - at;
}

/**
 * Watches the group's commits on `watched` until the returned function is called, which resolves with the longest
 * time any of them went without its committed offset moving (at 200 ms resolution). Under an eager rebalance the
 * survivor stops on its own partitions too; under KIP-848 it keeps them and should not pause.
 */
function watchCommitGaps(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  watched: readonly number[],
): () => Promise<number> {
  const last = new Map<number, { offset: number; at: number }>();
  let longest = 0;
  let stopping = false;
  // A test that fails before stopping the watch still ends it.
  onTestFinished(() => {
    stopping = true;
  });
  const watching = waitFor(
    async () => {
      const committed = await committedOffsets(admin, groupId, topic).catch(() => undefined);
      const now = Date.now();
      for (const p of watched) {
        const offset = committed?.get(p);
        const seen = last.get(p);
        if (offset === undefined || offset === seen?.offset) continue;
        if (seen !== undefined) longest = Math.max(longest, now - seen.at);
        last.set(p, { offset, at: now });
      }
      return stopping;
    },
    Number.POSITIVE_INFINITY,
    () => 'unreachable: the watch ends when stopped',
    { intervalMs: 200 },
  );
  return async () => {
    stopping = true;
    await watching;
    const now = Date.now();
    for (const { at } of last.values()) longest = Math.max(longest, now - at);
    return longest;
  };
}
