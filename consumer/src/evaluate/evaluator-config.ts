import {
  type Env,
  EnvReader,
  type GroupProtocol,
  GroupProtocols,
  type KafkaSettings,
  readCompletionsTopic,
  readKafkaSettings,
  readTopicSettings,
} from '@ride/shared';
import type { JoinSettings } from './partition-join.js';

export interface EvaluatorConfig {
  kafka: KafkaSettings;
  /** The stream scorer's predictions and the producers' completions: co-partitioned (same key, same count). */
  predictionsTopic: string;
  completionsTopic: string;
  /** EVALUATIONS_TOPIC: one record per model version, input partition and closed window. */
  evaluationsTopic: string;
  groupId: string;
  groupProtocol: GroupProtocol;
  join: JoinSettings;
  sessionTimeoutMs: number;
  httpHost: string;
  httpPort: number;
  shutdownTimeoutMs: number;
  logLevel: string;
}

const HOUR = 3_600_000;

/** Every setting the evaluator reads, validated at once (docs/configuration.md). */
export function loadEvaluatorConfig(env: Env, flags: Env = {}): EvaluatorConfig {
  const r = new EnvReader(env, flags);
  const windowMs = r.int('EVAL_WINDOW_MS', HOUR, { min: 1000, max: 7 * 24 * HOUR });
  const config: EvaluatorConfig = {
    kafka: readKafkaSettings(r, 'ride-evaluator'),
    predictionsTopic: readTopicSettings(r).predictions,
    completionsTopic: readCompletionsTopic(r),
    evaluationsTopic: r.string('EVALUATIONS_TOPIC', 'ride-evaluations'),
    groupId: r.string('EVALUATOR_GROUP', 'ride-evaluator'),
    groupProtocol: r.oneOf('GROUP_PROTOCOL', GroupProtocols, 'classic'),
    join: {
      windowMs,
      latenessMs: r.int('EVAL_LATENESS_MS', 10 * 60_000, { min: 0, max: 7 * 24 * HOUR }),
      // Longer than the longest ride the model is trained on (60 min), with room for the scorer's lag.
      ttlMs: r.int('EVAL_TTL_MS', 3 * HOUR, { min: 60_000, max: 30 * 24 * HOUR }),
      maxPending: r.int('EVAL_MAX_PENDING', 200_000, { min: 100, max: 10_000_000 }),
    },
    sessionTimeoutMs: r.int('SESSION_TIMEOUT_MS', 30_000, { min: 6_000, max: 300_000 }),
    httpHost: r.string('HTTP_HOST', '0.0.0.0'),
    httpPort: r.int('HTTP_PORT', 8082, { min: 0, max: 65535 }),
    shutdownTimeoutMs: r.int('SHUTDOWN_TIMEOUT_MS', 25_000, { min: 1000 }),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
  const { predictionsTopic, completionsTopic, evaluationsTopic } = config;
  if (new Set([predictionsTopic, completionsTopic, evaluationsTopic]).size < 3) {
    r.problems.push(
      `PREDICTIONS_TOPIC, COMPLETIONS_TOPIC and EVALUATIONS_TOPIC must differ (${predictionsTopic}, ${completionsTopic}, ${evaluationsTopic})`,
    );
  }
  if (config.groupProtocol === 'consumer' && config.kafka.client !== 'platformatic') {
    r.problems.push(
      `GROUP_PROTOCOL=consumer (KIP-848) needs KAFKA_CLIENT=platformatic: ${config.kafka.client} speaks only the classic protocol`,
    );
  }
  r.finish();
  return Object.freeze(config);
}
