// Values the chaos config's global setup hands to the suite (absent inside `npm test`: short profile).
declare module 'vitest' {
  export interface ProvidedContext {
    chaosProfile?: 'short' | 'long';
    /** JSON-lines file every scenario appends its figures to; the teardown renders results.md from it. */
    chaosResultsFile?: string;
  }
}

export {};
