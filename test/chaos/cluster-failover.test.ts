import { RideProducer, type SendResult, syntheticRides } from '@ride/producer';
import { createLogger, type RideStarted } from '@ride/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterNode,
  committedOffsets,
  groupCoordinator,
  type LocalClusterHandle,
  recordCount,
  startLocalCluster,
  transactionCoordinators,
  uniqueName,
} from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import type { Guarantee } from '../support/chaos/fault-report.js';
import {
  expectDeliveryKept,
  type Pipeline,
  runFaultScenario,
  type ScenarioResult,
} from '../support/chaos/fault-scenario.js';
import { busiestLeader, mostFrequent } from '../support/cluster-nodes.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';
import { testClient } from '../support/test-kafka.js';

// A cluster as production runs it: three brokers beside a dedicated KRaft controller, every topic at replication
// factor 3, min ISR 2. One cluster for the file; each scenario leaves every broker running. With one broker of three
// down, min ISR still holds: the producer CLI must not fail a batch, and the members must lose nothing. With two
// down, the controller (outside the brokers, so the quorum stands) shrinks every ISR to the one left, and writes
// are refused with NOT_ENOUGH_REPLICAS until a broker returns.
let cluster: LocalClusterHandle;
beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, controllers: 1, partitions: 6 });
}, 300_000);
afterAll(() => cluster?.stop());
// A scenario that failed half-way leaves no node down or frozen for the next one.
afterEach(async () => {
  for (const node of cluster?.nodes ?? []) {
    node.resume();
    await node.start();
  }
}, 300_000);

const long = chaosProfile().name === 'long';

/** The node coordinating the most of the group's transactional ids (they start with the group id). */
async function busiestTransactionCoordinator(groupId: string): Promise<number> {
  const ours = [...(await transactionCoordinators(cluster.brokers))].filter(([id]) =>
    id.startsWith(`${groupId}.`),
  );
  return mostFrequent(
    ours.map(([, node]) => node),
    `no transactional id of ${groupId} is known to the cluster yet`,
  );
}

/**
 * Waits for every partition to make progress, starts `fault`, and returns the time from its start until every
 * partition commits past where it stood: the producer CLI writes to it again and a member answers (a partition
 * caught up does not count, it may only mean that the producer is stuck). Measured while the fault lasts: a frozen
 * node may stay frozen after the stream flows again.
 */
async function timedFault(pipeline: Pipeline, fault: () => Promise<void>): Promise<number> {
  const { admin, groupId, topics, partitions } = pipeline;
  await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
  const since = await committedOffsets(admin, groupId, topics.rides);
  const at = Date.now();
  const faulted = fault();
  const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000);
  await faulted;
  return recovery;
}

/** Runs the stream through `inject` on the cluster and checks what every cluster scenario must keep. */
async function clusterScenario(
  fault: string,
  guarantee: Guarantee,
  inject: (pipeline: Pipeline) => Promise<number[]>,
): Promise<ScenarioResult> {
  const result = await runFaultScenario({ fault, guarantee, brokers: cluster.brokers, inject });
  expectDeliveryKept(result, guarantee);
  // The producer CLI is idempotent: its retries through a leader move never write a ride twice.
  expect(result.delivery.inputDuplicates).toBe(0);
  return result;
}

/** With min ISR 2 of 3, one broker down refuses no write: the producer CLI sent everything. */
function expectProducerSentAll({ producer }: ScenarioResult): void {
  const { code, failed = 0, output } = producer;
  expect(failed, output).toBe(0);
  expect(code, output).toBe(0);
}

/**
 * A producer-library client ready before the fault, on a topic of its own: its one ride, sent while writes are refused
 * with few retries, shows the refusal and, by the topic's count later, whether anything landed.
 */
async function refusalProbe(pipeline: Pipeline): Promise<{ topic: string; send(): Promise<SendResult> }> {
  const topic = uniqueName('probe');
  await pipeline.admin.createTopics([{ topic, numPartitions: 1 }]);
  const producer = await RideProducer.connect({
    kafka: { brokers: cluster.brokers, clientId: uniqueName('probe'), retries: 2, ...testClient() },
    topic,
    logger: createLogger({ level: 'silent' }),
  });
  return {
    topic,
    send: async () => {
      try {
        return await producer.sendBatch([syntheticRides({ idPrefix: 'probe' }).next().value as RideStarted]);
      } finally {
        await producer.close();
      }
    },
  };
}

/** The messages and protocol error names of an error and of every error it wraps. */
function errorTree(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const named = err as Error & { apiId?: string; type?: string; errors?: unknown[] };
  const inner = [...(named.errors ?? []), ...(err.cause === undefined ? [] : [err.cause])];
  return [err.message, named.apiId, named.type, ...inner.map(errorTree)].filter(Boolean).join(' | ');
}

/** SIGKILLs `node`, waits for the members to commit again, and starts it again. */
async function killAndReturn(pipeline: Pipeline, node: ClusterNode): Promise<number[]> {
  const recovery = await timedFault(pipeline, () => node.kill());
  await node.start();
  return [recovery];
}

// `npm test` runs this one under at-least-once; the long profile under both guarantees.
describe.each(guaranteesFor('extra'))('chaos: cluster leader failover (%s)', (guarantee) => {
  it('loses no ride when the broker leading the most input and output partitions is SIGKILLed, and it returns', {
    timeout: 600_000,
  }, async () => {
    const result = await clusterScenario(
      'cluster: SIGKILL the busiest leader',
      guarantee,
      async (pipeline) => {
        const { admin, topics } = pipeline;
        const leader = await busiestLeader(admin, [topics.rides, topics.predictions]);
        return killAndReturn(pipeline, cluster.node(leader));
      },
    );
    expectProducerSentAll(result);
  });
});

describe.each(long ? guaranteesFor('core') : [])('chaos: cluster faults, long profile (%s)', (guarantee) => {
  it('loses no ride when the group coordinator is SIGKILLed, and it returns', {
    timeout: 600_000,
  }, async () => {
    const result = await clusterScenario(
      'cluster: SIGKILL the group coordinator',
      guarantee,
      async (pipeline) =>
        killAndReturn(pipeline, cluster.node(await groupCoordinator(cluster.brokers, pipeline.groupId))),
    );
    expectProducerSentAll(result);
  });

  it('loses no ride through a rolling restart of the three nodes under load', {
    timeout: 900_000,
  }, async () => {
    const result = await clusterScenario(
      'cluster: rolling restart (SIGTERM, one node at a time)',
      guarantee,
      async (pipeline) => {
        const recoveries: number[] = [];
        for (const node of cluster.nodes) {
          // Controlled shutdown moves leadership away first; the node is back in the cluster before the next one.
          recoveries.push(await timedFault(pipeline, () => node.stop()));
          await node.start();
        }
        return recoveries;
      },
    );
    expectProducerSentAll(result);
  });

  it('loses no ride when the busiest leader is frozen past its session, then resumed', {
    timeout: 600_000,
  }, async () => {
    const result = await clusterScenario(
      'cluster: SIGSTOP the busiest leader 20 s',
      guarantee,
      async (pipeline) => {
        const { admin, topics } = pipeline;
        const node = cluster.node(await busiestLeader(admin, [topics.rides, topics.predictions]));
        // Past the controller's broker session (9 s): the node is fenced and its partitions move while it stands still.
        const recovery = await timedFault(pipeline, async () => {
          node.freeze();
          await new Promise((r) => setTimeout(r, 20_000));
          node.resume();
        });
        await cluster.waitForLiveBrokers(3, 120_000);
        // The producer waited on the frozen node too: let the stream run on before it stops.
        await waitProgress(pipeline.admin, pipeline.groupId, topics.rides, [
          ...Array(pipeline.partitions).keys(),
        ]);
        return [recovery];
      },
    );
    expectProducerSentAll(result);
  });

  it('counts nothing sent or answered while two brokers are down, and flows again when one returns', {
    timeout: 600_000,
  }, async () => {
    let refused: SendResult = { sent: 0, failed: 0 };
    let landedProbes = -1;
    const result = await clusterScenario(
      'cluster: two brokers down 45 s (NOT_ENOUGH_REPLICAS), one returns',
      guarantee,
      async (pipeline) => {
        const { admin, groupId, topics, partitions } = pipeline;
        const probe = await refusalProbe(pipeline);
        await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
        // The busiest leader and one more go; every partition is left with one replica, below min ISR.
        const first = cluster.node(await busiestLeader(admin, [topics.rides, topics.predictions]));
        const second = cluster.nodes.find((n) => n !== first) as ClusterNode;
        await Promise.all([first.kill(), second.kill()]);
        await cluster.waitForLiveBrokers(1, 120_000);
        refused = await probe.send();
        // Long enough for every member's writes and commits to be refused too.
        await new Promise((r) => setTimeout(r, 45_000));
        // What the group committed while writes were refused. Recovery counts from the first broker's return until
        // every partition commits past it: the producer CLI writes again and the members answer (a caught-up
        // partition does not count, it may only mean that nothing new was written).
        const since = await committedOffsets(admin, groupId, topics.rides);
        const at = Date.now();
        const returned = first.start();
        const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000);
        await returned;
        await second.start();
        landedProbes = await recordCount(admin, probe.topic);
        return [recovery];
      },
    );
    // The producer library's send was refused for want of replicas and reported failed. A refusal after the leader
    // appended it (NOT_ENOUGH_REPLICAS_AFTER_APPEND) may still surface once a replica returns: at most once.
    expect(refused.failed).toBe(1);
    expect(errorTree(refused.error)).toMatch(/NOT_ENOUGH_REPLICAS|fewer in-sync replicas/);
    expect(landedProbes).toBeLessThanOrEqual(1);
    // The producer CLI counted as sent only rides the cluster has (a batch it reported failed may have landed on
    // some partitions before the refusal, never twice: it is idempotent).
    const { failed = 0, sent = 0 } = result.producer;
    expect(result.row.events).toBeGreaterThanOrEqual(sent);
    expect(result.row.events).toBeLessThanOrEqual(sent + failed);
  });
});

describe.each(long ? (['exactly_once'] as const) : [])('chaos: cluster transactions (%s)', (guarantee) => {
  it('loses and repeats no ride when the transaction coordinator is SIGKILLed mid-transaction', {
    timeout: 600_000,
  }, async () => {
    const result = await clusterScenario(
      'cluster: SIGKILL the transaction coordinator',
      guarantee,
      async (pipeline) => {
        await waitProgress(pipeline.admin, pipeline.groupId, pipeline.topics.rides, [
          ...Array(pipeline.partitions).keys(),
        ]);
        return killAndReturn(pipeline, cluster.node(await busiestTransactionCoordinator(pipeline.groupId)));
      },
    );
    expectProducerSentAll(result);
  });
});
