import type { RideStarted } from '@ride/shared';

/** Deterministic 32-bit PRNG (mulberry32): the same seed gives the same stream on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticOptions {
  seed?: number;
  /** Pickup time of the first ride; later rides are spread a few seconds apart. */
  startMs?: number;
  idPrefix?: string;
}

/** An endless stream of plausible rides (zones 1..263, skewed short distances) for when no trip file is at hand. */
export function* syntheticRides(options: SyntheticOptions = {}): Generator<RideStarted> {
  const random = seededRandom(options.seed ?? 42);
  const prefix = options.idPrefix ?? 'synthetic';
  let pickup = options.startMs ?? Date.now();
  for (let i = 0; ; i++) {
    pickup += Math.floor(random() * 4000);
    yield {
      ride_id: `${prefix}:${i}`,
      pickup_datetime: pickup,
      PULocationID: 1 + Math.floor(random() * 263),
      DOLocationID: 1 + Math.floor(random() * 263),
      trip_distance: Math.round(-Math.log(1 - random()) * 300) / 100,
      vendor_id: 1 + Math.floor(random() * 2),
      passenger_count: 1 + Math.floor(random() * 4),
    };
  }
}
