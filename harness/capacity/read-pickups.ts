import { readTrips } from '@ride/shared';

/** Pickup times (New York wall clock, ms as if UTC) of every ride in a TLC green-taxi parquet file. */
export async function readPickups(path: string): Promise<number[]> {
  const trips = await readTrips(path);
  return trips.map((t) => t.pickupWallMs);
}
