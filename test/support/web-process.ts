import type { ChildProcess } from 'node:child_process';
import { startWebService } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

export interface WebProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the web service (harness launcher) on a free loopback port; killed at the end of the test. */
export async function startWeb(env: Record<string, string> = {}): Promise<WebProcess> {
  const web = await startWebService({ env: { LOG_LEVEL: 'info', ...env } });
  const { child, output, exited } = killAfterTest(web.run);
  await web.ready({ timeoutMs: 30_000 });
  return {
    child,
    url: web.url,
    output,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}

/** A /predict answer as tests read it: a prediction, or an error with its code. */
export interface PredictJson {
  duration: number;
  model_version: string;
  error: { code: string; message: string; problems?: unknown[] };
}

/** POST /predict with a JSON body; resolves with status and parsed body. */
export async function postPredict<T = PredictJson>(
  url: string,
  body: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}
