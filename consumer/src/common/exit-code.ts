import { ConfigError, DataFileError, ModelError, RideError } from '@ride/shared';

/**
 * The exit code for an error that ended a program, after printing what the operator needs: configuration or
 * input-file problems exit 2, an unusable model 3 (the messages name the fix), anything else 1.
 */
export function reportFatal(err: unknown, program: string): number {
  if (err instanceof ConfigError) {
    console.error(err.message);
    return 2;
  }
  if (err instanceof DataFileError) {
    console.error(`${program} (${err.code}): ${err.message}`);
    return 2;
  }
  if (err instanceof ModelError) {
    console.error(`${program}: cannot serve the model (${err.code}): ${err.message}`);
    return 3;
  }
  if (err instanceof RideError) {
    console.error(`${program} (${err.code}): ${err.message}`);
    return 1;
  }
  console.error(err);
  return 1;
}
