import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Pause between two checks; 100 ms by default. */
  intervalMs?: number;
}

/**
 * The one poll of the repository: calls `check` until it returns true, pausing `intervalMs` between calls. After
 * `timeoutMs` it fails with `describe()`, the state it saw (an Error is thrown as it is, so a caller keeps its own
 * class and cause). A check that throws ends the wait with its error at once. `timeoutMs` is Infinity where the
 * check carries its own bound (it throws on a stall, or returns true once it gives up).
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string | Error,
  options: WaitOptions = {},
): Promise<void> {
  const { intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  const failure = describe();
  throw failure instanceof Error ? failure : new Error(failure);
}
