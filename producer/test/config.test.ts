import { ConfigError, flagsToEnv } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { loadProducerConfig, PRODUCER_FLAGS } from '../src/config.js';

const fromArgs = (argv: string[], env: Record<string, string> = {}) =>
  loadProducerConfig(env, flagsToEnv(argv, PRODUCER_FLAGS));

function problemsOf(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.join('\n');
  }
  throw new Error('the configuration was accepted');
}

describe('loadProducerConfig', () => {
  it('reads every flag as the variable it names, flags winning over the environment', () => {
    const config = fromArgs(
      [
        '--file',
        'trips.parquet',
        '--offset',
        '10',
        '--limit=100',
        '--rate',
        '250',
        '--duration',
        '1.5',
        '--batch-size',
        '50',
        '--format',
        'json',
        '--compression',
        'gzip',
        '--create-topics',
        '--rides-topic',
        'in',
      ],
      { PRODUCER_RATE: '9', PRODUCER_FORMAT: 'avro', KAFKA_BROKERS: 'k:9092' },
    );
    expect(config).toMatchObject({
      source: { kind: 'file', path: 'trips.parquet', offset: 10, limit: 100 },
      pace: { kind: 'rate', perSecond: 250 },
      durationMs: 1500,
      batchSize: 50,
      format: 'json',
      compression: 'gzip',
      createTopics: true,
      topics: { rides: 'in' },
      kafka: { brokers: ['k:9092'], clientId: 'ride-producer' },
    });
  });

  it('takes the same settings from the documented environment variables alone', () => {
    const config = fromArgs([], {
      PRODUCER_SYNTHETIC: 'true',
      PRODUCER_SEED: '7',
      PRODUCER_MAX: 'true',
      PRODUCER_COMPRESSION: 'gzip',
      CREATE_TOPICS: 'true',
    });
    expect(config).toMatchObject({
      source: { kind: 'synthetic', seed: 7, limit: undefined },
      pace: { kind: 'max' },
      durationMs: undefined,
      batchSize: 500,
      format: 'avro',
      compression: 'gzip',
      createTopics: true,
    });
  });

  it('leaves limit and duration unset, and the pace at max, when none is given', () => {
    const config = fromArgs(['--synthetic']);
    expect(config.source).toEqual({ kind: 'synthetic', seed: 42, limit: undefined });
    expect(config.pace).toEqual({ kind: 'max' });
    expect(config.durationMs).toBeUndefined();
  });

  it('reports every problem at once, naming the flag as typed and its variable', () => {
    const problems = problemsOf(() =>
      fromArgs(['--synthetic', '--rate', 'fast', '--limit', '0', '--speedup', '2', '--format', 'xml']),
    );
    expect(problems).toContain('--rate "fast" (PRODUCER_RATE) is not a number');
    expect(problems).toContain('--limit "0" (PRODUCER_LIMIT) is not an integer in [1,');
    expect(problems).toContain('--speedup (PRODUCER_SPEEDUP) needs a file');
    expect(problems).toContain('--format "xml" (PRODUCER_FORMAT) is not one of avro, json');
  });

  it('names the variable when the environment gave the bad value', () => {
    const problems = problemsOf(() =>
      fromArgs(['--synthetic'], { PRODUCER_BATCH_SIZE: 'lots', PRODUCER_DURATION_S: '-1' }),
    );
    expect(problems).toContain('PRODUCER_BATCH_SIZE="lots" is not an integer');
    expect(problems).toContain('PRODUCER_DURATION_S="-1" is not a number');
  });

  it('refuses sources and paces that exclude each other, and no source at all', () => {
    expect(problemsOf(() => fromArgs(['--file', 'f.parquet', '--synthetic']))).toContain(
      '--file (PRODUCER_FILE) and --synthetic (PRODUCER_SYNTHETIC) exclude each other',
    );
    expect(problemsOf(() => fromArgs(['--synthetic', '--rate', '5', '--max']))).toContain(
      '--rate (PRODUCER_RATE), --max (PRODUCER_MAX) exclude each other',
    );
    expect(problemsOf(() => fromArgs([]))).toContain('give --file <tlc.parquet> or --synthetic');
  });

  it('replays completions only when asked, on COMPLETIONS_TOPIC (ride-completions by default)', () => {
    expect(fromArgs(['--file', 'f.parquet']).completionsTopic).toBeUndefined();
    expect(fromArgs(['--file', 'f.parquet', '--completions']).completionsTopic).toBe('ride-completions');
    expect(
      fromArgs(['--file', 'f.parquet'], { PRODUCER_COMPLETIONS: 'true', COMPLETIONS_TOPIC: 'done' })
        .completionsTopic,
    ).toBe('done');
    expect(
      fromArgs(['--file', 'f.parquet', '--completions', '--completions-topic', 'ends']).completionsTopic,
    ).toBe('ends');
  });

  it('refuses completions without a file, or on the rides topic', () => {
    expect(problemsOf(() => fromArgs(['--synthetic', '--completions']))).toContain(
      '--completions (PRODUCER_COMPLETIONS) needs a file (synthetic rides have no drop-off time)',
    );
    expect(
      problemsOf(() => fromArgs(['--file', 'f.parquet', '--completions'], { COMPLETIONS_TOPIC: 'rides' })),
    ).toContain('COMPLETIONS_TOPIC must differ from RIDES_TOPIC (both are "rides")');
  });

  it('refuses an unknown flag, listing the known ones as the producer spells them', () => {
    const problems = problemsOf(() => fromArgs(['--synthetic', '--speed', '3']));
    expect(problems).toMatch(/unknown flag --speed: known flags are .*--file, --synthetic,.*--rate/);
    expect(problems).toContain('--kafka-brokers');
  });
});
