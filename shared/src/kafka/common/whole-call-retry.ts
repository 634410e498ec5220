/** How often and how long apart a whole call is tried again, and which failures a new attempt may cure. */
export interface WholeCallRetry {
  retries: number;
  delayMs(attempt: number, err: Error): number;
  /** The client's own verdict on a failure (its error classes say whether a retry can help). */
  retriable(err: unknown): boolean;
}

/**
 * Runs `call` again, from the start, while it fails with errors the client calls retriable, up to `retries` more
 * times; then throws the last failure. For calls whose client retries a step inside against the node it found
 * first (a group's coordinator, a partition's leader) even after that node died: each attempt here finds its node
 * afresh.
 */
export async function retryWholeCall<T>(call: () => Promise<T>, policy: WholeCallRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!policy.retriable(err) || attempt > policy.retries) throw err;
      await new Promise((resolve) => setTimeout(resolve, policy.delayMs(attempt, err as Error)));
    }
  }
}
