/**
 * The pause before retry `attempt` (1, 2, …) that both adapters use: 300 ms doubling to 5 s, so ten retries ride out
 * about 34 s (a broker restart, a leader or coordinator moving).
 */
export function retryBackoffMs(attempt: number): number {
  return Math.min(5000, 300 * 2 ** (attempt - 1));
}

/** Retries of a failed request where the settings leave it unset (KafkaSettings.retries), in both adapters. */
export const DEFAULT_RETRIES = 10;

/** How long a client's retries of one request pause in all: 34.3 s for the default ten. */
export function retryBudgetMs(retries: number = DEFAULT_RETRIES): number {
  let total = 0;
  for (let attempt = 1; attempt <= retries; attempt++) total += retryBackoffMs(attempt);
  return total;
}

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
