import { BrokerError, createKafka, createLogger, type KafkaSettings } from '@ride/shared';
import { waitFor } from '../wait-for.js';

export interface BrokerWaitOptions {
  timeoutMs: number;
  /** Settles when the broker process dies: fail at once instead of waiting out the timeout. */
  died?: Promise<unknown>;
  /** Broker log tail for the error message. */
  logTail?: () => string;
  /** TLS/SASL settings for a secured listener. */
  client?: Pick<KafkaSettings, 'ssl' | 'sasl'>;
}

const quiet = createLogger({ level: 'silent' });

/** One real metadata round trip: the broker answers only once KRaft has elected itself and registered. */
async function probe(brokers: readonly string[], client: BrokerWaitOptions['client']): Promise<void> {
  const kafka = createKafka(
    {
      ...client,
      brokers,
      clientId: 'ride-harness-probe',
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 3000,
      retries: 0,
    },
    quiet,
  );
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers === 0 || cluster.controllerId === null) throw new Error('no broker registered yet');
  } finally {
    await admin.disconnect();
  }
}

/** Polls until a metadata request succeeds; throws a BrokerError with the log tail on death or timeout. */
export async function waitForBroker(brokers: readonly string[], options: BrokerWaitOptions): Promise<void> {
  let died: unknown;
  options.died?.then((code) => {
    died = code;
  });
  let lastError: unknown;
  const failure = (): BrokerError => {
    const why =
      died === undefined
        ? `not ready within ${options.timeoutMs} ms`
        : `exited (${String(died)}) before it was ready`;
    const log = options.logTail?.() ?? '';
    return new BrokerError(`Kafka at ${brokers.join(',')} ${why}${log ? `; broker log tail:\n${log}` : ''}`, {
      cause: lastError,
      details: { brokers },
    });
  };
  await waitFor(
    async () => {
      if (died !== undefined) throw failure();
      try {
        await probe(brokers, options.client);
        return true;
      } catch (err) {
        lastError = err;
        return false;
      }
    },
    options.timeoutMs,
    failure,
    { intervalMs: 200 },
  );
}
