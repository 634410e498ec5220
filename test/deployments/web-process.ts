import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort, REPO_ROOT, spawnNode, waitFor } from '../../harness/index.js';
import { killAfterTest } from '../support/kill-after-test.js';

export interface WebProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const WEB_MAIN = join(REPO_ROOT, 'consumer/dist/web/main.js');

/** Starts the compiled web service on a free loopback port; killed at the end of the test. */
export async function startWeb(env: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const {
    child,
    output: read,
    exited,
  } = killAfterTest(
    spawnNode('consumer/dist/web/main.js', [], {
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
    30_000,
    () => `web service never became healthy:\n${read()}`,
  );
  return {
    child,
    url,
    output: read,
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
