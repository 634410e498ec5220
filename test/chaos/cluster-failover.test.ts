import type { KafkaAdmin } from '@ride/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { committedOffsets, type LocalClusterHandle, startLocalCluster } from '../../harness/index.js';
import { guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

// A three-node cluster as production runs it: every topic at replication factor 3, min ISR 2. One cluster for the
// file; each scenario leaves every node running.
let cluster: LocalClusterHandle;
beforeAll(async () => {
  cluster = await startLocalCluster({ nodes: 3, partitions: 6 });
}, 300_000);
afterAll(() => cluster?.stop());

/** The node leading the most partitions of `topics` (ties: the lowest id). */
async function busiestLeader(admin: KafkaAdmin, topics: readonly string[]): Promise<number> {
  const led = new Map<number, number>();
  for (const topic of topics) {
    for (const leader of (await admin.partitionLeaders(topic)).values()) {
      led.set(leader, (led.get(leader) ?? 0) + 1);
    }
  }
  const [busiest] = [...led].sort(([a, n], [b, m]) => m - n || a - b);
  if (busiest === undefined) throw new Error(`no leader found for ${topics.join(', ')}`);
  return busiest[0];
}

describe.each(guaranteesFor('core'))('chaos: cluster leader failover (%s)', (guarantee) => {
  it('loses no ride when the broker leading the most input and output partitions is SIGKILLed, and it returns', {
    timeout: 600_000,
  }, async () => {
    let killed = -1;
    const result = await runFaultScenario({
      fault: 'cluster: SIGKILL the busiest leader',
      guarantee,
      brokers: cluster.brokers,
      inject: async ({ admin, groupId, topics, partitions }) => {
        await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
        killed = await busiestLeader(admin, [topics.rides, topics.predictions]);
        const node = cluster.node(killed);
        const since = await committedOffsets(admin, groupId, topics.rides);
        const at = Date.now();
        await node.kill();
        // Leadership moves to the replicas in sync; the members and the producer follow it.
        const recovery = await waitResumed(admin, groupId, topics.rides, since, at, 180_000, true);
        await node.start();
        return [recovery];
      },
    });
    expect(killed).toBeGreaterThan(0);
    // With min ISR 2 of 3, losing one node refuses no write: the producer CLI sent everything.
    const { code, failed = 0, output } = result.producer;
    expect(failed, output).toBe(0);
    expect(code, output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});
