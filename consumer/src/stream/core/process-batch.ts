import {
  type DecodedRide,
  decodeRide,
  ErrorCodes,
  EventError,
  encodePrediction,
  encodePredictionTagged,
  Headers,
  type OutRecord,
  type PredictionFormat,
  RideError,
  type RidePrediction,
  type SchemaCatalog,
  type WireFormat,
} from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import { headerString } from '../../common/header-string.js';
import { routesToCanary } from '../canary/canary-bucket.js';
import { deadLetter } from './dead-letter.js';
import type { InputMessage, RecordSource } from './input-message.js';

type Scorer = Pick<ModelScorer, 'score' | 'name' | 'version'>;

export interface BatchDeps {
  scorer: Scorer;
  /** A second model scoring the same rides for comparison (shadow scoring); its failures never touch the primary. */
  shadow?: Scorer;
  /**
   * A candidate answering the rides whose id hashes into `share` (canaryBucket): a ride always gets the same model.
   * A ride the candidate fails is answered by the champion, and counted.
   */
  canary?: { scorer: Scorer; share: number };
  format: PredictionFormat;
  /** `confluent`: framed values, no headers; `tagged`: the earlier contract (see readWireFormat). */
  wire: WireFormat;
  /** Writer schemas by id: framed inputs are decoded through it (unknown ids are looked up first). */
  catalog: SchemaCatalog;
  /** The schema ids framed Avro predictions carry, for the predictions topic and the shadow topic. */
  schemaIds: { predictions: number; shadow?: number };
  maxMessageBytes: number;
  now: () => number;
}

/** What the shadow model made of the rides the primary scored. */
export interface ShadowOutcome {
  version: string;
  /** Predictions in the same contract, stamped with the shadow model; for the shadow topic. */
  predictions: OutRecord[];
  /** |shadow − primary| in minutes, per ride both scored. */
  absDiffs: number[];
  /** Rides the shadow model refused or could not score. */
  failed: number;
  scoringMs: number;
}

export interface BatchOutcome {
  predictions: OutRecord[];
  deadLetters: OutRecord[];
  /** Dead letters per error code, for metrics. */
  reasons: Map<string, number>;
  /** Record timestamps (epoch ms) of the scored inputs, for end-to-end latency once the send is acknowledged. */
  recordTimestamps: number[];
  scoringMs: number;
  /** The scored rides by the version that answered them: predictions per version, and input drift. */
  answeredBy: Map<string, TimedRide[]>;
  shadow?: ShadowOutcome;
  canary?: CanaryOutcome;
}

/** What the canary split did with a chunk. */
export interface CanaryOutcome {
  version: string;
  /** Rides the candidate answered. */
  answered: number;
  /** Rides routed to the candidate that it refused or failed on while the champion answered them. */
  failed: number;
}

/** A decoded ride whose pickup time is settled (the event's own, or the record's timestamp). */
export type TimedRide = DecodedRide & { pickupMs: number };

interface Decoded {
  input: InputMessage;
  ride: TimedRide;
}

/**
 * The consumer's core, free of Kafka I/O: decode → validate → score every valid ride in one model run →
 * build prediction messages and dead letters. Every input ends as exactly one of the two.
 */
export async function processBatch(
  inputs: readonly InputMessage[],
  source: RecordSource,
  deps: BatchDeps,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = {
    predictions: [],
    deadLetters: [],
    reasons: new Map(),
    recordTimestamps: [],
    scoringMs: 0,
    answeredBy: new Map(),
  };
  const reject = (input: InputMessage, error: RideError) => {
    outcome.deadLetters.push(deadLetter(input, source, error, deps.now()));
    outcome.reasons.set(error.code, (outcome.reasons.get(error.code) ?? 0) + 1);
  };

  // A registry that cannot be reached throws here (retriable): the batch is fetched again, never dead-lettered.
  await deps.catalog.learn(inputs.map((input) => input.value));
  const decoded: Decoded[] = [];
  for (const input of inputs) {
    try {
      decoded.push({ input, ride: decodeInput(input, deps) });
    } catch (err) {
      reject(input, asRideError(err, ErrorCodes.DECODE_FAILED));
    }
  }

  const started = deps.now();
  let split: SplitResult;
  try {
    split = await scoreSplit(
      decoded.map(({ ride }) => ride),
      deps,
    );
  } catch (err) {
    for (const { input } of decoded) reject(input, asRideError(err, ErrorCodes.SCORING_FAILED));
    return outcome;
  }
  const scoredAt = deps.now();
  outcome.scoringMs = scoredAt - started;
  outcome.canary = split.canary;

  const scored: Scored[] = [];
  decoded.forEach(({ input, ride }, i) => {
    const error = split.errors[i];
    if (error !== undefined) {
      reject(input, error);
      return;
    }
    const duration = split.durations[i]!;
    const model = split.models[i]!;
    scored.push({ input, ride, duration });
    const answered = outcome.answeredBy.get(model.version);
    if (answered === undefined) outcome.answeredBy.set(model.version, [ride]);
    else answered.push(ride);
    outcome.predictions.push(
      predictionMessage(input, ride, duration, model, scoredAt, deps, deps.schemaIds.predictions),
    );
    outcome.recordTimestamps.push(Number(input.timestamp));
  });
  if (deps.shadow !== undefined && scored.length > 0)
    outcome.shadow = await scoreShadow(scored, deps.shadow, deps);
  return outcome;
}

interface Scored extends Decoded {
  duration: number;
}

interface SplitResult {
  durations: Float64Array;
  errors: Array<RideError | undefined>;
  /** The model that answered each ride. */
  models: Scorer[];
  canary?: CanaryOutcome;
}

/**
 * Scores the rides in at most two model runs: the canary's share with the candidate, then the rest, and whatever the
 * candidate could not answer, with the champion. Only the champion's run failing fails the chunk.
 */
async function scoreSplit(rides: readonly TimedRide[], deps: BatchDeps): Promise<SplitResult> {
  const n = rides.length;
  const split: SplitResult = {
    durations: new Float64Array(n).fill(Number.NaN),
    errors: new Array(n).fill(undefined),
    models: new Array(n).fill(deps.scorer),
  };
  const forChampion: number[] = [];
  const triedCanary = new Set<number>();
  const { canary } = deps;
  if (canary === undefined) {
    for (let i = 0; i < n; i++) forChampion.push(i);
  } else {
    const outcome: CanaryOutcome = { version: canary.scorer.version, answered: 0, failed: 0 };
    split.canary = outcome;
    const routed: number[] = [];
    rides.forEach((ride, i) => {
      (routesToCanary(ride.rideId, canary.share) ? routed : forChampion).push(i);
    });
    if (routed.length > 0) {
      let result: Awaited<ReturnType<Scorer['score']>> | undefined;
      try {
        result = await canary.scorer.score(routed.map((i) => rides[i]!));
      } catch {
        result = undefined;
      }
      routed.forEach((i, k) => {
        const duration = result?.durations[k];
        if (result !== undefined && result.errors[k] === undefined && Number.isFinite(duration)) {
          split.durations[i] = duration!;
          split.models[i] = canary.scorer;
          outcome.answered += 1;
        } else {
          triedCanary.add(i);
          forChampion.push(i);
        }
      });
    }
  }
  if (forChampion.length === 0) return split;
  const result = await deps.scorer.score(forChampion.map((i) => rides[i]!));
  forChampion.forEach((i, k) => {
    split.errors[i] = result.errors[k];
    split.durations[i] = result.durations[k]!;
    // A ride both refuse is a bad ride (a dead letter), not the candidate's failure.
    if (triedCanary.has(i) && result.errors[k] === undefined) split.canary!.failed += 1;
  });
  return split;
}

/** The shadow model on the rides the primary scored, in one run; a failed run only counts as failed. */
async function scoreShadow(
  scored: readonly Scored[],
  shadow: Scorer,
  deps: BatchDeps,
): Promise<ShadowOutcome> {
  const outcome: ShadowOutcome = {
    version: shadow.version,
    predictions: [],
    absDiffs: [],
    failed: 0,
    scoringMs: 0,
  };
  const started = deps.now();
  let result: Awaited<ReturnType<Scorer['score']>>;
  try {
    result = await shadow.score(scored.map(({ ride }) => ride));
  } catch {
    outcome.failed = scored.length;
    return outcome;
  }
  const scoredAt = deps.now();
  outcome.scoringMs = scoredAt - started;
  scored.forEach(({ input, ride, duration }, i) => {
    const shadowDuration = result.durations[i];
    if (result.errors[i] !== undefined || shadowDuration === undefined) {
      outcome.failed += 1;
      return;
    }
    outcome.absDiffs.push(Math.abs(shadowDuration - duration));
    const schemaId = deps.schemaIds.shadow ?? deps.schemaIds.predictions;
    outcome.predictions.push(
      predictionMessage(input, ride, shadowDuration, shadow, scoredAt, deps, schemaId),
    );
  });
  return outcome;
}

/**
 * A prediction needs no headers: its value says what it is (framed Avro or JSON) and it carries the input record's
 * timestamp (the Kafka Streams convention), so a reader measures end-to-end latency from the record alone.
 */
function predictionMessage(
  input: InputMessage,
  ride: TimedRide,
  duration: number,
  model: Scorer,
  scoredAt: number,
  deps: BatchDeps,
  schemaId: number,
): OutRecord {
  const prediction: RidePrediction = {
    ride_id: ride.rideId,
    ride_duration: duration,
    model: model.name,
    version: model.version,
    event_time: ride.pickupMs,
    scored_at: scoredAt,
  };
  const encoding = { format: deps.format, rideIdJsonText: ride.rideIdJsonText, schemaId };
  if (deps.wire === 'tagged') {
    const { value, contentType } = encodePredictionTagged(prediction, encoding);
    const headers = {
      [Headers.contentType]: contentType,
      [Headers.modelVersion]: model.version,
      [Headers.sourceTimestamp]: input.timestamp,
    };
    return { key: ride.rideId, value, headers };
  }
  return { key: ride.rideId, value: encodePrediction(prediction, encoding), timestamp: input.timestamp };
}

function decodeInput(input: InputMessage, deps: BatchDeps): TimedRide {
  const size = input.value?.length ?? 0;
  if (size > deps.maxMessageBytes) {
    throw new EventError(
      ErrorCodes.MESSAGE_TOO_LARGE,
      `message of ${size} bytes exceeds the ${deps.maxMessageBytes}-byte limit for a ride event`,
    );
  }
  const ride = decodeRide(input.value, headerString(input.headers, Headers.contentType), deps.catalog);
  // An event that does not say when the ride started is taken to start when it was produced.
  ride.pickupMs ??= Number(input.timestamp);
  return ride as TimedRide;
}

function asRideError(
  err: unknown,
  fallback: typeof ErrorCodes.DECODE_FAILED | typeof ErrorCodes.SCORING_FAILED,
): RideError {
  if (err instanceof RideError) return err;
  return new EventError(fallback, err instanceof Error ? err.message : String(err), { cause: err });
}
