import { describe, expect, it } from 'vitest';
import { committedOffsets } from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { waitBalanced } from '../support/chaos/members.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

describe.each(guaranteesFor('extra'))('chaos: rebalances during a stream (%s)', (guarantee) => {
  it('loses no ride while members join and leave', { timeout: 600_000 }, async () => {
    const result = await runFaultScenario({
      fault: 'add / remove a member',
      guarantee,
      members: 1,
      inject: async ({ admin, groupId, topics, members, partitions, startMember }) => {
        const recoveries: number[] = [];
        const change = async (apply: () => Promise<void>): Promise<void> => {
          const since = await committedOffsets(admin, groupId, topics.rides);
          const at = Date.now();
          await apply();
          recoveries.push(await waitResumed(admin, groupId, topics.rides, since, at));
          await waitBalanced(members, partitions);
          await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
        };
        for (let i = 0; i < chaosProfile().rebalances; i++) {
          await change(async () => {
            members.push(await startMember());
          });
          // Alternate which member leaves, so the original one hands over too.
          const leaving = i % 2 === 0 ? members.length - 1 : 0;
          await change(async () => {
            const [member] = members.splice(leaving, 1);
            expect(await member!.stop('SIGTERM'), member!.output()).toBe(0);
          });
        }
        return recoveries;
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});
