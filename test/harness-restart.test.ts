import { createKafka, createLogger } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startLocalBroker, uniqueName } from '../harness/index.js';
import { consumeMessages } from './support/consume-messages.js';
import { disconnectAfterTest, testClient } from './support/test-kafka.js';

/** Signal 0 checks that a process exists without touching it. */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local broker restart (for fault tests)', () => {
  it('comes back on the same address with its data', async () => {
    const broker = await startLocalBroker();
    onTestFinished(() => broker.stop());
    const kafka = createKafka(
      { brokers: broker.brokers, clientId: uniqueName('restart'), ...testClient() },
      createLogger({ level: 'error' }),
    );
    const topic = uniqueName('restart');
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    await admin.createTopics([{ topic, numPartitions: 2 }]);
    const producer = disconnectAfterTest(kafka.producer());
    await producer.connect();
    await producer.send([{ topic, messages: [{ key: 'before', value: 'restart' }] }]);

    const before = broker.jvmPid();
    expect(before).toBeTypeOf('number');
    await broker.restart();
    // A new JVM serves the same address, and the old one is gone: the data below survived a real restart.
    const after = broker.jvmPid();
    expect(after).toBeTypeOf('number');
    expect(after).not.toBe(before);
    expect(running(before!)).toBe(false);
    expect(running(after!)).toBe(true);

    await producer.send([{ topic, messages: [{ key: 'after', value: 'restart' }] }]);
    const received = await consumeMessages(kafka, { topic, groupId: uniqueName('group'), count: 2 });
    expect(received.map((m) => m.key).sort()).toEqual(['after', 'before']);
  });
});
