/** Where an event was read: its offset, and whether it was read before (a replay after a restart or a rebalance). */
export interface ReadAt {
  offset: bigint;
  /** Read again after a restart or rebalance: it pairs as before, but counts nothing a second time. */
  replayed: boolean;
}

/** A prediction as the evaluator keeps it until its ride completes. */
export interface ScoredRide extends ReadAt {
  rideId: string;
  model: string;
  version: string;
  predictedMinutes: number;
  /** The ride's pickup instant (the prediction's event_time), epoch ms. */
  pickupMs: number;
}

/** A ride's ground truth: when it ended. */
export interface RideOutcome extends ReadAt {
  rideId: string;
  dropoffMs: number;
}

/** A prediction with what happened. */
export interface RidePair {
  ride: ScoredRide;
  outcome: RideOutcome;
  actualMinutes: number;
}

interface Settled {
  untilMs: number;
  predictionOffset: bigint;
  completionOffset: bigint;
}

export interface PairSettings {
  /** Event time after which an unmatched side is given up (counted as expired), and a paired id forgotten. */
  ttlMs: number;
  /** Unmatched predictions and completions held at most; past it the oldest held is given up (counted as evicted). */
  maxPending: number;
  /**
   * After a restart, the expiry cutoff reached before it: an event read then and older than this was given up and
   * counted then, so reading it again gives it up without counting it again.
   */
  expiredBeforeMs?: number;
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
 * two topics arrive in no common order. Time is event time (the pickup and drop-off instants the events carry), and
 * it is the slower input's: a prediction is given up only once the completions have passed it by the TTL (its
 * completion would have come), and a completion once the predictions have. So the same events give the same pairs
 * and expiries however far one input runs ahead of the other, as after a restart, when each is read again in big
 * batches.
 */
export class RidePairs {
  private readonly predictions = new Map<string, ScoredRide>();
  private readonly completions = new Map<string, RideOutcome>();
  /**
   * Paired rides, until a TTL past their later half: a duplicate within it is recognised. Their offsets are held
   * too: a restart reads again from before both halves of every pair it remembers, so that neither half is read
   * again alone, and waits as if it were unmatched.
   */
  private readonly settled = new Map<string, Settled>();
  /** How far each input has got: the latest pickup among predictions, drop-off among completions. */
  private latestPickupMs = Number.NEGATIVE_INFINITY;
  private latestDropoffMs = Number.NEGATIVE_INFINITY;
  private sweptAtMs = Number.NEGATIVE_INFINITY;
  /** Events older than this are given up: at the last sweep, or on arrival after it. */
  private cutoffMs = Number.NEGATIVE_INFINITY;
  private readonly countedBeforeMs: number;
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
    this.countedBeforeMs = settings.expiredBeforeMs ?? Number.NEGATIVE_INFINITY;
  }

  /** The expiry cutoff so far (for the checkpoint: see PairSettings.expiredBeforeMs). */
  get expiredBefore(): number {
    return this.cutoffMs;
  }

  addPrediction(ride: ScoredRide): RidePair | undefined {
    this.latestPickupMs = Math.max(this.latestPickupMs, ride.pickupMs);
    this.advance();
    if (this.settled.has(ride.rideId) || this.predictions.has(ride.rideId)) {
      this.count('duplicates', ride);
      return undefined;
    }
    const outcome = this.completions.get(ride.rideId);
    if (outcome === undefined || !this.pairable(ride, outcome)) {
      if (ride.pickupMs < this.cutoffMs) {
        this.expire('expiredPredictions', ride, ride.pickupMs);
        return undefined;
      }
      this.predictions.set(ride.rideId, ride);
      this.bound();
      return undefined;
    }
    this.completions.delete(ride.rideId);
    return this.pair(ride, outcome);
  }

  addCompletion(outcome: RideOutcome): RidePair | undefined {
    this.latestDropoffMs = Math.max(this.latestDropoffMs, outcome.dropoffMs);
    this.advance();
    if (this.settled.has(outcome.rideId) || this.completions.has(outcome.rideId)) {
      this.count('duplicates', outcome);
      return undefined;
    }
    const ride = this.predictions.get(outcome.rideId);
    if (ride === undefined || !this.pairable(ride, outcome)) {
      if (outcome.dropoffMs < this.cutoffMs) {
        this.expire('expiredCompletions', outcome, outcome.dropoffMs);
        return undefined;
      }
      this.completions.set(outcome.rideId, outcome);
      this.bound();
      return undefined;
    }
    this.predictions.delete(outcome.rideId);
    return this.pair(ride, outcome);
  }

  /** How far both inputs have got: the slower one's latest event time (-Infinity until both have one). */
  get watermark(): number {
    return Math.min(this.latestPickupMs, this.latestDropoffMs);
  }

  get pending(): { predictions: number; completions: number } {
    return { predictions: this.predictions.size, completions: this.completions.size };
  }

  get counts(): Readonly<PairCounts> {
    return { ...this.tally };
  }

  /**
   * The oldest prediction and completion offsets this join still holds, waiting or paired and remembered (undefined
   * for an input of which it holds nothing): a restart must read again from there to hold the same.
   */
  oldestHeld(): { prediction: bigint | undefined; completion: bigint | undefined } {
    // Waiting entries are kept in the order read, which within one partition is offset order.
    let prediction = this.predictions.values().next().value?.offset;
    let completion = this.completions.values().next().value?.offset;
    for (const pair of this.settled.values()) {
      if (prediction === undefined || pair.predictionOffset < prediction) prediction = pair.predictionOffset;
      if (completion === undefined || pair.completionOffset < completion) completion = pair.completionOffset;
    }
    return { prediction, completion };
  }

  /**
   * A ride completing more than the TTL after its pickup is not evaluated: decided by its two instants alone, so the
   * same whatever was read when (a TTL-based expiry alone would depend on which input's batch came first).
   */
  private pairable(ride: ScoredRide, outcome: RideOutcome): boolean {
    return outcome.dropoffMs - ride.pickupMs <= this.settings.ttlMs;
  }

  private pair(ride: ScoredRide, outcome: RideOutcome): RidePair {
    // A pair is counted once: when its later half is read for the first time.
    if (!(ride.replayed && outcome.replayed)) this.tally.paired += 1;
    this.settled.set(ride.rideId, {
      untilMs: Math.max(ride.pickupMs, outcome.dropoffMs) + this.settings.ttlMs,
      predictionOffset: ride.offset,
      completionOffset: outcome.offset,
    });
    return { ride, outcome, actualMinutes: (outcome.dropoffMs - ride.pickupMs) / 60_000 };
  }

  private count(what: keyof PairCounts, event: ReadAt): void {
    if (!event.replayed) this.tally[what] += 1;
  }

  /** Counted unless it was read before a restart and already past the cutoff then (given up and counted then). */
  private expire(what: 'expiredPredictions' | 'expiredCompletions', event: ReadAt, eventMs: number): void {
    if (!(event.replayed && eventMs < this.countedBeforeMs)) this.tally[what] += 1;
  }

  /**
   * A sweep visits everything held: one per tenth of the TTL keeps expiry within 10 % of it at a bounded cost. Sweeps
   * fall on a fixed grid of event time, so what is given up by a point in the stream does not depend on where the
   * evaluator started reading.
   */
  private advance(): void {
    const step = this.settings.ttlMs / 10;
    const at = Math.floor(this.watermark / step) * step;
    if (at > this.sweptAtMs) this.sweep(at);
  }

  private sweep(at: number): void {
    this.sweptAtMs = at;
    const cutoff = Math.max(this.cutoffMs, at - this.settings.ttlMs);
    this.cutoffMs = cutoff;
    for (const [id, ride] of this.predictions) {
      if (ride.pickupMs >= cutoff) continue;
      this.predictions.delete(id);
      this.expire('expiredPredictions', ride, ride.pickupMs);
    }
    for (const [id, outcome] of this.completions) {
      if (outcome.dropoffMs >= cutoff) continue;
      this.completions.delete(id);
      this.expire('expiredCompletions', outcome, outcome.dropoffMs);
    }
    for (const [id, pair] of this.settled) if (pair.untilMs < at) this.settled.delete(id);
  }

  /** Gives up the longest-held unmatched events past maxPending; forgets the oldest paired ids past it too. */
  private bound(): void {
    const { maxPending } = this.settings;
    while (this.predictions.size + this.completions.size > maxPending) {
      const from: Map<string, ReadAt> =
        this.predictions.size >= this.completions.size ? this.predictions : this.completions;
      const [id, oldest] = from.entries().next().value as [string, ReadAt];
      from.delete(id);
      this.count('evicted', oldest);
    }
    while (this.settled.size > maxPending) this.settled.delete(this.settled.keys().next().value as string);
  }
}
