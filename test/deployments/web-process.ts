import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { freePort } from '../harness/free-port.js';
import { REPO_ROOT } from '../harness/repo-paths.js';
import { waitFor } from '../streaming/consumer-process.js';

export interface WebProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const WEB_MAIN = join(REPO_ROOT, 'consumer/dist/web-main.js');

/** Starts the compiled web service on a free loopback port; killed at the end of the test. */
export async function startWeb(env: Record<string, string> = {}): Promise<WebProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [WEB_MAIN], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.ok === true,
    30_000,
    () => `web service never became healthy:\n${output}`,
  );
  return {
    child,
    url,
    output: () => output,
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
