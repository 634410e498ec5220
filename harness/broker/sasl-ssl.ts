import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaSasl, KafkaSettings } from '@ride/shared';
import { runToExit, tail } from '../child-process.js';
import { registerCleanup } from '../exit-hooks.js';
import { freePort } from '../free-port.js';
import { newClusterId, renderLog4j2, renderServerProperties } from './broker-config.js';
import type { BrokerHandle } from './broker-handle.js';
import { classDataSharing } from './class-data-sharing.js';
import { exited, javaArgs, spawnJava, spawnWatchdog, stopJava } from './java-process.js';
import { resolveKafkaJars } from './maven-jars.js';
import { createTestCertificates } from './test-ca.js';
import { waitForBroker } from './wait-for-broker.js';
import { warmUpCoordinators } from './warm-up.js';

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

/** Replaces keys of a properties text (last one wins in java.util.Properties, but one of each reads better). */
function mergeProperties(base: string, overrides: string): string {
  const entries = new Map<string, string>();
  for (const line of `${base}\n${overrides}`.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) entries.set(line.slice(0, at), line.slice(at + 1));
  }
  return `${[...entries].map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/**
 * A single KRaft node like the local broker, but reachable only over SASL_SSL with SCRAM-SHA-512 and a CA
 * generated for this run. Credentials are written into the metadata log when the storage is formatted
 * (`kafka-storage format --add-scram`, KIP-900), so the broker needs no running cluster to create users.
 */
export async function startSaslSslBroker(options: SecureBrokerOptions = {}): Promise<SecureBrokerHandle> {
  const libs = await resolveKafkaJars();
  const dir = await mkdtemp(join(tmpdir(), 'ride-kafka-secure-'));
  const files = {
    properties: join(dir, 'server.properties'),
    log4j: join(dir, 'log4j2.properties'),
    brokerLog: join(dir, 'broker.log'),
    jvmOutput: join(dir, 'jvm-output.log'),
  };
  let jvm: ChildProcess | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      unregister();
      if (jvm !== undefined) await stopJava(jvm);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  const unregister = registerCleanup({
    stop,
    stopNow: () => {
      jvm?.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  });

  try {
    const users = options.users ?? { alice: secret() };
    const brokerPassword = secret();
    const certs = await createTestCertificates(dir);
    const port = await freePort();
    let controllerPort = await freePort();
    while (controllerPort === port) controllerPort = await freePort();
    const base = renderServerProperties({
      port,
      controllerPort,
      dataDir: join(dir, 'data'),
      partitions: options.partitions ?? 1,
      autoCreateTopics: false,
    });
    const secure = secureSettings(port, certs.keystoreFile, certs.caFile, brokerPassword).replace(
      '{controller}',
      String(controllerPort),
    );
    await writeFile(files.properties, mergeProperties(base, secure), { mode: 0o600 });
    await writeFile(files.log4j, renderLog4j2(files.brokerLog));

    const scram = Object.entries({ broker: brokerPassword, ...users }).flatMap(([name, password]) => [
      '--add-scram',
      `${SCRAM_MECHANISM}=[name=${name},password=${password}]`,
    ]);
    const jvmArgs = [`-Dlog4j2.configurationFile=${files.log4j}`, ...classDataSharing(libs, false).jvmArgs];
    const format = await runToExit(
      'java',
      javaArgs({
        libs,
        mainClass: 'kafka.tools.StorageTool',
        args: ['format', '-t', newClusterId(), '-c', files.properties, ...scram],
        jvmArgs,
      }),
      { cwd: dir },
    );
    if (format.code !== 0)
      throw new Error(`kafka StorageTool format failed (exit ${format.code}):\n${tail(format.output)}`);

    const brokers = [`127.0.0.1:${port}`];
    const clientSettings = (user: string, password = users[user]): Pick<KafkaSettings, 'ssl' | 'sasl'> => {
      const sasl: KafkaSasl = { mechanism: 'scram-sha-512', username: user, password: password ?? '' };
      return { ssl: { ca: certs.caPem, rejectUnauthorized: true }, sasl };
    };
    const child = spawnJava(
      { libs, mainClass: 'kafka.Kafka', args: [files.properties], jvmArgs },
      files.jvmOutput,
    );
    jvm = child;
    if (child.pid !== undefined) spawnWatchdog(child.pid, dir);
    // The harness authenticates as the broker's own user, so client users stay exactly as the test made them.
    const harness = clientSettings('broker', brokerPassword);
    await waitForBroker(brokers, {
      timeoutMs: options.readyTimeoutMs ?? 90_000,
      died: exited(child),
      logTail: () => logTail(files),
      client: harness,
    });
    await warmUpCoordinators(brokers, harness);
    return {
      brokers,
      kind: 'local',
      stop,
      caPem: certs.caPem,
      users,
      clientSettings,
      clientEnv: (user, password = users[user]) => ({
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA: certs.caPem,
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: user,
        KAFKA_SASL_PASSWORD: password ?? '',
      }),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function logTail(files: { brokerLog: string; jvmOutput: string }): string {
  const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  const errors = read(files.brokerLog)
    .split('\n')
    .filter((line) => / (ERROR|FATAL) /.test(line))
    .slice(-10);
  return [tail(read(files.jvmOutput), 20), errors.join('\n'), tail(read(files.brokerLog), 15)]
    .filter(Boolean)
    .join('\n');
}
