import {
  decodePrediction,
  ErrorCodes,
  EventError,
  encodeRideStarted,
  encodeRideStartedTagged,
  framedSchemaId,
  Headers,
  SchemaCatalog,
} from '@ride/shared';
import type { RideFeatures, ScoreResult } from '@ride/shared/model';
import { describe, expect, it } from 'vitest';
import { routesToCanary } from '../../../src/stream/canary/canary-bucket.js';
import type { InputMessage } from '../../../src/stream/core/input-message.js';
import { type BatchDeps, processBatch } from '../../../src/stream/core/process-batch.js';

const source = { topic: 'rides', partition: 3 };

/** A scorer that predicts distance × 3 and refuses zone 999, so the test controls every outcome. */
function fakeScorer(calls: RideFeatures[][] = []): BatchDeps['scorer'] {
  return {
    name: 'fake',
    version: '9.9.9',
    async score(rides: readonly RideFeatures[]): Promise<ScoreResult> {
      calls.push([...rides]);
      const errors = rides.map((r) =>
        r.puLocationId === 999 ? new EventError(ErrorCodes.UNKNOWN_ZONE, 'zone 999') : undefined,
      );
      const durations = Float64Array.from(rides, (r, i) => (errors[i] ? Number.NaN : r.tripDistance * 3));
      return { durations, errors, invalidCount: errors.filter(Boolean).length };
    },
  };
}

const rideOf = (id: string, pu: number) => ({
  ride_id: id,
  pickup_datetime: 1_612_180_800_000,
  PULocationID: pu,
  DOLocationID: 2,
  trip_distance: 2,
  vendor_id: null,
  passenger_count: null,
});

/** A ride event in the Confluent wire format with no content-type header (and an unrelated header of the caller's). */
function avroRide(id: string, pu: number, offset: number): InputMessage {
  return {
    offset: String(offset),
    timestamp: String(1_612_180_800_000 + offset),
    key: Buffer.from(id),
    value: encodeRideStarted(rideOf(id, pu)),
    headers: { 'trace-id': 'abc' },
  };
}

const catalog = SchemaCatalog.fixed();
/** A framed prediction re-stamped with the fixed prediction id, so the default catalog reads it. */
const withFixedId = (value: Buffer) =>
  Buffer.concat([value.subarray(0, 1), Buffer.from([0, 0, 0x04, 0xb1]), value.subarray(5)]);
const deps = (scorer = fakeScorer()): BatchDeps => ({
  scorer,
  format: 'avro',
  wire: 'confluent',
  catalog,
  schemaIds: { predictions: 4242, shadow: 4343 },
  maxMessageBytes: 1024,
  now: () => 1_700_000_000_000,
});

describe('processBatch', () => {
  it('turns every input into exactly one prediction or one dead letter, scoring valid rides in one call', async () => {
    const calls: RideFeatures[][] = [];
    const inputs: InputMessage[] = [
      avroRide('a', 1, 10),
      { offset: '11', timestamp: '1', key: null, value: Buffer.from([1, 2, 3]), headers: {} },
      avroRide('b', 999, 12),
      {
        offset: '13',
        timestamp: '1612180800000',
        key: Buffer.from('256'),
        value: Buffer.from(
          '{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66},"ride_id":256}',
        ),
      },
      { offset: '14', timestamp: '1', key: null, value: Buffer.alloc(2048, 1), headers: {} },
    ];
    const out = await processBatch(inputs, source, deps(fakeScorer(calls)));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((r) => r.puLocationId)).toEqual([1, 999, 130]);
    expect(out.predictions.map((m) => m.key)).toEqual(['a', '256']);
    expect(out.deadLetters.map((m) => m.headers![Headers.sourceOffset])).toEqual(['11', '14', '12']);
    expect(Object.fromEntries(out.reasons)).toEqual({
      [ErrorCodes.DECODE_FAILED]: 1,
      [ErrorCodes.MESSAGE_TOO_LARGE]: 1,
      [ErrorCodes.UNKNOWN_ZONE]: 1,
    });
  });

  it('stamps predictions with model name and version, event time and scoring time, and no headers', async () => {
    const out = await processBatch([avroRide('a', 1, 7)], source, deps());
    const message = out.predictions[0]!;
    expect(message.headers).toBeUndefined();
    // The input record's timestamp (Kafka Streams' convention): end-to-end latency needs no header.
    expect(message.timestamp).toBe(String(1_612_180_800_007));
    const value = message.value as Buffer;
    expect(framedSchemaId(value)).toBe(4242);
    const p = decodePrediction(withFixedId(value));
    expect(p).toEqual({
      ride_id: 'a',
      ride_duration: 6,
      model: 'fake',
      version: '9.9.9',
      event_time: 1_612_180_800_000,
      scored_at: 1_700_000_000_000,
    });
  });

  it('writes the earlier tagged contract when asked (WIRE_FORMAT=tagged): bare Avro named by its headers', async () => {
    const out = await processBatch([avroRide('a', 1, 7)], source, { ...deps(), wire: 'tagged' });
    const message = out.predictions[0]!;
    expect(message.timestamp).toBeUndefined();
    expect(message.headers).toEqual({
      [Headers.contentType]: 'application/vnd.nyc-taxi.ride-prediction.v1+avro',
      [Headers.modelVersion]: '9.9.9',
      [Headers.sourceTimestamp]: String(1_612_180_800_007),
    });
    const contentType = message.headers![Headers.contentType] as string;
    expect(decodePrediction(message.value as Buffer, contentType)).toMatchObject({
      ride_id: 'a',
      version: '9.9.9',
    });
  });

  it('still reads the earlier tagged Avro events and dead-letters a schema id it cannot resolve', async () => {
    const tagged = encodeRideStartedTagged(rideOf('t', 1));
    const inputs: InputMessage[] = [
      {
        offset: '1',
        timestamp: '1',
        key: null,
        value: tagged.value,
        headers: { [Headers.contentType]: tagged.contentType },
      },
      { offset: '2', timestamp: '1', key: null, value: encodeRideStarted(rideOf('u', 1), 31337) },
    ];
    const out = await processBatch(inputs, source, deps());
    expect(out.predictions.map((m) => m.key)).toEqual(['t']);
    expect(out.deadLetters[0]!.headers![Headers.errorCode]).toBe(ErrorCodes.UNKNOWN_SCHEMA);
    expect(String(out.deadLetters[0]!.headers![Headers.errorMessage])).toContain('31337');
  });

  it('fails the whole batch, refusing none of it, when a writer schema cannot be looked up', async () => {
    const unreachable = {
      learn: async () => {
        throw new Error('registry unreachable');
      },
    } as unknown as SchemaCatalog;
    await expect(
      processBatch([avroRide('a', 1, 0)], source, { ...deps(), catalog: unreachable }),
    ).rejects.toThrow('registry unreachable');
  });

  it('keeps the original bytes, key and headers in a dead letter and adds the reason and source', async () => {
    const input = avroRide('b', 999, 42);
    const [letter] = (await processBatch([input], source, deps())).deadLetters;
    expect(letter!.value).toBe(input.value);
    expect(letter!.key).toBe(input.key);
    expect(letter!.headers).toMatchObject({
      'trace-id': 'abc',
      [Headers.errorCode]: ErrorCodes.UNKNOWN_ZONE,
      [Headers.errorMessage]: 'zone 999',
      [Headers.sourceTopic]: 'rides',
      [Headers.sourcePartition]: '3',
      [Headers.sourceOffset]: '42',
      [Headers.failedAt]: new Date(1_700_000_000_000).toISOString(),
    });
  });

  it('uses the record timestamp as pickup time when a JSON event has none, and answers in the course JSON shape', async () => {
    const calls: RideFeatures[][] = [];
    const input: InputMessage = {
      offset: '1',
      timestamp: '1612180800123',
      key: null,
      value: Buffer.from(
        '{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66},"ride_id":256}',
      ),
    };
    const out = await processBatch([input], source, { ...deps(fakeScorer(calls)), format: 'json' });
    expect(calls[0]![0]!.pickupMs).toBe(1612180800123);
    expect(out.predictions[0]!.headers).toBeUndefined();
    expect(out.predictions[0]!.timestamp).toBe('1612180800123');
    expect(JSON.parse(String(out.predictions[0]!.value))).toMatchObject({
      model: 'fake',
      version: '9.9.9',
      prediction: { ride_id: 256 },
    });
  });

  it('dead-letters the whole batch with SCORING_FAILED when the model run throws', async () => {
    const broken: BatchDeps['scorer'] = {
      name: 'x',
      version: '1',
      score: () => Promise.reject(new Error('onnx exploded')),
    };
    const out = await processBatch([avroRide('a', 1, 0), avroRide('b', 2, 1)], source, deps(broken));
    expect(out.predictions).toHaveLength(0);
    expect(out.deadLetters.map((m) => m.headers![Headers.errorCode])).toEqual([
      ErrorCodes.SCORING_FAILED,
      ErrorCodes.SCORING_FAILED,
    ]);
  });

  describe('JSON ride ids', () => {
    /** The course's JSON event with its ride id written as this JSON text, byte for byte. */
    const jsonRide = (rideIdText: string, offset: number): InputMessage => ({
      offset: String(offset),
      timestamp: '1612180800000',
      key: null,
      value: Buffer.from(
        `{"ride":{"PULocationID":130,"DOLocationID":205,"trip_distance":3.66},"ride_id":${rideIdText}}`,
      ),
    });
    const exact = [
      '9007199254740991', // 2^53 - 1
      '9007199254740992', // 2^53
      '9007199254740993', // 2^53 + 1, which JSON.parse reads as 2^53
      '123456789012345678901234567890',
      '0',
      '-1',
    ];

    it.each(['json', 'avro'] as const)(
      'answers integer ids of any size under the same digits (%s predictions)',
      async (format) => {
        const out = await processBatch(
          exact.map((id, i) => jsonRide(id, i)),
          source,
          { ...deps(), format },
        );
        expect(out.deadLetters).toEqual([]);
        expect(out.predictions.map((m) => m.key)).toEqual(exact);
        const decoded = out.predictions.map((m) =>
          decodePrediction(format === 'avro' ? withFixedId(m.value as Buffer) : (m.value as Buffer)),
        );
        expect(decoded.map((p) => p.ride_id)).toEqual(exact);
        if (format === 'json') {
          // The course's prediction echoes a number id as a JSON number with the same digits.
          out.predictions.forEach((m, i) => {
            expect(String(m.value)).toContain(`"ride_id":${exact[i]}}`);
          });
        }
      },
    );

    it('echoes a string id as a string, digits or not', async () => {
      const ids = ['"9007199254740993"', '"r-256"'];
      const out = await processBatch(
        ids.map((id, i) => jsonRide(id, i)),
        source,
        { ...deps(), format: 'json' },
      );
      expect(out.predictions.map((m) => m.key)).toEqual(ids.map((id) => JSON.parse(id)));
      expect(out.predictions.map((m) => JSON.parse(String(m.value)).prediction.ride_id)).toEqual(
        ids.map((id) => JSON.parse(id)),
      );
    });

    it('dead-letters a number id with a fraction or an exponent with RIDE_INVALID_RIDE_ID, never rounding it', async () => {
      const calls: RideFeatures[][] = [];
      const bad = ['256.5', '1e3', '-0.5', '9007199254740993.0'];
      const inputs = [...bad.map((id, i) => jsonRide(id, i)), jsonRide('256', bad.length)];
      const out = await processBatch(inputs, source, deps(fakeScorer(calls)));
      expect(out.predictions.map((m) => m.key)).toEqual(['256']);
      expect(calls[0]).toHaveLength(1);
      expect(out.deadLetters.map((m) => m.value)).toEqual(bad.map((_, i) => inputs[i]!.value));
      for (const [i, letter] of out.deadLetters.entries()) {
        expect(letter.headers![Headers.errorCode]).toBe(ErrorCodes.INVALID_RIDE_ID);
        expect(letter.headers![Headers.errorMessage]).toContain(bad[i]);
      }
      expect(Object.fromEntries(out.reasons)).toEqual({ [ErrorCodes.INVALID_RIDE_ID]: bad.length });
    });
  });

  describe('shadow scoring', () => {
    /** A second model: distance × 4, refusing zone 7, or failing outright. */
    const shadowScorer = (fail = false, calls: RideFeatures[][] = []): BatchDeps['scorer'] => ({
      name: 'shadow',
      version: '2.0.0',
      async score(rides: readonly RideFeatures[]): Promise<ScoreResult> {
        calls.push([...rides]);
        if (fail) throw new Error('shadow model broke');
        const errors = rides.map((r) =>
          r.puLocationId === 7 ? new EventError(ErrorCodes.UNKNOWN_ZONE, 'zone 7') : undefined,
        );
        const durations = Float64Array.from(rides, (r, i) => (errors[i] ? Number.NaN : r.tripDistance * 4));
        return { durations, errors, invalidCount: errors.filter(Boolean).length };
      },
    });

    it('scores what the primary scored in one run, stamps its own version and reports the differences', async () => {
      const calls: RideFeatures[][] = [];
      const inputs = [avroRide('a', 1, 10), avroRide('b', 999, 11), avroRide('c', 7, 12)];
      const out = await processBatch(inputs, source, { ...deps(), shadow: shadowScorer(false, calls) });
      expect(out.predictions.map((m) => m.key)).toEqual(['a', 'c']);
      // The dead-lettered ride is not shadow-scored; the ride the shadow refuses counts as failed, nothing more.
      expect(calls.map((c) => c.map((r) => r.puLocationId))).toEqual([[1, 7]]);
      expect(out.shadow!.predictions.map((m) => m.key)).toEqual(['a']);
      const message = out.shadow!.predictions[0]!;
      expect(framedSchemaId(message.value as Buffer)).toBe(4343);
      const shadowed = decodePrediction(withFixedId(message.value as Buffer));
      expect(shadowed).toMatchObject({ ride_id: 'a', ride_duration: 8, model: 'shadow', version: '2.0.0' });
      expect(message.headers).toBeUndefined();
      expect(message.timestamp).toBe(String(1_612_180_800_010));
      expect(out.shadow!.absDiffs).toEqual([2]);
      expect(out.shadow!.failed).toBe(1);
    });

    it('leaves the primary outcome whole when the shadow model fails', async () => {
      const inputs = [avroRide('a', 1, 10), avroRide('b', 2, 11)];
      const alone = await processBatch(inputs, source, deps());
      const out = await processBatch(inputs, source, { ...deps(), shadow: shadowScorer(true) });
      expect(out.predictions).toEqual(alone.predictions);
      expect(out.deadLetters).toEqual([]);
      expect(out.shadow).toMatchObject({ predictions: [], absDiffs: [], failed: 2 });
    });
  });

  describe('canary split', () => {
    /** The candidate: distance × 5, refusing zones 7 and 999, or failing outright. */
    const candidate = (fail = false, calls: RideFeatures[][] = []): BatchDeps['scorer'] => ({
      name: 'fake',
      version: '0.1.0',
      async score(rides: readonly RideFeatures[]): Promise<ScoreResult> {
        calls.push([...rides]);
        if (fail) throw new Error('candidate broke');
        const errors = rides.map((r) =>
          [7, 999].includes(r.puLocationId) ? new EventError(ErrorCodes.UNKNOWN_ZONE, 'refused') : undefined,
        );
        const durations = Float64Array.from(rides, (r, i) => (errors[i] ? Number.NaN : r.tripDistance * 5));
        return { durations, errors, invalidCount: errors.filter(Boolean).length };
      },
    });
    const share = 0.5;
    const ids = Array.from({ length: 40 }, (_, i) => `ride-${i}`);
    const mine = ids.filter((id) => routesToCanary(id, share));
    const theirs = ids.filter((id) => !routesToCanary(id, share));
    const stamp = (out: Awaited<ReturnType<typeof processBatch>>) =>
      Object.fromEntries(
        out.predictions.map((m) => {
          const p = decodePrediction(withFixedId(m.value as Buffer));
          return [p.ride_id, `${p.version}:${p.ride_duration}`];
        }),
      );

    it("answers the share's rides with the candidate, stamped with its version, the rest with the champion", async () => {
      const calls: RideFeatures[][] = [];
      const inputs = ids.map((id, i) => avroRide(id, 1, i));
      const out = await processBatch(inputs, source, {
        ...deps(),
        canary: { scorer: candidate(false, calls), share },
      });
      expect(mine.length).toBeGreaterThan(5);
      expect(theirs.length).toBeGreaterThan(5);
      const byRide = stamp(out);
      for (const id of mine) expect(byRide[id]).toBe('0.1.0:10');
      for (const id of theirs) expect(byRide[id]).toBe('9.9.9:6');
      expect(calls).toHaveLength(1);
      expect(out.canary).toEqual({ version: '0.1.0', answered: mine.length, failed: 0 });
      expect([...out.answeredBy].map(([v, rides]) => [v, rides.length]).sort()).toEqual([
        ['0.1.0', mine.length],
        ['9.9.9', theirs.length],
      ]);
    });

    it('gives the champion what the candidate refuses or fails on, counting only rides the champion answers', async () => {
      const refused = mine[0]!;
      const bad = mine[1]!;
      const inputs = ids.map((id, i) => avroRide(id, id === refused ? 7 : id === bad ? 999 : 1, i));
      const out = await processBatch(inputs, source, { ...deps(), canary: { scorer: candidate(), share } });
      expect(stamp(out)[refused]).toBe('9.9.9:6');
      expect(out.deadLetters).toHaveLength(1);
      expect(out.predictions).toHaveLength(ids.length - 1);
      expect(out.canary).toEqual({ version: '0.1.0', answered: mine.length - 2, failed: 1 });

      const broken = await processBatch(inputs, source, {
        ...deps(),
        canary: { scorer: candidate(true), share },
      });
      expect(Object.values(stamp(broken)).every((v) => v === '9.9.9:6')).toBe(true);
      expect(broken.predictions).toHaveLength(ids.length - 1);
      expect(broken.canary).toEqual({ version: '0.1.0', answered: 0, failed: mine.length - 1 });
    });
  });
});
