import { BrokerError, ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createKafka } from './kafka-client.js';
import type { KafkaClient } from './port/kafka-port.js';
import type { KafkaSettings } from './port/kafka-settings.js';

/**
 * A program's start-up check that the cluster answers: an admin connection and a metadata request. A first attempt
 * without retries tells refused credentials or an untrusted certificate at once (a configuration error: retrying
 * cannot cure it, and a client would retry it for its whole budget); otherwise the check runs again with the
 * client's own retries, riding out a cluster still starting. Without it a consumer that cannot reach its brokers
 * stays up, healthy and never ready, retrying in silence; with it, start-up fails with the address it tried and what
 * to check.
 */
export async function checkBrokers(
  kafka: KafkaClient,
  settings: KafkaSettings,
  logger: Logger,
): Promise<void> {
  const quick = createKafka({ ...settings, retries: 0 }, logger);
  try {
    await describeCluster(quick);
    return;
  } catch (err) {
    const refusal = quick.refusal(err);
    if (refusal !== undefined) throw refused(refusal, settings, err);
  }
  try {
    await describeCluster(kafka);
  } catch (err) {
    const refusal = kafka.refusal(err);
    if (refusal !== undefined) throw refused(refusal, settings, err);
    throw new BrokerError(
      `no Kafka broker answered at ${settings.brokers.join(',')} (KAFKA_BROKERS): check the addresses, that the ` +
        'cluster is up and reachable from here, and its TLS/SASL settings (KAFKA_SSL, KAFKA_SASL_*)',
      { cause: err },
    );
  }
}

async function describeCluster(kafka: KafkaClient): Promise<void> {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function refused(refusal: 'authentication' | 'tls', settings: KafkaSettings, err: unknown): ConfigError {
  const at = settings.brokers.join(',');
  const why = innermost(err);
  if (refusal === 'authentication') {
    const user = settings.sasl?.username ?? '(none)';
    return new ConfigError([
      `SASL authentication failed at ${at} for KAFKA_SASL_USERNAME=${user} (${settings.sasl?.mechanism ?? 'no mechanism'}): ` +
        `check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM (${why})`,
    ]);
  }
  return new ConfigError([
    `the TLS certificate of ${at} is not trusted (${why}): set KAFKA_SSL_CA to the cluster's CA bundle`,
  ]);
}

/** The deepest message in the chain: the client's own words for what failed. */
function innermost(err: unknown): string {
  let e = err as { cause?: unknown; errors?: unknown[]; message?: string } | undefined;
  let message = e?.message ?? String(err);
  for (let depth = 0; depth < 10 && e; depth++) {
    if (e.message) message = e.message;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return message;
}
