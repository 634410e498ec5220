/** A prediction as the evaluator keeps it until its ride completes. */
export interface ScoredRide {
  rideId: string;
  model: string;
  version: string;
  predictedMinutes: number;
  /** The ride's pickup instant (the prediction's event_time), epoch ms. */
  pickupMs: number;
}

/** A ride's ground truth: when it ended. */
export interface RideOutcome {
  rideId: string;
  dropoffMs: number;
}

/** A prediction with what happened. */
export interface RidePair {
  ride: ScoredRide;
  dropoffMs: number;
  actualMinutes: number;
}

export interface PairSettings {
  /** Event time after which an unmatched side is given up (counted as expired), and a paired id forgotten. */
  ttlMs: number;
  /** Unmatched predictions and completions held at most; past it the oldest held is given up (counted as evicted). */
  maxPending: number;
}

export interface PairCounts {
  paired: number;
  /** A second prediction or completion for a ride already held or paired: ignored. */
  duplicates: number;
  /** Predictions whose ride did not complete within the TTL. */
  expiredPredictions: number;
  /** Completions whose prediction did not arrive within the TTL (lost, or made before the evaluator's start). */
  expiredCompletions: number;
  /** Given up early to keep within maxPending. */
  evicted: number;
}

/**
 * Joins predictions to completions by ride id, in either order: rides complete long after they are predicted, and
 * two topics arrive in no common order. Time is event time (the pickup and drop-off instants the events carry), so
 * the same events give the same pairs and the same expiries whenever and however fast they are read.
 */
export class RidePairs {
  private readonly predictions = new Map<string, ScoredRide>();
  private readonly completions = new Map<string, RideOutcome>();
  /** Paired ride ids, with the event time after which they are forgotten: duplicates within it are recognised. */
  private readonly settled = new Map<string, number>();
  private watermarkMs = Number.NEGATIVE_INFINITY;
  private sweptAtMs = Number.NEGATIVE_INFINITY;
  private readonly tally: PairCounts = {
    paired: 0,
    duplicates: 0,
    expiredPredictions: 0,
    expiredCompletions: 0,
    evicted: 0,
  };

  private readonly settings: PairSettings;

  constructor(settings: PairSettings) {
    this.settings = settings;
  }

  addPrediction(ride: ScoredRide): RidePair | undefined {
    this.observe(ride.pickupMs);
    if (this.settled.has(ride.rideId) || this.predictions.has(ride.rideId)) {
      this.tally.duplicates += 1;
      return undefined;
    }
    const outcome = this.completions.get(ride.rideId);
    if (outcome === undefined) {
      this.predictions.set(ride.rideId, ride);
      this.bound();
      return undefined;
    }
    this.completions.delete(ride.rideId);
    return this.pair(ride, outcome.dropoffMs);
  }

  addCompletion(outcome: RideOutcome): RidePair | undefined {
    this.observe(outcome.dropoffMs);
    if (this.settled.has(outcome.rideId) || this.completions.has(outcome.rideId)) {
      this.tally.duplicates += 1;
      return undefined;
    }
    const ride = this.predictions.get(outcome.rideId);
    if (ride === undefined) {
      this.completions.set(outcome.rideId, outcome);
      this.bound();
      return undefined;
    }
    this.predictions.delete(outcome.rideId);
    return this.pair(ride, outcome.dropoffMs);
  }

  /** The latest event time seen. */
  get watermark(): number {
    return this.watermarkMs;
  }

  get pending(): { predictions: number; completions: number } {
    return { predictions: this.predictions.size, completions: this.completions.size };
  }

  get counts(): Readonly<PairCounts> {
    return { ...this.tally };
  }

  private pair(ride: ScoredRide, dropoffMs: number): RidePair {
    this.tally.paired += 1;
    this.settled.set(ride.rideId, Math.max(ride.pickupMs, dropoffMs) + this.settings.ttlMs);
    return { ride, dropoffMs, actualMinutes: (dropoffMs - ride.pickupMs) / 60_000 };
  }

  private observe(eventMs: number): void {
    if (!(eventMs > this.watermarkMs)) return;
    this.watermarkMs = eventMs;
    // A sweep visits everything held; one per tenth of the TTL keeps expiry within 10 % of it at a bounded cost.
    if (eventMs - this.sweptAtMs >= this.settings.ttlMs / 10) this.sweep();
  }

  private sweep(): void {
    this.sweptAtMs = this.watermarkMs;
    const cutoff = this.watermarkMs - this.settings.ttlMs;
    for (const [id, ride] of this.predictions) {
      if (ride.pickupMs >= cutoff) continue;
      this.predictions.delete(id);
      this.tally.expiredPredictions += 1;
    }
    for (const [id, outcome] of this.completions) {
      if (outcome.dropoffMs >= cutoff) continue;
      this.completions.delete(id);
      this.tally.expiredCompletions += 1;
    }
    for (const [id, until] of this.settled) if (until < this.watermarkMs) this.settled.delete(id);
  }

  /** Gives up the longest-held unmatched events past maxPending; forgets the oldest paired ids past it too. */
  private bound(): void {
    const { maxPending } = this.settings;
    while (this.predictions.size + this.completions.size > maxPending) {
      const from = this.predictions.size >= this.completions.size ? this.predictions : this.completions;
      const oldest = from.keys().next().value as string;
      from.delete(oldest);
      this.tally.evicted += 1;
    }
    while (this.settled.size > maxPending) this.settled.delete(this.settled.keys().next().value as string);
  }
}
