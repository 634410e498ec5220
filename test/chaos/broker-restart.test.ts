import { RideProducer, syntheticRides } from '@ride/producer';
import { createLogger } from '@ride/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type BrokerHandle,
  committedOffsets,
  recordCount,
  startBroker,
  uniqueName,
  waitFor,
} from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { tallyTopic } from '../support/chaos/delivered-ids.js';
import { reportFault } from '../support/chaos/fault-report.js';
import { expectDeliveryKept, kafkaFor, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';
import { startSending } from '../support/sending-loop.js';
import { startStream } from '../support/stream-producer.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testClient } from '../support/test-kafka.js';

// Restarting the shared broker would break every other suite: this file runs its own (stop + start on the
// same ports and data, see BrokerHandle.restart).
let broker: BrokerHandle;
beforeAll(async () => {
  broker = await startBroker({
    mode: inject('kafkaKind') === 'container' ? 'container' : 'local',
    partitions: 6,
  });
}, 180_000);
afterAll(() => broker?.stop());

const restartBroker = async (): Promise<number> => {
  const at = Date.now();
  await broker.restart!();
  return Date.now() - at;
};

describe('chaos: broker restart, producer side', () => {
  // Long profile only: in `npm test` the pipeline scenario below drives the same CLI through a restart.
  it.runIf(chaosProfile().name === 'long')(
    'the CLI rides through a restart and counts as sent only what the broker acknowledged',
    {
      timeout: 600_000,
    },
    async () => {
      const kafka = kafkaFor(broker.brokers);
      const admin = disconnectAfterTest(kafka.admin());
      await admin.connect();
      const topics = await createStreamTopics(kafka, 6);
      const stream = startStream(broker.brokers, topics, [
        '--synthetic',
        '--rate',
        String(chaosProfile().rate),
        '--batch-size',
        '100',
      ]);
      await waitForRecords(admin, topics.rides, 500);
      const downMs: number[] = [];
      for (let i = 0; i < chaosProfile().brokerRestarts; i++) {
        downMs.push(await restartBroker());
        await waitForRecords(admin, topics.rides, (await recordCount(admin, topics.rides)) + 500);
      }
      const run = await stream.stop();
      expect(run.sent, run.output).toBeGreaterThan(0);
      const sent = run.sent!;
      const failed = run.failed ?? 0;
      // A failed batch is reported as such (exit 1); the CLI itself survived the restart and went on.
      expect(run.code, run.output).toBe(failed > 0 ? 1 : 0);
      const landed = await tallyTopic(kafka, topics.rides, await recordCount(admin, topics.rides));
      expectHonest(landed, sent, failed);
      reportFault({
        fault: 'broker restart (producer CLI)',
        guarantee: 'at_least_once',
        repetitions: downMs.length,
        events: sent + failed,
        lost: sent + failed - landed.unique.size,
        duplicates: landed.duplicates,
        recoveryMs: downMs,
      });
    },
  );

  // Every profile: when a batch times out after the broker appended it (a loaded machine, a slow restart), kafkajs
  // would reuse its sequence numbers and fail every later send with OUT_OF_ORDER_SEQUENCE_NUMBER; RideProducer's
  // IdempotentProducer starts over instead, which this pins.
  it('the library: sendBatch results add up to what landed, across a restart', {
    timeout: 600_000,
  }, async () => {
    const kafka = kafkaFor(broker.brokers);
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    const topics = await createStreamTopics(kafka, 6);
    const producer = await RideProducer.connect({
      kafka: { brokers: broker.brokers, clientId: uniqueName('lib'), ...testClient() },
      topic: topics.rides,
      logger: createLogger({ level: 'silent' }),
    });
    const sending = startSending(producer, syntheticRides({ seed: 3 }), 50, 50);
    let restartMs = 0;
    try {
      await sending.sentAtLeast(500);
      restartMs = await restartBroker();
      // Surviving means sending again afterwards, not just having reported the failures.
      await sending.sentAtLeast(sending.sent() + 500);
    } finally {
      await sending.stop();
    }
    const sent = sending.sent();
    const failed = sending.failed();
    await producer.close();
    const landed = await tallyTopic(kafka, topics.rides, await recordCount(admin, topics.rides));
    expectHonest(landed, sent, failed);
    reportFault({
      fault: 'broker restart (producer library)',
      guarantee: 'at_least_once',
      repetitions: 1,
      events: sent + failed,
      lost: sent + failed - landed.unique.size,
      duplicates: landed.duplicates,
      recoveryMs: [restartMs],
    });
  });
});

// Both guarantees in every profile. A member whose transaction hits the restart may see its client give up
// ("Failed to find group coordinator", which kafkajs does not restart from); the stream supervisor runs it again.
describe.each(guaranteesFor('core'))('chaos: broker restart mid-stream, consumer side (%s)', (guarantee) => {
  it('loses no ride when the broker restarts under producer and consumers', {
    timeout: 600_000,
  }, async () => {
    const result = await runFaultScenario({
      fault: 'broker restart (pipeline)',
      guarantee,
      brokers: broker.brokers,
      inject: async ({ admin, groupId, topics, partitions }) => {
        const recoveries: number[] = [];
        for (let i = 0; i < chaosProfile().brokerRestarts; i++) {
          await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
          const since = await committedOffsets(admin, groupId, topics.rides);
          const at = Date.now();
          await broker.restart!();
          // The producer may be stalled by the same restart: a caught-up partition has recovered too.
          recoveries.push(await waitResumed(admin, groupId, topics.rides, since, at, 180_000, true));
        }
        return recoveries;
      },
    });
    // The producer may have given up on a batch while the broker was down; then it says so (exit 1).
    const { code, sent, failed = 0, output } = result.producer;
    expect(code, output).toBe(failed > 0 ? 1 : 0);
    const unique = new Set(result.delivery.inputs.map((r) => r.key ?? ''));
    const records = result.delivery.inputs.length;
    expectHonest({ records, unique, duplicates: records - unique.size }, sent ?? 0, failed);
    expectDeliveryKept(result, guarantee);
  });
});

// Long profile, local broker only (a container restarts at once): down longer than the clients' retries (about
// 35 s), so kafkajs gives up on the consumer; a member must run again rather than exit, and lose nothing.
describe.each(guaranteesFor('extra'))('chaos: broker down for 45 s (%s)', (guarantee) => {
  it.runIf(chaosProfile().name === 'long' && inject('kafkaKind') !== 'container')(
    'keeps every member alive through an outage longer than the client retries, and loses nothing',
    { timeout: 600_000 },
    async () => {
      const result = await runFaultScenario({
        fault: 'broker down 45 s (> client retries)',
        guarantee,
        brokers: broker.brokers,
        inject: async ({ admin, groupId, topics, partitions, members }) => {
          await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
          const since = await committedOffsets(admin, groupId, topics.rides);
          const at = Date.now();
          await broker.restart!({ downMs: 45_000 });
          const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000, true);
          for (const member of members) expect(member.child.exitCode, member.output()).toBeNull();
          const reruns = members.map((m) =>
            m
              .output()
              .split('\n')
              .filter((l) => l.includes('running it again')),
          );
          console.warn(
            `[chaos] members run again after their client gave up: ${reruns.flat().length} time(s)`,
          );
          return [recovery];
        },
      });
      // The producer CLI gave up on batches during the outage and says so; what it counted as sent landed.
      const { sent = 0, failed = 0 } = result.producer;
      expect(result.producer.code, result.producer.output).toBe(failed > 0 ? 1 : 0);
      expect(new Set(result.delivery.inputs.map((r) => r.key ?? '')).size).toBeGreaterThanOrEqual(sent);
      expectDeliveryKept(result, guarantee);
    },
  );
});

/**
 * Everything counted as sent is on the topic (a failed batch may have landed too), nothing landed that was
 * counted neither sent nor failed, nothing twice.
 */
function expectHonest(landed: Awaited<ReturnType<typeof tallyTopic>>, sent: number, failed: number): void {
  expect(landed.unique.size).toBeGreaterThanOrEqual(sent);
  expect(landed.unique.size).toBeLessThanOrEqual(sent + failed);
  expect(landed.duplicates).toBe(0);
}

async function waitForRecords(
  admin: Parameters<typeof recordCount>[0],
  topic: string,
  count: number,
): Promise<void> {
  await waitFor(
    async () => (await recordCount(admin, topic).catch(() => 0)) >= count,
    120_000,
    () => `fewer than ${count} records on ${topic} after 120 s`,
    { intervalMs: 200 },
  );
}
