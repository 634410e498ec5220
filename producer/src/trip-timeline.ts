import type { RideCompleted, TlcTrip } from '@ride/shared';
import type { ReplayEvent } from './replay.js';
import { tripToRide } from './trip-to-ride.js';

/**
 * A TLC trip as the ride-completed event an app would send at drop-off, under its ride's id. Undefined when the
 * trip lacks either time: without the drop-off there is nothing to report, and without the pickup the completion
 * could not be placed after its ride.
 */
export function tripToCompletion(trip: TlcTrip): RideCompleted | undefined {
  if (!Number.isFinite(trip.pickupMs) || !Number.isFinite(trip.dropoffMs)) return undefined;
  return { ride_id: trip.rideId, dropoff_datetime: trip.dropoffMs };
}

/**
 * Every trip's ride at its pickup and its completion at its drop-off, in time order: what the street would have
 * sent. Every trip gives its ride, as the rides-only replay sends them all, so the ids are the same. A completion
 * never goes before its ride: one whose drop-off is recorded before its pickup (TLC data has such rows) is placed
 * at the pickup, right after the ride, still carrying the drop-off as recorded. At equal times rides go first,
 * then the file's order. A ride without a pickup instant (no TLC file we replay has one) goes last, unpaced.
 */
export function tripTimeline(trips: readonly TlcTrip[]): ReplayEvent[] {
  const events: ReplayEvent[] = [];
  for (const trip of trips) {
    const ride = tripToRide(trip);
    events.push({ kind: 'ride', at: ride.pickup_datetime, ride });
    const completion = tripToCompletion(trip);
    if (completion !== undefined) {
      events.push({ kind: 'completion', at: Math.max(trip.dropoffMs, trip.pickupMs), completion });
    }
  }
  // Array.prototype.sort is stable (ES2019), so events at the same time keep the file's order among their kind.
  return events.sort((a, b) => sortKey(a) - sortKey(b) || rank(a) - rank(b));
}

const sortKey = (event: ReplayEvent): number => (Number.isFinite(event.at) ? event.at : Infinity);
const rank = (event: ReplayEvent): number => (event.kind === 'ride' ? 0 : 1);
