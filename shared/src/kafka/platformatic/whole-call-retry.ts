import { explained, innermostErrors } from './errors.js';

/** How often and how long apart a whole call is tried again. */
export interface WholeCallRetry {
  retries: number;
  delayMs(attempt: number, err: Error): number;
}

/**
 * Runs `call` again, from the start, while it fails only with errors the client calls retriable, up to `retries`
 * more times; then throws the last failure, its reasons spelled out (explained). For calls whose client retries a
 * step inside (the node it found first) rather than the whole call: each attempt here finds its node afresh.
 */
export async function retryWholeCall<T>(call: () => Promise<T>, policy: WholeCallRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const retriable = innermostErrors(err).every((e) => (e as { canRetry?: unknown }).canRetry === true);
      if (!retriable || attempt > policy.retries) return explained(Promise.reject(err));
      await new Promise((resolve) => setTimeout(resolve, policy.delayMs(attempt, err as Error)));
    }
  }
}
