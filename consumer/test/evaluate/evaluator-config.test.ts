import { ConfigError } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { loadEvaluatorConfig } from '../../src/evaluate/evaluator-config.js';

describe('evaluator config', () => {
  it('reads the course topics, its own group and output, hourly windows with a TTL longer than any trained ride', () => {
    const config = loadEvaluatorConfig({});
    expect(config).toMatchObject({
      predictionsTopic: 'ride-predictions',
      completionsTopic: 'ride-completions',
      evaluationsTopic: 'ride-evaluations',
      groupId: 'ride-evaluator',
      groupProtocol: 'classic',
      httpPort: 8082,
      join: { windowMs: 3_600_000, latenessMs: 600_000, ttlMs: 10_800_000, maxPending: 200_000 },
    });
    expect(config.join.ttlMs).toBeGreaterThan(60 * 60_000);
  });

  it('takes each setting from its variable or flag', () => {
    const config = loadEvaluatorConfig(
      { EVALUATIONS_TOPIC: 'evals', EVAL_WINDOW_MS: '900000' },
      { EVAL_TTL_MS: '7200000' },
    );
    expect(config.evaluationsTopic).toBe('evals');
    expect(config.join.windowMs).toBe(900_000);
    expect(config.join.ttlMs).toBe(7_200_000);
  });

  it('reports every problem at once, naming the variable: topics that coincide, KIP-848 on kafkajs, a bad number', () => {
    const load = () =>
      loadEvaluatorConfig({
        EVALUATIONS_TOPIC: 'ride-predictions',
        GROUP_PROTOCOL: 'consumer',
        KAFKA_CLIENT: 'kafkajs',
        EVAL_MAX_PENDING: '10',
      });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/PREDICTIONS_TOPIC, COMPLETIONS_TOPIC and EVALUATIONS_TOPIC must differ/);
    expect(load).toThrow(/GROUP_PROTOCOL=consumer \(KIP-848\) needs KAFKA_CLIENT=platformatic/);
    expect(load).toThrow(/EVAL_MAX_PENDING/);
  });
});
