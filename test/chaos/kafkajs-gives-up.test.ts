import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { committedOffsets, uniqueName, waitFor } from '../../harness/index.js';
import { chaosProfile, guaranteesFor } from '../support/chaos/chaos-profile.js';
import { expectDeliveryKept, runFaultScenario } from '../support/chaos/fault-scenario.js';
import type { ConsumerProcess } from '../support/consumer-process.js';
import { waitProgress, waitResumed } from '../support/group-progress.js';

const HOOK = new URL('./give-up-hook.cjs', import.meta.url).pathname;
const reruns = (members: readonly ConsumerProcess[]): number =>
  members.flatMap((m) => m.output().split('\n')).filter((l) => l.includes('running it again')).length;

// kafkajs does not restart a consumer after an error it deems final; ScoringConsumer runs it again (recover).
// The fault is injected into kafkajs's own runner, so the members consume with kafkajs whatever the run's client.
describe.each(guaranteesFor('extra'))('chaos: kafkajs gives up on the consumer (%s)', (guarantee) => {
  it('runs the consumer again instead of exiting, and loses nothing', { timeout: 600_000 }, async () => {
    const armFile = join(tmpdir(), `${uniqueName('give-up')}.armed`);
    onTestFinished(() => rmSync(armFile, { force: true }));
    const result = await runFaultScenario({
      fault: 'kafkajs gives up (final error in a heartbeat)',
      guarantee,
      memberEnv: { NODE_OPTIONS: `--require ${HOOK}`, CHAOS_GIVE_UP_FILE: armFile, KAFKA_CLIENT: 'kafkajs' },
      inject: async ({ admin, groupId, topics, partitions, members }) => {
        const recoveries: number[] = [];
        for (let i = 0; i < chaosProfile().kills; i++) {
          await waitProgress(admin, groupId, topics.rides, [...Array(partitions).keys()]);
          const since = await committedOffsets(admin, groupId, topics.rides);
          const before = reruns(members);
          const at = Date.now();
          writeFileSync(armFile, '');
          await waitFor(
            () => reruns(members) > before,
            30_000,
            () => `no member ran its consumer again:\n${members.map((m) => m.output()).join('\n')}`,
          );
          recoveries.push(await waitResumed(admin, groupId, topics.rides, since, at));
          for (const member of members) expect(member.child.exitCode, member.output()).toBeNull();
        }
        return recoveries;
      },
    });
    expect(result.producer.code, result.producer.output).toBe(0);
    expectDeliveryKept(result, guarantee);
  });
});
