import { describe, expect, it } from 'vitest';
import { BrokerError, ConfigError, DataFileError, ErrorCodes, ModelError } from '../../src/errors.js';
import { ExitCodes } from '../../src/lifecycle/exit-codes.js';
import { reportFatal } from '../../src/lifecycle/report-fatal.js';

describe('reportFatal', () => {
  const cases: Array<{ err: unknown; code: number; printed: RegExp }> = [
    {
      err: new ConfigError(['PORT="x" is not an integer']),
      code: ExitCodes.CONFIG_OR_DATA,
      printed: /PORT="x"/,
    },
    {
      err: new DataFileError('in.parquet is not a readable parquet file'),
      code: ExitCodes.CONFIG_OR_DATA,
      printed: /^ride-x \(RIDE_DATA_FILE_INVALID\): in\.parquet/,
    },
    {
      err: new ModelError(ErrorCodes.MODEL_NOT_FOUND, 'no model.onnx'),
      code: ExitCodes.MODEL,
      printed: /^ride-x: cannot serve the model \(RIDE_MODEL_NOT_FOUND\)/,
    },
    {
      err: new BrokerError('no broker'),
      code: ExitCodes.FAILED,
      printed: /^ride-x \(RIDE_BROKER_UNAVAILABLE\)/,
    },
  ];

  it.each(cases)('exits $code for $err.name and prints what the operator needs', ({ err, code, printed }) => {
    const lines: unknown[] = [];
    expect(reportFatal(err, 'ride-x', (text) => lines.push(text))).toBe(code);
    expect(String(lines[0])).toMatch(printed);
  });

  it('exits 1 for anything else, printing the error itself (stack included)', () => {
    const lines: unknown[] = [];
    const err = new TypeError('boom');
    expect(reportFatal(err, 'ride-x', (text) => lines.push(text))).toBe(ExitCodes.FAILED);
    expect(lines).toEqual([err]);
  });
});
