// Values the integration global setup hands to test files through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap addresses of the broker shared by the integration suites. */
    kafkaBrokers: string[];
    kafkaKind: 'external' | 'container' | 'local';
  }
}

export {};
