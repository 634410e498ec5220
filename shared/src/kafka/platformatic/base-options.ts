import type { BaseOptions } from '@platformatic/kafka';
import { DEFAULT_RETRIES, retryBackoffMs } from '../common/whole-call-retry.js';
import type { KafkaSettings } from '../port/kafka-settings.js';

/** What every client of ours shares: the cluster, timeouts, retries, TLS and SASL. */
export function baseOptions(settings: KafkaSettings): BaseOptions {
  const options: BaseOptions = {
    clientId: settings.clientId,
    bootstrapBrokers: [...settings.brokers],
    connectTimeout: settings.connectionTimeoutMs ?? 3000,
    timeout: settings.requestTimeoutMs ?? 30000,
    // Ride out a broker restart (tens of seconds) before a request is reported failed, as the kafkajs adapter does.
    retries: settings.retries ?? DEFAULT_RETRIES,
    retryDelay: (_client, _operation, attempt) => retryBackoffMs(attempt),
    autocreateTopics: false,
  };
  if (settings.ssl === true) options.tls = {};
  else if (settings.ssl !== undefined) options.tls = { ...settings.ssl };
  if (settings.sasl !== undefined) {
    options.sasl = {
      mechanism: settings.sasl.mechanism.toUpperCase() as 'PLAIN',
      username: settings.sasl.username,
      password: settings.sasl.password,
    };
  }
  return options;
}
