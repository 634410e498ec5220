/**
 * Delays between runs of the consumer after its client gave up on it: 1, 2, 4, 8, 16 s (with the defaults), then
 * none: the process should exit and its supervisor decide. A group join resets it.
 */
export class RerunBackoff {
  private readonly maxRuns: number;
  private readonly baseMs: number;
  private runs = 0;

  constructor(maxRuns = 5, baseMs = 1000) {
    this.maxRuns = maxRuns;
    this.baseMs = baseMs;
  }

  /** Runs since the last reset. */
  get attempts(): number {
    return this.runs;
  }

  /** The delay before the next run, or undefined once `maxRuns` ran without a reset. */
  next(): number | undefined {
    if (this.runs >= this.maxRuns) return undefined;
    const delayMs = this.baseMs * 2 ** this.runs;
    this.runs += 1;
    return delayMs;
  }

  reset(): void {
    this.runs = 0;
  }
}
