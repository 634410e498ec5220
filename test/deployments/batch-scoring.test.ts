import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatchScorer } from '../../harness/index.js';
import { MODEL_100 } from '../support/model-versions.js';
import { tripFile } from '../support/trip-file.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ride-batch-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const COLUMNS = [
  'ride_id',
  'lpep_pickup_datetime',
  'PULocationID',
  'DOLocationID',
  'actual_duration',
  'predicted_duration',
  'diff',
  'model_version',
];

describe('batch scoring CLI', () => {
  it("scores February 2021 into the course's columns: 61,921 clean rows at the validation RMSE", async () => {
    const output = join(root, 'predictions.parquet');
    const run = await runBatchScorer([
      tripFile('green_tripdata_2021-02.parquet'),
      output,
      '--chunk',
      '20000',
      '--json',
    ]);
    expect(run.code, run.output).toBe(0);
    const summary = JSON.parse(run.output.trim().split('\n').pop()!);
    const metadata = JSON.parse(await readFile(join(MODEL_100, 'metadata.json'), 'utf8'));
    expect(summary).toMatchObject({ rowsRead: 64_572, rowsWritten: 61_921, model: { version: '1.0.0' } });
    expect(summary.rmse).toBeCloseTo(metadata.metrics.validation_rmse, 1);
    expect(summary.rowsPerSecond).toBeGreaterThan(0);

    // Read back with hyparquet's reader, not the writer that produced the file.
    const file = await asyncBufferFromFile(output);
    const meta = await parquetMetadataAsync(file);
    expect(meta.schema.slice(1).map((s) => s.name)).toEqual(COLUMNS);
    expect(Number(meta.num_rows)).toBe(61_921);
    const rows = await parquetReadObjects({ file });
    expect(rows).toHaveLength(61_921);
    const first = rows[0]!;
    expect(first.ride_id).toBe('green_tripdata_2021-02:0');
    expect(first.lpep_pickup_datetime).toEqual(new Date('2021-02-01T00:34:03Z'));
    // Checked without expect() per row: 62k rows × 4 assertions would dominate the test's time.
    let sq = 0;
    let scored = 0;
    const wrong: unknown[] = [];
    for (const row of rows) {
      const inRange = row.actual_duration >= 1 && row.actual_duration <= 60 && row.model_version === '1.0.0';
      if (!inRange) wrong.push(row);
      if (row.predicted_duration === null) continue;
      if (Math.abs(row.diff - (row.actual_duration - row.predicted_duration)) > 1e-9) wrong.push(row);
      sq += row.diff * row.diff;
      scored++;
    }
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(scored).toBe(61_921 - summary.rowsRefused);
    expect(Math.sqrt(sq / scored)).toBeCloseTo(summary.rmse, 9);
  });

  it('exits 2 with usage when the files are missing', async () => {
    const run = await runBatchScorer([]);
    expect(run.code).toBe(2);
    expect(run.output).toContain('usage: ride-batch');
  });
});
