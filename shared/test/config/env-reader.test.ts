import { describe, expect, it } from 'vitest';
import { EnvReader } from '../../src/config/env-reader.js';
import { readKafkaSettings, readTopicSettings } from '../../src/config/kafka-config.js';
import { ConfigError, ErrorCodes } from '../../src/errors.js';

describe('EnvReader', () => {
  it('reports every problem at once, each naming its variable', () => {
    const r = new EnvReader({
      TOPIC_PARTITIONS: 'six',
      KAFKA_SSL: 'maybe',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
    });
    readTopicSettings(r);
    readKafkaSettings(r, 'x');
    let error: unknown;
    try {
      r.finish();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, code } = error as ConfigError;
    expect(code).toBe(ErrorCodes.CONFIG_INVALID);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/TOPIC_PARTITIONS.*KAFKA_SSL.*KAFKA_SASL_USERNAME/s);
  });

  it('selects the Kafka client with KAFKA_CLIENT (default platformatic) and names the choices when it is unknown', () => {
    expect(readKafkaSettings(new EnvReader({}), 'x').client).toBe('platformatic');
    expect(readKafkaSettings(new EnvReader({ KAFKA_CLIENT: 'kafkajs' }), 'x').client).toBe('kafkajs');
    const r = new EnvReader({ KAFKA_CLIENT: 'rdkafka' });
    readKafkaSettings(r, 'x');
    expect(() => r.finish()).toThrow(/KAFKA_CLIENT="rdkafka" is not one of kafkajs, platformatic/);
  });

  it('uses the documented defaults and passes TLS and SASL settings through', () => {
    const r = new EnvReader({
      KAFKA_BROKERS: 'a:1, b:2',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'p',
    });
    expect(readTopicSettings(r)).toMatchObject({
      rides: 'rides',
      predictions: 'ride-predictions',
      deadLetters: 'rides.dlq',
    });
    expect(readKafkaSettings(r, 'x')).toMatchObject({
      brokers: ['a:1', 'b:2'],
      ssl: true,
      sasl: { mechanism: 'plain', username: 'u', password: 'p' },
    });
    expect(() => r.finish()).not.toThrow();
  });
});

describe('flags', () => {
  it('turn --kebab-case flags into the variables they name, overriding the environment', async () => {
    const { flagsToEnv } = await import('../../src/config/flags-to-env.js');
    const flags = flagsToEnv(['--rides-topic', 'in', '--topic-partitions=3', '--kafka-ssl']);
    expect(flags).toEqual({ RIDES_TOPIC: 'in', TOPIC_PARTITIONS: '3', KAFKA_SSL: 'true' });
    const r = new EnvReader({ RIDES_TOPIC: 'env-wins-not' }, flags);
    expect(readTopicSettings(r)).toMatchObject({ rides: 'in', partitions: 3 });
    expect(readKafkaSettings(r, 'x').ssl).toBe(true);
    expect(() => r.finish()).not.toThrow();
  });

  it('take short names a program gives its variables; messages spell the flag as typed', async () => {
    const { flagsToEnv } = await import('../../src/config/flags-to-env.js');
    const names = { rate: 'PRODUCER_RATE' };
    const flags = flagsToEnv(['--rate', 'fast', '--constructor', 'x'], names);
    expect(flags).toEqual({ PRODUCER_RATE: 'fast', CONSTRUCTOR: 'x' });
    const r = new EnvReader({ PRODUCER_RATE: '5' }, flags, names);
    expect(r.number('PRODUCER_RATE', 1)).toBe(1);
    expect(() => r.finish()).toThrowError(
      /--rate "fast" \(PRODUCER_RATE\) is not a number.*unknown flag --constructor: known flags are --rate/s,
    );
  });

  it('reject a flag that names no setting, listing the known ones', async () => {
    const { flagsToEnv } = await import('../../src/config/flags-to-env.js');
    const r = new EnvReader({}, flagsToEnv(['--no-such-thing', 'x']));
    readTopicSettings(r);
    expect(() => r.finish()).toThrowError(/unknown flag --no-such-thing: known flags are --rides-topic/);
    expect(() => flagsToEnv(['stray'])).toThrowError(ConfigError);
  });
});
