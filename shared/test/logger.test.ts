import { spawnSync } from 'node:child_process';
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

const logger = new URL('../dist/logger.js', import.meta.url).href;

describe('routeProcessWarnings', () => {
  // In a child process: it replaces the process's warning listeners, which the test runner must keep.
  it("logs process warnings as pino lines, a negative timer's at debug, and leaves stderr quiet", () => {
    const script = `import { createLogger, routeProcessWarnings } from ${JSON.stringify(logger)};
      routeProcessWarnings(createLogger({ level: 'debug' }));
      setTimeout(() => {}, -5);
      process.emitWarning('something to look at', 'DeprecationWarning');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { level: number; msg: string; warning?: string; err?: { message: string } },
      );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 20,
      msg: 'process warning',
      warning: expect.stringContaining('-5'),
    });
    expect(lines[1]).toMatchObject({ level: 40, err: { message: 'something to look at' } });
  });
});
