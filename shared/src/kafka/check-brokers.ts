import { BrokerError } from '../errors.js';
import type { KafkaClient } from './port/kafka-port.js';

/**
 * A program's start-up check that the cluster answers: an admin connection and a metadata request, after the
 * client's own connection retries. Without it a consumer that cannot reach its brokers stays up, healthy and never
 * ready, retrying in silence; with it, start-up fails with the address it tried and what to check.
 */
export async function checkBrokers(kafka: KafkaClient, brokers: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (err) {
    throw new BrokerError(
      `no Kafka broker answered at ${brokers.join(',')} (KAFKA_BROKERS): check the addresses, that the cluster is ` +
        'up and reachable from here, and its TLS/SASL settings (KAFKA_SSL, KAFKA_SASL_*)',
      { cause: err },
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
