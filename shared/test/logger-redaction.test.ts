import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EnvReader } from '../src/config/env-reader.js';
import { readKafkaSettings } from '../src/config/kafka-config.js';
import { createLogger, type Logger } from '../src/logger.js';

const PASSWORD = 'alice-s3cret-Pa55word';

/** A logger writing into memory, and everything it wrote so far. */
function capture(level = 'trace'): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level }, sink), text: () => chunks.join('') };
}

const kafkaSettings = () => {
  const env = new EnvReader({
    KAFKA_BROKERS: 'broker:9093',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'alice',
    KAFKA_SASL_PASSWORD: PASSWORD,
  });
  const settings = readKafkaSettings(env, 'test');
  env.finish();
  return settings;
};

describe('logger redaction', () => {
  // Each shape is one way the Kafka settings (or a bare secret) can reach a log call.
  const shapes: Array<[string, (log: Logger) => void]> = [
    ['kafka settings under `kafka`', (log) => log.info({ kafka: kafkaSettings() }, 'connecting')],
    ['a whole config under `config`', (log) => log.info({ config: { kafka: kafkaSettings() } }, 'config')],
    ['kafka settings under any key', (log) => log.info({ settings: kafkaSettings() }, 'settings')],
    ['the sasl block alone', (log) => log.info({ sasl: kafkaSettings().sasl }, 'sasl')],
    ['a top-level password', (log) => log.info({ password: PASSWORD }, 'login')],
    ['a nested password', (log) => log.info({ user: { credentials: { password: PASSWORD } } }, 'user')],
    ['a secret', (log) => log.info({ token: { secret: PASSWORD } }, 'token')],
    ['child bindings', (log) => log.child({ sasl: kafkaSettings().sasl }).info('child')],
    ['debug level', (log) => log.debug({ kafka: kafkaSettings() }, 'debug')],
  ];

  it.each(shapes)('never prints the password: %s', (_name, write) => {
    const { logger, text } = capture();
    write(logger);
    expect(text()).not.toBe('');
    expect(text()).not.toContain(PASSWORD);
    expect(text()).toContain('[redacted]');
  });

  it('keeps what an operator needs: brokers, mechanism and user stay readable where only the password hides', () => {
    const { logger, text } = capture();
    logger.info({ settings: kafkaSettings() }, 'settings');
    const line = JSON.parse(text());
    expect(line.settings.brokers).toEqual(['broker:9093']);
    expect(line.settings.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'alice',
      password: '[redacted]',
    });
  });

  it('does not touch the settings object it logged', () => {
    const { logger } = capture();
    const settings = kafkaSettings();
    logger.info({ kafka: settings }, 'connecting');
    expect(settings.sasl?.password).toBe(PASSWORD);
  });
});
