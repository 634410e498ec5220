import type { Child } from '../child-process.js';
import { waitFor } from '../wait-for.js';

export interface WaitReadyOptions {
  /** The endpoint that answers 200 once ready; /readyz by default (the web service has /healthz only). */
  path?: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** Ends the wait early without failing (e.g. a demo being stopped meanwhile). */
  cancelled?: () => boolean;
}

/** Whether the program serving on this loopback port answers 200 on its readiness endpoint (false while down). */
export async function isReady(port: number, path = '/readyz'): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}${path}`).then(
    (r) => r.status === 200,
    () => false,
  );
}

/** Polls a program's readiness endpoint (GET /readyz) until it answers 200, failing at once if the process exits first. */
export async function waitReady(run: Child, port: number, options: WaitReadyOptions = {}): Promise<void> {
  const { path = '/readyz', timeoutMs = 60_000, intervalMs, cancelled = () => false } = options;
  await waitFor(
    async () => {
      if (cancelled()) return true;
      const ready = await isReady(port, path);
      if (!ready && run.child.exitCode !== null) {
        throw new Error(`exited (${run.child.exitCode}) before it was ready:\n${run.output()}`);
      }
      return ready;
    },
    timeoutMs,
    () => `not ready after ${timeoutMs} ms:\n${run.output()}`,
    intervalMs === undefined ? {} : { intervalMs },
  );
}
