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
import { deadLetter } from './dead-letter.js';
import type { InputMessage, RecordSource } from './input-message.js';

type Scorer = Pick<ModelScorer, 'score' | 'name' | 'version'>;

export interface BatchDeps {
  scorer: Scorer;
  /** A second model scoring the same rides for comparison (shadow scoring); its failures never touch the primary. */
  shadow?: Scorer;
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
  shadow?: ShadowOutcome;
}

/** A decoded ride whose pickup time is settled (the event's own, or the record's timestamp). */
type TimedRide = DecodedRide & { pickupMs: number };

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
  let result: Awaited<ReturnType<BatchDeps['scorer']['score']>>;
  try {
    result = await deps.scorer.score(decoded.map(({ ride }) => ride));
  } catch (err) {
    for (const { input } of decoded) reject(input, asRideError(err, ErrorCodes.SCORING_FAILED));
    return outcome;
  }
  const scoredAt = deps.now();
  outcome.scoringMs = scoredAt - started;

  const scored: Scored[] = [];
  decoded.forEach(({ input, ride }, i) => {
    const error = result.errors[i];
    if (error !== undefined) {
      reject(input, error);
      return;
    }
    const duration = result.durations[i]!;
    scored.push({ input, ride, duration });
    outcome.predictions.push(
      predictionMessage(input, ride, duration, deps.scorer, scoredAt, deps, deps.schemaIds.predictions),
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
