import { readTrips } from '@ride/shared';
import type { ProducerConfig } from './config.js';
import { type ReplayEvent, rideEvents } from './replay.js';
import { syntheticRides } from './synthetic-rides.js';
import { tripTimeline } from './trip-timeline.js';
import { tripToRide } from './trip-to-ride.js';

export interface ReplaySource {
  events: Iterable<ReplayEvent>;
  /** How many events there are, when known (a synthetic stream without --limit is endless). */
  total: number | undefined;
  /** What is counted: rides, or events when completions go with them. */
  unit: 'rides' | 'events';
}

/**
 * The events the CLI replays: a file's rides (in file order, or by pickup for --speedup); with --completions, every
 * ride and its completion in time order (tripTimeline); or a synthetic stream.
 */
export async function replaySource(config: ProducerConfig): Promise<ReplaySource> {
  const source = config.source;
  if (source.kind === 'synthetic') {
    return {
      events: rideEvents(take(syntheticRides({ seed: source.seed }), source.limit)),
      total: source.limit,
      unit: 'rides',
    };
  }
  const trips = await readTrips(source.path, { offset: source.offset, limit: source.limit });
  if (config.completionsTopic !== undefined) {
    const timeline = tripTimeline(trips);
    return { events: timeline, total: timeline.length, unit: 'events' };
  }
  if (config.pace.kind === 'speedup') trips.sort((a, b) => a.pickupMs - b.pickupMs);
  return { events: rideEvents(trips.map(tripToRide)), total: trips.length, unit: 'rides' };
}

function* take<T>(items: Iterable<T>, limit: number | undefined): Generator<T> {
  if (limit === undefined) return yield* items;
  let n = 0;
  for (const item of items) {
    if (n++ >= limit) return;
    yield item;
  }
}
