import {
  createKafka,
  createLogger,
  type KafkaAdmin,
  type KafkaClient,
  type KafkaClientName,
  KafkaClientNames,
  type KafkaSettings,
} from '@ride/shared';
import { inject, onTestFinished } from 'vitest';
import { uniqueName } from '../../harness/index.js';

const logger = createLogger({ level: 'warn', name: 'test' });

/**
 * The client behind the port for this run: KAFKA_CLIENT=platformatic runs the integration suite through
 * @platformatic/kafka (the consumer and producer processes inherit the variable); unset, the default client.
 */
export function testClient(): Pick<KafkaSettings, 'client'> {
  const name = process.env.KAFKA_CLIENT;
  if (name === undefined || name === '') return {};
  if (!(KafkaClientNames as readonly string[]).includes(name))
    throw new Error(`KAFKA_CLIENT=${name} is not a client: use one of ${KafkaClientNames.join(', ')}`);
  return { client: name as KafkaClientName };
}

/** A client for the integration broker (from the global setup). */
export function testKafka(): KafkaClient {
  return createKafka(
    { brokers: inject('kafkaBrokers'), clientId: uniqueName('test'), ...testClient() },
    logger,
  );
}

/** Registers disconnect at the end of the current test, so a failing test still closes its clients. */
export function disconnectAfterTest<T extends { disconnect(): Promise<void> }>(client: T): T {
  onTestFinished(async () => {
    await client.disconnect();
  });
  return client;
}

/** Connects an admin client (disconnected after the test) and creates a fresh topic; returns the admin. */
export async function createTestTopic(
  kafka: KafkaClient,
  topic: string,
  numPartitions: number,
): Promise<KafkaAdmin> {
  const admin = disconnectAfterTest(kafka.admin());
  await admin.connect();
  const created = await admin.createTopics([{ topic, numPartitions }]);
  if (!created) throw new Error(`topic ${topic} already existed`);
  return admin;
}
