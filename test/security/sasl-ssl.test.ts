import { createKafka, createLogger, type KafkaClient } from '@ride/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  recordCount,
  type SecureBrokerHandle,
  type StreamTopics,
  startSaslSslBroker,
  uniqueName,
} from '../../harness/index.js';
import { startConsumer } from '../support/consumer-process.js';
import { checkDelivery } from '../support/delivery-check.js';
import { waitCaughtUp } from '../support/group-progress.js';
import { runConsumerToExit } from '../support/run-consumer-to-exit.js';
import { startStream } from '../support/stream-producer.js';
import { createStreamTopics } from '../support/stream-topics.js';
import { disconnectAfterTest, testClient } from '../support/test-kafka.js';

const RIDES = 500;
const WRONG = 'not-alices-password-0000';

describe('SASL_SSL (SCRAM-SHA-512) broker', () => {
  let broker: SecureBrokerHandle;
  let kafka: KafkaClient;
  const alice = (): string => broker.users.alice!;

  beforeAll(async () => {
    broker = await startSaslSslBroker({ partitions: 3 });
    kafka = createKafka(
      {
        brokers: broker.brokers,
        clientId: 'security-test',
        ...broker.clientSettings('alice'),
        ...testClient(),
      },
      createLogger({ level: 'error' }),
    );
  }, 180_000);
  afterAll(() => broker?.stop());

  /** Runs the producer CLI to completion with the given KAFKA_* variables. */
  const produce = (topics: StreamTopics, env: Record<string, string>) =>
    startStream(broker.brokers, topics, ['--synthetic', '--limit', String(RIDES)], env).done;

  it('carries rides through producer CLI and consumer with the right credentials, printing no secret at debug level', async () => {
    const topics = await createStreamTopics(kafka, 3);
    const groupId = uniqueName('g');
    const env = { ...broker.clientEnv('alice'), LOG_LEVEL: 'debug' };
    const run = await produce(topics, env);
    expect(run.code, run.output).toBe(0);
    expect(run.sent).toBe(RIDES);
    const consumer = await startConsumer(topics, groupId, env);
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    await waitCaughtUp(admin, groupId, topics.rides);
    const delivery = await checkDelivery(kafka, topics, groupId, await recordCount(admin, topics.rides));
    expect(delivery.inputs.length).toBe(RIDES);
    expect(delivery.lost).toEqual([]);
    expect(await consumer.stop('SIGTERM')).toBe(0);

    // The consumer wrote debug lines (the producer CLI has none), and no line anywhere holds the password.
    expect(consumer.output()).toContain('"level":20');
    for (const output of [run.output, consumer.output()]) expect(output).not.toContain(alice());
  });

  it('refuses producer and consumer with a wrong password, naming the authentication failure', async () => {
    const topics = await createStreamTopics(kafka, 3);
    const groupId = uniqueName('g');
    const env = { ...broker.clientEnv('alice', WRONG), LOG_LEVEL: 'debug' };
    const run = await produce(topics, env);
    const consumer = await runConsumerToExit(topics, groupId, env);
    for (const { code, output } of [run, consumer]) {
      // A configuration error (exit 2) at the first refusal, naming what to check: retrying cannot cure it.
      expect(code, output).toBe(2);
      expect(output).toMatch(/SASL authentication failed at .* for KAFKA_SASL_USERNAME=alice/);
      expect(output).toMatch(/check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM/);
      expect(output).not.toContain(WRONG);
      expect(output).not.toContain(alice());
    }
    const admin = disconnectAfterTest(kafka.admin());
    await admin.connect();
    expect(await recordCount(admin, topics.rides)).toBe(0);
    const committed = await admin.committedOffsets(groupId, topics.rides);
    expect([...committed.values()].every((offset) => offset === -1n)).toBe(true);
  });

  it('refuses an unknown user and a client that does not trust the CA', async () => {
    const topics = await createStreamTopics(kafka, 1);
    const unknown = await produce(topics, broker.clientEnv('mallory', broker.users.alice));
    expect(unknown.code, unknown.output).toBe(2);
    expect(unknown.output).toMatch(/SASL authentication failed at .* for KAFKA_SASL_USERNAME=mallory/);

    // TLS without our CA: the system trust store does not know it, so the handshake fails before SASL.
    const { KAFKA_SSL_CA: _ca, ...untrusting } = broker.clientEnv('alice');
    const untrusted = await produce(topics, { ...untrusting, KAFKA_CONNECTION_TIMEOUT_MS: '2000' });
    expect(untrusted.code, untrusted.output).toBe(2);
    expect(untrusted.output).toMatch(/self[- ]signed|unable to (verify|get local issuer)|certificate/i);
    expect(untrusted.output).toMatch(/is not trusted .*: set KAFKA_SSL_CA/);
    expect(untrusted.output).not.toContain(alice());
  });
});
