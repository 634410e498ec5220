import {
  type DecodedRide,
  decodeRide,
  ErrorCodes,
  EventError,
  encodePrediction,
  Headers,
  type Message,
  type ModelScorer,
  type PredictionFormat,
  RideError,
} from '@ride/shared';
import { deadLetter } from './dead-letter.js';
import { headerString, type InputMessage, type RecordSource } from './input-message.js';

export interface BatchDeps {
  scorer: Pick<ModelScorer, 'score' | 'name' | 'version'>;
  format: PredictionFormat;
  maxMessageBytes: number;
  now: () => number;
}

export interface BatchOutcome {
  predictions: Message[];
  deadLetters: Message[];
  /** Dead letters per error code, for metrics. */
  reasons: Map<string, number>;
  /** Record timestamps (epoch ms) of the scored inputs, for end-to-end latency once the send is acknowledged. */
  recordTimestamps: number[];
  scoringMs: number;
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

  const decoded: Decoded[] = [];
  for (const input of inputs) {
    try {
      decoded.push({ input, ride: decodeInput(input, deps.maxMessageBytes) });
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

  decoded.forEach(({ input, ride }, i) => {
    const error = result.errors[i];
    if (error !== undefined) {
      reject(input, error);
      return;
    }
    const { value, contentType } = encodePrediction(
      {
        ride_id: ride.rideId,
        ride_duration: result.durations[i]!,
        model: deps.scorer.name,
        version: deps.scorer.version,
        event_time: ride.pickupMs,
        scored_at: scoredAt,
      },
      deps.format,
      ride.rideIdJson,
    );
    outcome.predictions.push({
      key: ride.rideId,
      value,
      headers: {
        [Headers.contentType]: contentType,
        [Headers.modelVersion]: deps.scorer.version,
        [Headers.sourceTimestamp]: input.timestamp,
      },
    });
    outcome.recordTimestamps.push(Number(input.timestamp));
  });
  return outcome;
}

function decodeInput(input: InputMessage, maxBytes: number): TimedRide {
  const size = input.value?.length ?? 0;
  if (size > maxBytes) {
    throw new EventError(
      ErrorCodes.MESSAGE_TOO_LARGE,
      `message of ${size} bytes exceeds the ${maxBytes}-byte limit for a ride event`,
    );
  }
  const ride = decodeRide(input.value, headerString(input.headers, Headers.contentType));
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
