import { createKafka, createLogger, type KafkaSettings } from '@ride/shared';

const quiet = createLogger({ level: 'silent' });

/**
 * Creates __consumer_offsets and __transaction_state up front: Kafka makes them on the first FindCoordinator,
 * and until they load every first group join or InitProducerId fails with retriable "coordinator not
 * available / loading" errors that the clients log at ERROR. Paying this once at start keeps test logs clean.
 */
export async function warmUpCoordinators(
  brokers: readonly string[],
  client: Pick<KafkaSettings, 'ssl' | 'sasl'> = {},
): Promise<void> {
  const kafka = createKafka({ ...client, brokers, clientId: 'ride-harness-warm-up' }, quiet);
  const admin = kafka.admin();
  const producer = kafka.transactionalProducer('ride-harness-warm-up');
  try {
    await admin.connect();
    await admin.describeGroup('ride-harness-warm-up');
    await producer.connect();
    // The first transaction registers the id (InitProducerId): that is what loads the transaction coordinator.
    const transaction = await producer.begin();
    await transaction.abort();
  } finally {
    await Promise.allSettled([admin.disconnect(), producer.disconnect()]);
  }
}
