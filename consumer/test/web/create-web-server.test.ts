import { fileURLToPath } from 'node:url';
import { createLogger, ErrorCodes, nycLocalToEpochMs } from '@ride/shared';
import { ModelScorer } from '@ride/shared/model';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebServer } from '../../src/web/create-web-server.js';
import { WebMetrics } from '../../src/web/web-metrics.js';

const MODEL_DIR = fileURLToPath(new URL('../../../models/ride-duration/1.0.0', import.meta.url));
const NOW = nycLocalToEpochMs('2021-02-01T08:15:00');
const COURSE_RIDE = { PULocationID: 10, DOLocationID: 50, trip_distance: 40 };

let scorer: ModelScorer;
let app: FastifyInstance;
const metrics = new WebMetrics();

beforeAll(async () => {
  scorer = await ModelScorer.load(MODEL_DIR);
  app = createWebServer({
    scorer: () => scorer,
    maxBatch: 100,
    bodyLimit: 64 * 1024,
    logger: createLogger({ level: 'silent' }),
    metrics,
    now: () => NOW,
  });
});
afterAll(async () => {
  await app.close();
  await scorer.close();
});

const predict = (payload: unknown, contentType = 'application/json') =>
  app.inject({
    method: 'POST',
    url: '/predict',
    headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

/** The course's ride as request text, its ride_id written as this JSON text (so no double ever holds it). */
const rawRide = (rideIdText: string) =>
  `{"PULocationID": 10, "DOLocationID": 50, "trip_distance": 40, "ride_id": ${rideIdText}}`;

async function expected(rides: { pu: number; do: number; d: number; at: number }[]): Promise<number[]> {
  const { durations } = await scorer.score(
    rides.map((r) => ({ puLocationId: r.pu, doLocationId: r.do, tripDistance: r.d, pickupMs: r.at })),
  );
  return [...durations];
}

describe('POST /predict', () => {
  it("answers the course's request with the model's duration and version, pickup defaulting to now", async () => {
    const res = await predict(COURSE_RIDE);
    expect(res.statusCode).toBe(200);
    const [want] = await expected([{ pu: 10, do: 50, d: 40, at: NOW }]);
    expect(res.json()).toEqual({ duration: want, model_version: '1.0.0' });
  });

  it('reads pickup_datetime as New York local time, an ISO instant or epoch ms alike', async () => {
    const at = nycLocalToEpochMs('2021-07-04T23:30:00');
    const forms = [
      '2021-07-04T23:30:00',
      '2021-07-04 23:30:00',
      new Date(at).toISOString(),
      '2021-07-04T23:30:00-04:00',
      at,
    ];
    const durations = await Promise.all(
      forms.map(
        async (pickup_datetime) => (await predict({ ...COURSE_RIDE, pickup_datetime })).json().duration,
      ),
    );
    const [want] = await expected([{ pu: 10, do: 50, d: 40, at }]);
    expect(durations).toEqual(forms.map(() => want));
  });

  it('answers an array with an array in the same order, one prediction per ride', async () => {
    const rides = [
      { PULocationID: 74, DOLocationID: 75, trip_distance: 2, pickup_datetime: '2021-02-01T08:15:00' },
      { ...COURSE_RIDE, pickup_datetime: '2021-02-06T22:00:00' },
      { PULocationID: 1, DOLocationID: 265, trip_distance: 0 },
    ];
    const res = await predict(rides);
    expect(res.statusCode).toBe(200);
    const want = await expected([
      { pu: 74, do: 75, d: 2, at: nycLocalToEpochMs('2021-02-01T08:15:00') },
      { pu: 10, do: 50, d: 40, at: nycLocalToEpochMs('2021-02-06T22:00:00') },
      { pu: 1, do: 265, d: 0, at: NOW },
    ]);
    expect(res.json()).toEqual(want.map((duration) => ({ duration, model_version: '1.0.0' })));
  });

  it.each([
    ['malformed JSON', '{"PULocationID": 1,', 'application/json', 400, ErrorCodes.REQUEST_INVALID],
    ['not JSON', 'PULocationID=1', 'text/plain', 415, ErrorCodes.UNSUPPORTED_CONTENT_TYPE],
    ['a JSON string', '"ride"', 'application/json', 400, ErrorCodes.REQUEST_INVALID],
    ['missing fields', { PULocationID: 10 }, 'application/json', 400, ErrorCodes.REQUEST_INVALID],
    [
      'zone as text',
      { ...COURSE_RIDE, PULocationID: '10' },
      'application/json',
      400,
      ErrorCodes.REQUEST_INVALID,
    ],
    [
      'fractional zone',
      { ...COURSE_RIDE, DOLocationID: 5.5 },
      'application/json',
      400,
      ErrorCodes.REQUEST_INVALID,
    ],
    ['unknown zone', { ...COURSE_RIDE, PULocationID: 999 }, 'application/json', 400, ErrorCodes.UNKNOWN_ZONE],
    [
      'negative distance',
      { ...COURSE_RIDE, trip_distance: -1 },
      'application/json',
      400,
      ErrorCodes.INVALID_DISTANCE,
    ],
    [
      'unparseable time',
      { ...COURSE_RIDE, pickup_datetime: 'tuesday' },
      'application/json',
      400,
      ErrorCodes.REQUEST_INVALID,
    ],
    [
      'time out of range',
      { ...COURSE_RIDE, pickup_datetime: 0 },
      'application/json',
      400,
      ErrorCodes.INVALID_TIME,
    ],
    [
      'fractional ride id',
      { ...COURSE_RIDE, ride_id: 256.5 },
      'application/json',
      400,
      ErrorCodes.INVALID_RIDE_ID,
    ],
    ['ride id with an exponent', rawRide('1e3'), 'application/json', 400, ErrorCodes.INVALID_RIDE_ID],
    ['ride id true', { ...COURSE_RIDE, ride_id: true }, 'application/json', 400, ErrorCodes.INVALID_RIDE_ID],
    ['empty array', [], 'application/json', 400, ErrorCodes.REQUEST_INVALID],
    ['too many rides', Array(101).fill(COURSE_RIDE), 'application/json', 400, ErrorCodes.REQUEST_INVALID],
    [
      'too large a body',
      Array(2000).fill(COURSE_RIDE),
      'application/json',
      413,
      ErrorCodes.MESSAGE_TOO_LARGE,
    ],
  ])('refuses %s with %i and a stable code', async (_what, payload, contentType, status, code) => {
    const res = await predict(payload, contentType);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(res.json().error.message).toEqual(expect.any(String));
  });

  it.each([
    '9007199254740991', // 2^53 - 1
    '9007199254740992', // 2^53
    '9007199254740993', // 2^53 + 1, which JSON.parse reads as 2^53
    '123456789012345678901234567890',
    '0',
    '-1',
    '"9007199254740993"',
    '"r-256"',
  ])('echoes ride_id %s exactly as it came', async (id) => {
    const res = await predict(rawRide(id));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toContain(`"ride_id":${id}}`);
    const [want] = await expected([{ pu: 10, do: 50, d: 40, at: NOW }]);
    expect(res.json()).toEqual({ duration: want, model_version: '1.0.0', ride_id: JSON.parse(id) });
  });

  it('echoes each ride id of a batch in order, leaving it out where none came (a byte-order mark is skipped)', async () => {
    const ids = ['9007199254740993', undefined, '"b"', '123456789012345678901234567890'];
    const body = `\ufeff[${ids.map((id) => (id === undefined ? JSON.stringify(COURSE_RIDE) : rawRide(id))).join(',')}]`;
    const res = await predict(body);
    expect(res.statusCode).toBe(200);
    const [want] = await expected([{ pu: 10, do: 50, d: 40, at: NOW }]);
    const answer = (id: string | undefined) =>
      `{"duration":${JSON.stringify(want)},"model_version":"1.0.0"${id === undefined ? '' : `,"ride_id":${id}`}}`;
    expect(res.body).toBe(`[${ids.map(answer).join(',')}]`);
  });

  it('refuses a batch with a non-integer ride id by index and code, beside the model refusals', async () => {
    const res = await predict(
      `[${rawRide('1')}, ${rawRide('256.5')}, {"PULocationID": 999, "DOLocationID": 50, "trip_distance": 4, "ride_id": 7}, ${rawRide('-0.5')}]`,
    );
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe(ErrorCodes.INVALID_RIDE_ID);
    expect(error.problems).toEqual([
      { index: 1, code: ErrorCodes.INVALID_RIDE_ID, message: expect.stringContaining('[1].ride_id') },
      { index: 2, code: ErrorCodes.UNKNOWN_ZONE, message: expect.any(String) },
      { index: 3, code: ErrorCodes.INVALID_RIDE_ID, message: expect.stringContaining('got -0.5') },
    ]);
  });

  it('lists every problem of a batch, naming the row and field', async () => {
    const res = await predict([COURSE_RIDE, { PULocationID: 'x', DOLocationID: 1 }, 7]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems).toEqual([
      '[1].PULocationID must be an integer zone id, got "x"',
      '[1].trip_distance must be a number of miles, got nothing',
      '[2] must be an object with PULocationID, DOLocationID, trip_distance',
    ]);
  });

  it("lists the model's refusals of a batch by index and code, scoring nothing", async () => {
    const res = await predict([
      COURSE_RIDE,
      { ...COURSE_RIDE, DOLocationID: 0 },
      { ...COURSE_RIDE, trip_distance: 1e9 },
    ]);
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe(ErrorCodes.UNKNOWN_ZONE);
    expect(error.problems.map((p: { index: number; code: string }) => [p.index, p.code])).toEqual([
      [1, ErrorCodes.UNKNOWN_ZONE],
      [2, ErrorCodes.INVALID_DISTANCE],
    ]);
  });
});

describe('the rest of the service', () => {
  it('reports the model on /healthz and counts requests on /metrics', async () => {
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.json()).toEqual({ status: 'ok', model: { name: 'ride-duration', version: '1.0.0' } });
    const text = await (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(/ride_web_requests_total\{status="200"\} \d+/);
    expect(text).toMatch(/ride_web_predictions_total\{model_version="1.0.0"\} \d+/);
  });

  it('answers unknown routes with 404 and a code', async () => {
    const res = await app.inject({ method: 'GET', url: '/predict' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe(ErrorCodes.REQUEST_INVALID);
  });
});
