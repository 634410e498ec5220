import { describe, expect, it } from 'vitest';
import {
  BrokerError,
  ConfigError,
  DataFileError,
  ErrorCodes,
  ModelError,
  NodeVersionError,
} from '../../src/errors.js';
import { ExitCodes } from '../../src/lifecycle/exit-codes.js';
import { reportFatal } from '../../src/lifecycle/report-fatal.js';
import { createLogger } from '../../src/logger.js';

/** reportFatal with a logger whose lines are kept, parsed. */
function report(err: unknown): { exit: number; line: Record<string, unknown> } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ name: 'ride-x' }, { write: (text: string) => lines.push(JSON.parse(text)) });
  const exit = reportFatal(err, 'ride-x', logger);
  expect(lines).toHaveLength(1);
  return { exit, line: lines[0] ?? {} };
}

describe('reportFatal', () => {
  const cases: Array<{ err: unknown; exit: number; code: string; msg: RegExp }> = [
    {
      err: new ConfigError(['PORT="x" is not an integer']),
      exit: ExitCodes.CONFIG_OR_DATA,
      code: ErrorCodes.CONFIG_INVALID,
      msg: /PORT="x"/,
    },
    {
      err: new DataFileError('in.parquet is not a readable parquet file'),
      exit: ExitCodes.CONFIG_OR_DATA,
      code: ErrorCodes.DATA_FILE_INVALID,
      msg: /^RIDE_DATA_FILE_INVALID: in\.parquet/,
    },
    {
      err: new NodeVersionError('ride-x needs Node 24.11.0 or newer'),
      exit: ExitCodes.CONFIG_OR_DATA,
      code: ErrorCodes.NODE_UNSUPPORTED,
      msg: /needs Node 24\.11\.0/,
    },
    {
      err: new ModelError(ErrorCodes.MODEL_NOT_FOUND, 'no model.onnx'),
      exit: ExitCodes.MODEL,
      code: ErrorCodes.MODEL_NOT_FOUND,
      msg: /^cannot serve the model \(RIDE_MODEL_NOT_FOUND\): no model\.onnx/,
    },
    {
      err: new BrokerError('no broker'),
      exit: ExitCodes.FAILED,
      code: ErrorCodes.BROKER_UNAVAILABLE,
      msg: /^RIDE_BROKER_UNAVAILABLE: no broker/,
    },
  ];

  it.each(cases)(
    'exits $exit for $err.name with one fatal line carrying its code',
    ({ err, exit, code, msg }) => {
      const { exit: got, line } = report(err);
      expect(got).toBe(exit);
      expect(line).toMatchObject({ level: 60, name: 'ride-x', code });
      expect(String(line.msg)).toMatch(msg);
    },
  );

  it('exits 1 for anything else, with the error (stack included) and its own code when it has one', () => {
    const err = Object.assign(new TypeError('Promise.withResolvers is not a function'), { code: 'ERR_X' });
    const { exit, line } = report(err);
    expect(exit).toBe(ExitCodes.FAILED);
    expect(line).toMatchObject({ level: 60, code: 'ERR_X', err: { type: 'TypeError' } });
    expect(String(line.msg)).toContain('Promise.withResolvers is not a function');
    expect(String((line.err as { stack: string }).stack)).toContain('report-fatal.test.ts');
    expect(report('a string').line.msg).toBe('stopped by an unexpected error: a string');
  });
});
