import { type Child, type SpawnOptions, spawnNode } from '../child-process.js';
import { freePort } from '../free-port.js';
import { type WaitReadyOptions, waitReady } from './wait-ready.js';

/** The web service's entry point, compiled. */
export const WEB_SERVICE_MAIN = 'consumer/dist/web/main.js';

export interface WebServiceOptions {
  /** Settings over HOST and PORT (LOG_LEVEL, MODEL_PATH, …). */
  env?: Record<string, string>;
  /** Its port; a free one when omitted. */
  port?: number;
  output?: Pick<SpawnOptions, 'logFile' | 'echoStderr'>;
}

export interface WebService {
  run: Child;
  port: number;
  url: string;
  /** Resolves once GET /healthz answers 200; rejects if it exits first. */
  ready(options?: WaitReadyOptions): Promise<void>;
}

/** Starts the web service on loopback as a child process configured only through its environment. */
export async function startWebService(options: WebServiceOptions = {}): Promise<WebService> {
  const port = options.port ?? (await freePort());
  const env = { HOST: '127.0.0.1', PORT: String(port), ...options.env };
  const run = spawnNode(WEB_SERVICE_MAIN, [], env, options.output);
  return {
    run,
    port,
    url: `http://127.0.0.1:${port}`,
    ready: (wait) => waitReady(run, port, { path: '/healthz', ...wait }),
  };
}
