/**
 * How every program (ride-producer, ride-scorer, ride-web, ride-batch) tells its supervisor why it stopped. 130 is
 * the shell's code for "ended by SIGINT": here, stopped by a signal before the work was done.
 */
export const ExitCodes = {
  OK: 0,
  FAILED: 1,
  CONFIG_OR_DATA: 2,
  MODEL: 3,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
