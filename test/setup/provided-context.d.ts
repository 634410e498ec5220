// Values the integration and chaos global setups hand to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap addresses of the broker shared by the integration suites. */
    kafkaBrokers: string[];
    kafkaKind: 'external' | 'container' | 'local';
    /** The chaos suite's profile from its own config's global setup (absent inside `npm test`: short profile). */
    chaosProfile?: 'short' | 'long';
    /** JSON-lines file every chaos scenario appends its figures to; the teardown renders results.md from it. */
    chaosResultsFile?: string;
  }
}

export {};
