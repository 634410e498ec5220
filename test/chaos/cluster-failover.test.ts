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
import { expectDeliveryKept, type Pipeline, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { busiestLeader, mostFrequent } from '../support/cluster-nodes.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

// A three-node cluster as production runs it: every topic at replication factor 3, min ISR 2. One cluster for the
// file; each scenario leaves every node running. With one node of three down, min ISR still holds: the producer CLI
// must not fail a batch, and the members must lose nothing.
let cluster: LocalClusterHandle;
beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, partitions: 6 });
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
): Promise<void> {
  const result = await runFaultScenario({ fault, guarantee, brokers: cluster.brokers, inject });
  // With min ISR 2 of 3, one node down refuses no write: the producer CLI sent everything.
  const { code, failed = 0, output } = result.producer;
  expect(failed, output).toBe(0);
  expect(code, output).toBe(0);
  expectDeliveryKept(result, guarantee);
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
    await clusterScenario('cluster: SIGKILL the busiest leader', guarantee, async (pipeline) => {
      const { admin, topics } = pipeline;
      const leader = await busiestLeader(admin, [topics.rides, topics.predictions]);
      return killAndReturn(pipeline, cluster.node(leader));
    });
  });
});

describe.each(long ? guaranteesFor('core') : [])('chaos: cluster faults, long profile (%s)', (guarantee) => {
  it('loses no ride when the group coordinator is SIGKILLed, and it returns', {
    timeout: 600_000,
  }, async () => {
    await clusterScenario('cluster: SIGKILL the group coordinator', guarantee, async (pipeline) =>
      killAndReturn(pipeline, cluster.node(await groupCoordinator(cluster.brokers, pipeline.groupId))),
    );
  });

  it('loses no ride through a rolling restart of the three nodes under load', {
    timeout: 900_000,
  }, async () => {
    await clusterScenario(
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
  });

  it('loses no ride when the busiest leader is frozen past its session, then resumed', {
    timeout: 600_000,
  }, async () => {
    await clusterScenario('cluster: SIGSTOP the busiest leader 20 s', guarantee, async (pipeline) => {
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
    });
  });
});

describe.each(long ? (['exactly_once'] as const) : [])('chaos: cluster transactions (%s)', (guarantee) => {
  it('loses and repeats no ride when the transaction coordinator is SIGKILLed mid-transaction', {
    timeout: 600_000,
  }, async () => {
    await clusterScenario('cluster: SIGKILL the transaction coordinator', guarantee, async (pipeline) => {
      await waitProgress(pipeline.admin, pipeline.groupId, pipeline.topics.rides, [
        ...Array(pipeline.partitions).keys(),
      ]);
      return killAndReturn(pipeline, cluster.node(await busiestTransactionCoordinator(pipeline.groupId)));
    });
  });
});
