import { describe, expect, it } from 'vitest';
import { committedOffsets } from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, runFaultScenario } from '../support/chaos/fault-scenario.js';
import { partitionsOf, waitBalanced } from '../support/chaos/members.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

describe.each(guaranteesFor('core'))('chaos: SIGKILL a consumer mid-stream (%s)', (guarantee) => {
  it('loses no ride while one member is killed and restarted repeatedly and the other keeps running', {
    timeout: 600_000,
  }, async () => {
    const result = await runFaultScenario({
      fault: 'SIGKILL consumer, restart',
      guarantee,
      inject: async ({ admin, groupId, topics, members, partitions, startMember }) => {
        const recoveries: number[] = [];
        for (let i = 0; i < chaosProfile().kills; i++) {
          const victim = members[1]!;
          // Mid-batch, not idle: the victim has committed work on its own partitions since it joined.
          await waitProgress(admin, groupId, topics.rides, await partitionsOf(victim));
          const since = await committedOffsets(admin, groupId, topics.rides);
          const killedAt = Date.now();
          victim.child.kill('SIGKILL');
          expect(await victim.exited).toBeNull();
          recoveries.push(await waitResumed(admin, groupId, topics.rides, since, killedAt));
          members[1] = await startMember();
          await waitBalanced(members, partitions);
        }
        return recoveries;
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});
