import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClusterNode,
  committedOffsets,
  groupCoordinator,
  type LocalClusterHandle,
  startLocalCluster,
  transactionCoordinators,
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
 * partition commits again, measured while the fault lasts (a frozen node may stay frozen after the members resumed).
 */
async function timedFault(pipeline: Pipeline, fault: () => Promise<void>): Promise<number> {
  const { admin, groupId, topics, partitions } = pipeline;
  await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
  const since = await committedOffsets(admin, groupId, topics.rides);
  const at = Date.now();
  const faulted = fault();
  const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000, true);
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
  return result;
}

/** With min ISR 2 of 3, one broker down refuses no write: the producer CLI sent everything. */
function expectProducerSentAll({ producer }: ScenarioResult): void {
  const { code, failed = 0, output } = producer;
  expect(failed, output).toBe(0);
  expect(code, output).toBe(0);
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
    const result = await clusterScenario(
      'cluster: two brokers down 45 s (NOT_ENOUGH_REPLICAS), one returns',
      guarantee,
      async (pipeline) => {
        const { admin, groupId, topics, partitions } = pipeline;
        await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
        // The busiest leader and one more go; every partition is left with one replica, below min ISR.
        const first = cluster.node(await busiestLeader(admin, [topics.rides, topics.predictions]));
        const second = cluster.nodes.find((n) => n !== first) as ClusterNode;
        await Promise.all([first.kill(), second.kill()]);
        await cluster.waitForLiveBrokers(1, 120_000);
        // Past the producer's retries (about 34 s): a batch must fail, not be counted sent.
        await new Promise((r) => setTimeout(r, 45_000));
        // What the group committed while writes were refused; recovery counts from the first broker's return.
        const since = await committedOffsets(admin, groupId, topics.rides);
        const at = Date.now();
        const returned = first.start();
        const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000, true);
        await returned;
        await second.start();
        return [recovery];
      },
    );
    // The producer CLI was refused for the two brokers' absence, reported those rides failed, and counted as sent
    // only rides the cluster has: its count of sent is within what the topic holds (a failed batch's partitions
    // that took it before the refusal may be there too, never twice: the producer is idempotent).
    const { failed = 0, sent = 0, output } = result.producer;
    expect(output).toMatch(/NOT_ENOUGH_REPLICAS|not enough replicas/i);
    expect(failed, output).toBeGreaterThan(0);
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
