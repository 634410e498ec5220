import { ConfigError, DataFileError, ModelError, RideError } from '../errors.js';
import { type ExitCode, ExitCodes } from './exit-codes.js';

/**
 * The exit code for an error that ended a program, after printing what the operator needs: configuration or
 * input-file problems exit 2, an unusable model 3 (the messages name the fix), anything else 1. `print` is
 * console.error; a test passes a recorder.
 */
export function reportFatal(
  err: unknown,
  program: string,
  print: (text: unknown) => void = (text) => console.error(text),
): ExitCode {
  if (err instanceof ConfigError) {
    print(err.message);
    return ExitCodes.CONFIG_OR_DATA;
  }
  if (err instanceof DataFileError) {
    print(`${program} (${err.code}): ${err.message}`);
    return ExitCodes.CONFIG_OR_DATA;
  }
  if (err instanceof ModelError) {
    print(`${program}: cannot serve the model (${err.code}): ${err.message}`);
    return ExitCodes.MODEL;
  }
  if (err instanceof RideError) {
    print(`${program} (${err.code}): ${err.message}`);
    return ExitCodes.FAILED;
  }
  print(err);
  return ExitCodes.FAILED;
}
