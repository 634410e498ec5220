import { ConfigError } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { loadConsumerConfig } from '../../src/stream/consumer-config.js';

describe('consumer config: shadow scoring', () => {
  it('is off unless SHADOW_MODEL_PATH is set', () => {
    expect(loadConsumerConfig({}).shadow).toBeUndefined();
  });

  it('shares the primary model source settings, with its own location and topic', () => {
    const config = loadConsumerConfig({
      SHADOW_MODEL_PATH: '/models/ride-duration/2.0.0',
      MODEL_CACHE_DIR: '/var/cache/models',
    });
    expect(config.shadow).toEqual({
      source: { ...config.modelSource, location: '/models/ride-duration/2.0.0' },
      topic: 'ride-predictions.shadow',
    });
    expect(config.shadow?.source.cacheDir).toBe('/var/cache/models');
  });

  it('refuses a shadow topic that is one of the pipeline topics, or a registry reference without MLflow', () => {
    const load = () =>
      loadConsumerConfig({
        SHADOW_MODEL_PATH: 'models:/ride-duration@challenger',
        SHADOW_TOPIC: 'ride-predictions',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/SHADOW_TOPIC=ride-predictions must differ/);
    expect(load).toThrow(/SHADOW_MODEL_PATH=models:\/ride-duration@challenger is an MLflow reference/);
  });
});

describe('consumer config: group protocol', () => {
  it('is classic by default and takes KIP-848 where the client speaks it', () => {
    expect(loadConsumerConfig({}).groupProtocol).toBe('classic');
    expect(loadConsumerConfig({ GROUP_PROTOCOL: 'consumer' }).groupProtocol).toBe('consumer');
  });

  it('refuses the consumer protocol with kafkajs, naming the fix, and an unknown protocol', () => {
    expect(() => loadConsumerConfig({ GROUP_PROTOCOL: 'consumer', KAFKA_CLIENT: 'kafkajs' })).toThrow(
      /GROUP_PROTOCOL=consumer \(KIP-848\) needs KAFKA_CLIENT=platformatic: kafkajs speaks only the classic protocol/,
    );
    expect(() => loadConsumerConfig({ GROUP_PROTOCOL: 'cooperative' })).toThrow(ConfigError);
  });
});

describe('consumer config: canary', () => {
  it('is off unless CANARY_MODEL_PATH is set; defaults for the rest', () => {
    expect(loadConsumerConfig({}).canary).toBeUndefined();
    const config = loadConsumerConfig({ CANARY_MODEL_PATH: 'models/ride-duration/0.1.0' });
    expect(config.canary).toEqual({
      source: { ...config.modelSource, location: 'models/ride-duration/0.1.0' },
      share: 0.1,
      marginMinutes: 0.5,
      minPairs: 500,
      maxFailures: 10,
      evaluationsTopic: 'ride-evaluations',
    });
  });

  it('refuses a share with no split, a canary beside a shadow, and a clashing evaluations topic, all at once', () => {
    const load = () =>
      loadConsumerConfig({
        CANARY_MODEL_PATH: 'models/ride-duration/0.1.0',
        CANARY_SHARE: '1',
        SHADOW_MODEL_PATH: 'models/ride-duration/1.1.0',
        EVALUATIONS_TOPIC: 'ride-predictions',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CANARY_SHARE=1 leaves no split/);
    expect(load).toThrow(/CANARY_MODEL_PATH and SHADOW_MODEL_PATH together/);
    expect(load).toThrow(/EVALUATIONS_TOPIC=ride-predictions must differ/);
    expect(() => loadConsumerConfig({ CANARY_MODEL_PATH: 'x', CANARY_SHARE: '1.5' })).toThrow(/CANARY_SHARE/);
  });
});
