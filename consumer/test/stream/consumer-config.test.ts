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
