import { type Child, spawnNode } from '../child-process.js';
import { freePort } from '../free-port.js';
import { type WaitReadyOptions, waitReady } from './wait-ready.js';

/** The evaluator's entry point, compiled. */
export const EVALUATOR_MAIN = 'consumer/dist/evaluate/main.js';

export interface EvaluatorOptions {
  brokers: readonly string[];
  predictionsTopic: string;
  completionsTopic: string;
  evaluationsTopic: string;
  groupId: string;
  /** Settings over those (LOG_LEVEL, EVAL_WINDOW_MS, …). */
  env?: Record<string, string>;
}

export interface EvaluatorProcess {
  run: Child;
  port: number;
  get(path: string): Promise<{ status: number; body: string }>;
  /** Resolves once it is in its group (GET /readyz is 200); rejects if it exits first. */
  ready(options?: WaitReadyOptions): Promise<void>;
}

/** Starts the evaluator as a child process configured only through its environment, as deployed. */
export async function startEvaluator(options: EvaluatorOptions): Promise<EvaluatorProcess> {
  const port = await freePort();
  const run = spawnNode(EVALUATOR_MAIN, [], {
    KAFKA_BROKERS: options.brokers.join(','),
    PREDICTIONS_TOPIC: options.predictionsTopic,
    COMPLETIONS_TOPIC: options.completionsTopic,
    EVALUATIONS_TOPIC: options.evaluationsTopic,
    EVALUATOR_GROUP: options.groupId,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    ...options.env,
  });
  return {
    run,
    port,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      return { status: res.status, body: await res.text() };
    },
    ready: (wait) => waitReady(run, port, wait),
  };
}
