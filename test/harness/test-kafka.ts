import { type Admin, createKafka, createLogger, createTopics, type Kafka } from '@ride/shared';
import { inject, onTestFinished } from 'vitest';
import { uniqueName } from './test-names.js';

const logger = createLogger({ level: 'warn', name: 'test' });

/** A kafkajs client for the integration broker (from the global setup). */
export function testKafka(): Kafka {
  return createKafka({ brokers: inject('kafkaBrokers'), clientId: uniqueName('test') }, logger);
}

/** Registers disconnect at the end of the current test, so a failing test still closes its clients. */
export function disconnectAfterTest<T extends { disconnect(): Promise<void> }>(client: T): T {
  onTestFinished(async () => {
    await client.disconnect();
  });
  return client;
}

/** Connects an admin client (disconnected after the test) and creates a fresh topic; returns the admin. */
export async function createTestTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<Admin> {
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const created = await createTopics(admin, [{ topic, numPartitions }]);
  if (!created) throw new Error(`topic ${topic} already existed`);
  return admin;
}
