import type { BaseOptions } from '@platformatic/kafka';
import { DEFAULT_RETRIES, retryBackoffMs } from '../common/whole-call-retry.js';
import type { KafkaSettings } from '../port/kafka-settings.js';
import { staleMetadata } from './errors.js';

/** What every client of ours shares: the cluster, timeouts, retries, TLS and SASL. */
export function baseOptions(settings: KafkaSettings): BaseOptions {
  const options: BaseOptions = {
    clientId: settings.clientId,
    bootstrapBrokers: [...settings.brokers],
    connectTimeout: settings.connectionTimeoutMs ?? 3000,
    timeout: settings.requestTimeoutMs ?? 30000,
    // Ride out a broker restart (tens of seconds) before a request is reported failed, as the kafkajs adapter does.
    retries: settings.retries ?? DEFAULT_RETRIES,
    retryDelay: (client, _operation, attempt, _retries, error) => {
      // A node missing from the cached broker list (it was down when the list was fetched, and is now a partition's
      // leader or a coordinator): the client retries against the same cache, which it refreshes only with a topic's
      // metadata. A transaction's coordinator requests fetch none, so AddOffsetsToTxn kept failing until the
      // watchdog gave up (25 s steps in a rolling restart). Clearing the cache makes the next attempt fetch it.
      if (staleMetadata(error)) (client as { clearMetadata(): void }).clearMetadata();
      return retryBackoffMs(attempt);
    },
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
