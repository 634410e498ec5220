import { randomBytes } from 'node:crypto';
import type { KafkaSasl, KafkaSettings } from '@ride/shared';
import type { BrokerHandle } from './broker-handle.js';
import { startKraftNode } from './local-broker.js';
import { createTestCertificates, type TestCertificates } from './test-ca.js';

export const SCRAM_MECHANISM = 'SCRAM-SHA-512';

export interface SecureBrokerOptions {
  /** Users to create (name → password); each gets a random password when omitted. */
  users?: Record<string, string>;
  partitions?: number;
  readyTimeoutMs?: number;
}

export interface SecureBrokerHandle extends BrokerHandle {
  /** PEM of the CA that signed the broker's certificate. */
  readonly caPem: string;
  /** Every client user and its password (SCRAM-SHA-512 credentials created at format time). */
  readonly users: Readonly<Record<string, string>>;
  /** Client settings (TLS with the CA, SASL as `user`) for this broker. */
  clientSettings(user: string, password?: string): Pick<KafkaSettings, 'ssl' | 'sasl'>;
  /** The same as the KAFKA_* variables the producer and consumer read. */
  clientEnv(user: string, password?: string): Record<string, string>;
}

const secret = (): string => randomBytes(18).toString('base64url');

/**
 * Settings on top of the plaintext local broker: one SASL_SSL listener for clients and the broker itself
 * (SCRAM-SHA-512 over TLS), the KRaft controller on plaintext loopback. Kafka 4 reads PEM key stores directly.
 */
function secureSettings(port: number, keystore: string, ca: string, brokerPassword: string): string {
  const jaas = `org.apache.kafka.common.security.scram.ScramLoginModule required username="broker" password="${brokerPassword}";`;
  return [
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:{controller}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
    `sasl.enabled.mechanisms=${SCRAM_MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${SCRAM_MECHANISM}`,
    `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${jaas}`,
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${keystore}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${ca}`,
    'ssl.client.auth=none',
  ].join('\n');
}

/**
 * A single KRaft node like the local broker, but reachable only over SASL_SSL with SCRAM-SHA-512 and a CA
 * generated for this run. Credentials are written into the metadata log when the storage is formatted
 * (`kafka-storage format --add-scram`, KIP-900), so the broker needs no running cluster to create users.
 */
export async function startSaslSslBroker(options: SecureBrokerOptions = {}): Promise<SecureBrokerHandle> {
  const users = options.users ?? { alice: secret() };
  const brokerPassword = secret();
  let certs: TestCertificates | undefined;
  const clientSettings = (user: string, password = users[user]): Pick<KafkaSettings, 'ssl' | 'sasl'> => {
    const sasl: KafkaSasl = { mechanism: 'scram-sha-512', username: user, password: password ?? '' };
    return { ssl: { ca: certs?.caPem ?? '', rejectUnauthorized: true }, sasl };
  };
  const node = await startKraftNode(
    { partitions: options.partitions ?? 1, readyTimeoutMs: options.readyTimeoutMs ?? 90_000 },
    {
      async prepare({ dir, port, controllerPort }) {
        certs = await createTestCertificates(dir);
        const properties = secureSettings(port, certs.keystoreFile, certs.caFile, brokerPassword).replace(
          '{controller}',
          String(controllerPort),
        );
        const formatArgs = Object.entries({ broker: brokerPassword, ...users }).flatMap(
          ([name, password]) => ['--add-scram', `${SCRAM_MECHANISM}=[name=${name},password=${password}]`],
        );
        // The harness authenticates as the broker's own user, so client users stay exactly as the test made them.
        return { properties, formatArgs, client: clientSettings('broker', brokerPassword) };
      },
    },
  );
  const { brokers } = node;
  const caPem = certs?.caPem ?? '';
  return {
    brokers,
    kind: 'local',
    stop: node.stop,
    caPem,
    users,
    clientSettings,
    clientEnv: (user, password = users[user]) => ({
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA: caPem,
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: user,
      KAFKA_SASL_PASSWORD: password ?? '',
    }),
  };
}
