import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { ModelScorer } from '../../src/model/model-scorer.js';
import { nycLocalToEpochMs, nycTimeParts } from '../../src/model/nyc-time.js';
import { MODEL_DIR } from '../model-dir.js';

interface FixtureRow {
  case: string;
  pickup_datetime: string;
  PULocationID: number;
  DOLocationID: number;
  trip_distance: number;
  pickup_hour: number;
  pickup_dow: number;
  prediction: number;
}

const fixture: FixtureRow[] = JSON.parse(await readFile(join(MODEL_DIR, 'parity-fixture.json'), 'utf8'));
let scorer: ModelScorer;
beforeAll(async () => {
  scorer = await ModelScorer.load(MODEL_DIR);
});
afterAll(() => scorer.close());

describe('ModelScorer parity with the Python model', () => {
  it('scores the fixture within 1e-3 minutes of the Python predictions, in one batch', async () => {
    const scored = await scorer.scoreRows(fixture);
    expect(scored.length).toBe(fixture.length);
    const maxDiff = Math.max(...fixture.map((row, i) => Math.abs(scored[i]! - row.prediction)));
    expect(fixture.length).toBeGreaterThan(100);
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
  });

  it('derives the same hour and weekday from the pickup time as the Python pipeline', () => {
    // A wall time skipped by the spring-forward jump (02:xx on the DST day) does not exist in New York;
    // pandas keeps the naive hour while a real clock reads 03:xx, so those rows are compared separately below.
    const existing = fixture.filter((row) => !/^\d{4}-03-14T02:/.test(row.pickup_datetime));
    for (const row of existing) {
      const parts = nycTimeParts(nycLocalToEpochMs(row.pickup_datetime));
      expect({ at: row.pickup_datetime, ...parts }).toEqual({
        at: row.pickup_datetime,
        hour: row.pickup_hour,
        dow: row.pickup_dow,
      });
    }
    expect(existing.length).toBeGreaterThan(fixture.length - 10);
  });

  it('scores rides end to end (time parts derived) like the fixture', async () => {
    const rides = fixture
      .filter((row) => !/^\d{4}-03-14T02:/.test(row.pickup_datetime))
      .map((row) => ({
        row,
        ride: {
          puLocationId: row.PULocationID,
          doLocationId: row.DOLocationID,
          tripDistance: row.trip_distance,
          pickupMs: nycLocalToEpochMs(row.pickup_datetime),
        },
      }));
    const result = await scorer.score(rides.map((r) => r.ride));
    // The graph would score a 99,999-mile ride; the server refuses it as a distance no taxi drives.
    const refused = rides.filter((_, i) => result.errors[i] !== undefined).map(({ row }) => row.case);
    expect(refused).toEqual(['absurd_distance']);
    rides.forEach(({ row }, i) => {
      if (result.errors[i] === undefined)
        expect(Math.abs(result.durations[i]! - row.prediction)).toBeLessThanOrEqual(1e-3);
    });
  });

  it('exposes the model name and version from its metadata', async () => {
    // Read the file on its own, so a scorer that loaded other metadata (or none) cannot agree with itself.
    const onDisk = JSON.parse(await readFile(join(MODEL_DIR, 'metadata.json'), 'utf8'));
    expect(scorer.name).toBe('ride-duration');
    expect({ name: scorer.name, version: scorer.version }).toEqual({
      name: onDisk.name,
      version: onDisk.version,
    });
    expect(MODEL_DIR.endsWith(scorer.version)).toBe(true);
  });
});

describe('ModelScorer invalid rows', () => {
  const good = {
    puLocationId: 130,
    doLocationId: 205,
    tripDistance: 3.66,
    pickupMs: Date.UTC(2021, 1, 1, 12),
  };
  const cases = [
    { name: 'unknown pickup zone', ride: { ...good, puLocationId: 999 }, code: ErrorCodes.UNKNOWN_ZONE },
    { name: 'zone id zero', ride: { ...good, doLocationId: 0 }, code: ErrorCodes.UNKNOWN_ZONE },
    { name: 'fractional zone id', ride: { ...good, doLocationId: 1.5 }, code: ErrorCodes.UNKNOWN_ZONE },
    { name: 'negative distance', ride: { ...good, tripDistance: -1 }, code: ErrorCodes.INVALID_DISTANCE },
    { name: 'NaN distance', ride: { ...good, tripDistance: Number.NaN }, code: ErrorCodes.INVALID_DISTANCE },
    {
      name: 'infinite distance',
      ride: { ...good, tripDistance: Number.POSITIVE_INFINITY },
      code: ErrorCodes.INVALID_DISTANCE,
    },
    {
      name: 'missing distance',
      ride: { ...good, tripDistance: undefined as unknown as number },
      code: ErrorCodes.INVALID_DISTANCE,
    },
    { name: 'NaN time', ride: { ...good, pickupMs: Number.NaN }, code: ErrorCodes.INVALID_TIME },
    { name: 'time in 1970', ride: { ...good, pickupMs: 0 }, code: ErrorCodes.INVALID_TIME },
  ];

  it.each(cases)(
    'rejects $name with $code and still scores the valid rows of the batch',
    async ({ ride, code }) => {
      const result = await scorer.score([good, ride, good]);
      expect(result.invalidCount).toBe(1);
      expect(result.errors[1]?.code).toBe(code);
      expect(result.errors[0]).toBeUndefined();
      expect(Number.isNaN(result.durations[1]!)).toBe(true);
      expect(result.durations[0]).toBeGreaterThan(1);
      expect(result.durations[2]).toBe(result.durations[0]);
    },
  );

  it('scores zero distance and an empty batch', async () => {
    expect((await scorer.score([{ ...good, tripDistance: 0 }])).invalidCount).toBe(0);
    expect((await scorer.score([])).durations.length).toBe(0);
  });
});

describe('ModelScorer.load refuses a bad model folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const copyModel = async (name: string) => {
    const target = join(dir, name);
    await rm(target, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(target));
    await copyFile(join(MODEL_DIR, 'model.onnx'), join(target, 'model.onnx'));
    await copyFile(join(MODEL_DIR, 'metadata.json'), join(target, 'metadata.json'));
    return target;
  };

  it('names a missing folder', async () => {
    await expect(ModelScorer.load(join(dir, 'nope'))).rejects.toMatchObject({
      code: ErrorCodes.MODEL_NOT_FOUND,
    });
  });

  it('names a truncated model file by its checksum', async () => {
    const target = await copyModel('truncated');
    const bytes = await readFile(join(target, 'model.onnx'));
    await writeFile(join(target, 'model.onnx'), bytes.subarray(0, bytes.length / 2));
    await expect(ModelScorer.load(target)).rejects.toMatchObject({
      code: ErrorCodes.MODEL_CHECKSUM_MISMATCH,
    });
  });

  it('names an input the graph does not have', async () => {
    const target = await copyModel('signature');
    const meta = JSON.parse(await readFile(join(target, 'metadata.json'), 'utf8'));
    meta.inputs[2].type = 'float64';
    await writeFile(join(target, 'metadata.json'), JSON.stringify(meta));
    await expect(ModelScorer.load(target)).rejects.toMatchObject({
      code: ErrorCodes.MODEL_SIGNATURE_MISMATCH,
      message: expect.stringContaining('trip_distance'),
    });
  });

  it('names broken metadata', async () => {
    const target = await copyModel('metadata');
    await writeFile(join(target, 'metadata.json'), '{"name": "x"}');
    await expect(ModelScorer.load(target)).rejects.toMatchObject({ code: ErrorCodes.MODEL_METADATA_INVALID });
  });
});
