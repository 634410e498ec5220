import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { DataFileError } from '../errors.js';
import { nycWallToEpochMs } from '../model/nyc-time.js';

/** One TLC trip record, reduced to what ride events and scoring need. */
export interface TlcTrip {
  /** Stable id: file name + row number, so replays of the same file reuse the same ids. */
  rideId: string;
  rowIndex: number;
  /** Pickup instant (epoch ms); TLC times are New York wall-clock times. */
  pickupMs: number;
  /** Pickup as TLC wrote it: wall-clock milliseconds, as if UTC. */
  pickupWallMs: number;
  dropoffMs: number;
  puLocationId: number;
  doLocationId: number;
  tripDistance: number;
  vendorId: number | null;
  passengerCount: number | null;
  /** (dropoff - pickup) in minutes, the model's target. */
  durationMinutes: number;
}

const COLUMNS = [
  'VendorID',
  'lpep_pickup_datetime',
  'lpep_dropoff_datetime',
  'PULocationID',
  'DOLocationID',
  'passenger_count',
  'trip_distance',
];

export interface ReadTripsOptions {
  /** First row (0-based) and number of rows to read; the whole file by default. */
  offset?: number;
  limit?: number;
}

/** Reads green-taxi trip rows from a TLC parquet file (2021 layout and later integer widths alike). */
export async function readTrips(path: string, options: ReadTripsOptions = {}): Promise<TlcTrip[]> {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let rowCount: number;
  try {
    file = await asyncBufferFromFile(path);
    rowCount = Number((await parquetMetadataAsync(file)).num_rows);
  } catch (err) {
    throw new DataFileError(
      `${path} is not a readable parquet file: run "npm run data" to fetch the TLC files`,
      { cause: err },
    );
  }
  const rowStart = Math.min(options.offset ?? 0, rowCount);
  const rowEnd = Math.min(rowStart + (options.limit ?? rowCount), rowCount);
  const rows = await parquetReadObjects({ file, compressors, columns: COLUMNS, rowStart, rowEnd });
  const prefix = basename(path).replace(/\.parquet$/, '');
  return rows.map((row, i) => toTrip(row, prefix, rowStart + i));
}

function toTrip(row: Record<string, unknown>, prefix: string, rowIndex: number): TlcTrip {
  const pickupWallMs = toMs(row.lpep_pickup_datetime);
  const dropoffWallMs = toMs(row.lpep_dropoff_datetime);
  return {
    rideId: `${prefix}:${rowIndex}`,
    rowIndex,
    pickupMs: nycWallToEpochMs(pickupWallMs),
    pickupWallMs,
    dropoffMs: nycWallToEpochMs(dropoffWallMs),
    puLocationId: toNumber(row.PULocationID),
    doLocationId: toNumber(row.DOLocationID),
    tripDistance: toNumber(row.trip_distance),
    vendorId: toNullableInt(row.VendorID),
    passengerCount: toNullableInt(row.passenger_count),
    durationMinutes: (dropoffWallMs - pickupWallMs) / 60_000,
  };
}

function toMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
  return Number.NaN;
}

function toNumber(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : Number(value);
}

function toNullableInt(value: unknown): number | null {
  const n = toNumber(value);
  return Number.isInteger(n) ? n : null;
}

/** The course's cleaning: keep trips lasting 1 to 60 minutes. */
export function isCourseDuration(trip: TlcTrip): boolean {
  return trip.durationMinutes >= 1 && trip.durationMinutes <= 60;
}
