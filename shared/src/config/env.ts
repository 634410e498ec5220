/** Variables by name, as `process.env` holds them (or as flags stand for them). */
export type Env = Readonly<Record<string, string | undefined>>;

/** Flags spelled otherwise than their variable, flag name → variable: `{ rate: 'PRODUCER_RATE' }`. */
export type FlagNames = Readonly<Record<string, string>>;
