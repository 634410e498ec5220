import { isCourseDuration, readTrips, type TlcTrip } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { type PredictionColumns, PredictionWriter } from './prediction-writer.js';

export interface BatchProgress {
  read: number;
  total: number;
}

export interface BatchSummary {
  input: string;
  output: string;
  model: { name: string; version: string };
  /** All the file's rows, unless `signal` stopped the run first (then `complete` is false). */
  rowsRead: number;
  complete: boolean;
  /** Rows kept by the course's cleaning (1..60 minutes) and written. */
  rowsWritten: number;
  /** Written rows the model refused (unknown zone, bad distance or time): predicted_duration is null. */
  rowsRefused: number;
  /** Over the scored rows, predicted vs actual minutes. */
  rmse: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface ScoreFileOptions {
  input: string;
  output: string;
  scorer: ModelScorer;
  /** Rows read, scored (one graph run) and written (one row group) together. */
  chunkSize: number;
  onProgress?: (progress: BatchProgress) => void;
  /** Stops between chunks; what was scored so far is written as a valid file. */
  signal?: AbortSignal;
}

/** Reads a TLC file in chunks, keeps the course's 1..60 minute rides, scores each chunk once, writes parquet. */
export async function scoreFile(options: ScoreFileOptions): Promise<BatchSummary> {
  const { input, output, scorer, chunkSize } = options;
  const started = performance.now();
  const total = Number((await parquetMetadataAsync(await asyncBufferFromFile(input))).num_rows);
  const writer = new PredictionWriter(output);
  let rowsWritten = 0;
  let rowsRefused = 0;
  let squaredError = 0;
  let rowsRead = 0;
  for (let offset = 0; offset < total && options.signal?.aborted !== true; offset += chunkSize) {
    const trips = (await readTrips(input, { offset, limit: chunkSize })).filter(isCourseDuration);
    const columns = await scoreChunk(trips, scorer);
    await writer.write(columns);
    rowsWritten += trips.length;
    columns.diff.forEach((d) => {
      if (d === null) rowsRefused++;
      else squaredError += d * d;
    });
    rowsRead = Math.min(offset + chunkSize, total);
    options.onProgress?.({ read: rowsRead, total });
  }
  await writer.finish();
  const seconds = (performance.now() - started) / 1000;
  const scored = rowsWritten - rowsRefused;
  return {
    input,
    output,
    model: { name: scorer.name, version: scorer.version },
    rowsRead,
    complete: rowsRead === total,
    rowsWritten,
    rowsRefused,
    rmse: scored > 0 ? Math.sqrt(squaredError / scored) : Number.NaN,
    seconds,
    rowsPerSecond: rowsRead / seconds,
  };
}

async function scoreChunk(trips: TlcTrip[], scorer: ModelScorer): Promise<PredictionColumns> {
  const { durations } = await scorer.score(trips);
  const predicted = Array.from(durations, (d) => (Number.isNaN(d) ? null : d));
  return {
    rideId: trips.map((t) => t.rideId),
    pickupWall: trips.map((t) => new Date(t.pickupWallMs)),
    puLocationId: Int32Array.from(trips, (t) => t.puLocationId),
    doLocationId: Int32Array.from(trips, (t) => t.doLocationId),
    actualDuration: Float64Array.from(trips, (t) => t.durationMinutes),
    predictedDuration: predicted,
    // The course's diff: actual - predicted.
    diff: predicted.map((p, i) => (p === null ? null : trips[i]!.durationMinutes - p)),
    modelVersion: trips.map(() => scorer.version),
  };
}
