import { type Child, type SpawnOptions, spawnNode } from '../child-process.js';
import { freePort } from '../free-port.js';
import { MODEL_DIR } from '../repo-paths.js';
import type { StreamTopics } from '../topics.js';
import { type WaitReadyOptions, waitReady } from './wait-ready.js';

/** The stream scorer's entry point, compiled (what its container runs). */
export const STREAM_SCORER_MAIN = 'consumer/dist/stream/main.js';

export interface StreamScorerOptions {
  brokers: readonly string[];
  topics: StreamTopics;
  groupId: string;
  /** Settings over the topic/group/model ones (LOG_LEVEL, PROCESSING_GUARANTEE, …). */
  env?: Record<string, string>;
  /** The environment the child inherits before those; ours when omitted. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Node flags before the script (e.g. --expose-gc). */
  nodeArgs?: readonly string[];
  /** Its HTTP port; a free one when omitted, 0 for a run that is not meant to serve. */
  port?: number;
  output?: Pick<SpawnOptions, 'logFile' | 'echoStderr'>;
}

export interface StreamScorer {
  run: Child;
  port: number;
  /** GET on its HTTP server (/readyz, /metrics, …). */
  get(path: string): Promise<{ status: number; body: string }>;
  /** Resolves once it has joined its group (GET /readyz is 200); rejects if it exits first. */
  ready(options?: WaitReadyOptions): Promise<void>;
}

/** The environment of a stream scorer on these topics, group and HTTP port, with the project's model. */
function scorerEnv(options: StreamScorerOptions, port: number): Record<string, string> {
  return {
    KAFKA_BROKERS: options.brokers.join(','),
    RIDES_TOPIC: options.topics.rides,
    PREDICTIONS_TOPIC: options.topics.predictions,
    DLQ_TOPIC: options.topics.deadLetters,
    CONSUMER_GROUP: options.groupId,
    MODEL_PATH: MODEL_DIR,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
  };
}

/** Starts the stream scorer as a child process configured only through its environment, as deployed. */
export async function startStreamScorer(options: StreamScorerOptions): Promise<StreamScorer> {
  const port = options.port ?? (await freePort());
  const run = spawnNode(
    STREAM_SCORER_MAIN,
    [],
    { ...scorerEnv(options, port), ...options.env },
    { ...options.output, nodeArgs: options.nodeArgs, baseEnv: options.baseEnv },
  );
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
