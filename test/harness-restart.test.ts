import { createKafka, createLogger } from '@ride/shared';
import { describe, expect, it, onTestFinished } from 'vitest';
import { consumeMessages } from './harness/consume-messages.js';
import { startBroker } from './harness/index.js';
import { disconnectAfterTest, testClient } from './harness/test-kafka.js';
import { uniqueName } from './harness/test-names.js';

describe('local broker restart (for fault tests)', () => {
  it('comes back on the same address with its data', async () => {
    const broker = await startBroker({ mode: 'local' });
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

    await broker.restart?.();

    await producer.send([{ topic, messages: [{ key: 'after', value: 'restart' }] }]);
    const received = await consumeMessages(kafka, { topic, groupId: uniqueName('group'), count: 2 });
    expect(received.map((m) => m.key).sort()).toEqual(['after', 'before']);
  });
});
