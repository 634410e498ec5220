import { pino } from 'pino';
import { ConfigError, DataFileError, ModelError, NodeVersionError, RideError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { type ExitCode, ExitCodes } from './exit-codes.js';

/** The exit code a program ends with for an error that stopped it. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof ConfigError || err instanceof DataFileError || err instanceof NodeVersionError)
    return ExitCodes.CONFIG_OR_DATA;
  if (err instanceof ModelError) return ExitCodes.MODEL;
  return ExitCodes.FAILED;
}

/** What the operator reads: our errors' messages name the problem and the fix; anything else is named as it is. */
function describe(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof ModelError) return `cannot serve the model (${err.code}): ${err.message}`;
  if (err instanceof RideError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return `stopped by an unexpected error: ${err.message}`;
  return `stopped by an unexpected error: ${String(err)}`;
}

/**
 * Logs the error that ended a program as one fatal line (its code, the message naming the fix, the error with its
 * stack under `err`) on stderr, where a supervisor looks first, and returns the exit code: configuration, data or
 * runtime problems 2, an unusable model 3, anything else 1. `logger` is for tests.
 */
export function reportFatal(
  err: unknown,
  program: string,
  logger: Logger = createLogger({ name: program }, pino.destination({ fd: 2, sync: true })),
): ExitCode {
  const code = err instanceof RideError ? err.code : (err as { code?: unknown } | undefined)?.code;
  logger.fatal({ err, ...(code === undefined ? {} : { code }) }, describe(err));
  return exitCodeFor(err);
}
