import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, nycLocalToEpochMs } from '@ride/shared';
import { createModelSource, ModelScorer } from '@ride/shared/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MlflowServer, startMlflowServer } from '../../harness/index.js';
import { copyModel, MODEL_100 } from '../support/model-versions.js';

let mlflow: MlflowServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ride-registry-'));
  mlflow = await startMlflowServer();
  const next = await copyModel(root, '1.0.1');
  const registered = await mlflow.register([MODEL_100, next.dir], 'champion');
  expect(registered.map((r) => [r.version, r.model_version, r.alias])).toEqual([
    ['1', '1.0.0', null],
    ['2', '1.0.1', 'champion'],
  ]);
}, 600_000);

afterAll(async () => {
  await mlflow?.stop();
  await rm(root, { recursive: true, force: true });
});

const source = (location: string, cache = 'cache') =>
  createModelSource(location, { cacheDir: join(root, cache), mlflowTrackingUri: mlflow.url });

const RIDES = [
  {
    puLocationId: 10,
    doLocationId: 50,
    tripDistance: 40,
    pickupMs: nycLocalToEpochMs('2021-02-01T08:15:00'),
  },
  {
    puLocationId: 74,
    doLocationId: 75,
    tripDistance: 2.1,
    pickupMs: nycLocalToEpochMs('2021-02-06T23:59:00'),
  },
];

async function predictions(dir: string): Promise<{ version: string; durations: number[] }> {
  const scorer = await ModelScorer.load(dir);
  try {
    return { version: scorer.version, durations: [...(await scorer.score(RIDES)).durations] };
  } finally {
    await scorer.close();
  }
}

describe('models:/ locations against a real MLflow server', () => {
  it('fetches the version an alias points at, byte for byte, and it scores like the local folder', async () => {
    const model = await source('models:/ride-duration@champion').resolve();
    expect(model.key).toBe('models:/ride-duration/2');
    expect(await readFile(join(model.dir, 'model.onnx'))).toEqual(
      await readFile(join(MODEL_100, 'model.onnx')),
    );
    const local = await predictions(MODEL_100);
    expect(await predictions(model.dir)).toEqual({ version: '1.0.1', durations: local.durations });
  });

  it('fetches a version by number', async () => {
    const model = await source('models:/ride-duration/1').resolve();
    expect(model.key).toBe('models:/ride-duration/1');
    expect((await predictions(model.dir)).version).toBe('1.0.0');
  });

  it('serves a cached version from the cache folder and follows the alias when it moves', async () => {
    const champion = source('models:/ride-duration@champion', 'cache-moves');
    const first = await champion.resolve();
    expect((await champion.resolve()).dir).toBe(first.dir);
    await mlflow.setAlias('ride-duration', 'champion', '1');
    try {
      const moved = await champion.resolve();
      expect(moved.key).toBe('models:/ride-duration/1');
      expect(moved.dir).not.toBe(first.dir);
    } finally {
      await mlflow.setAlias('ride-duration', 'champion', '2');
    }
  });

  it.each([
    ['an unknown alias', 'models:/ride-duration@nope'],
    ['an unknown version', 'models:/ride-duration/99'],
    ['an unknown model', 'models:/no-such-model@champion'],
  ])('refuses %s with RIDE_MODEL_NOT_FOUND', async (_what, location) => {
    await expect(source(location).resolve()).rejects.toMatchObject({ code: ErrorCodes.MODEL_NOT_FOUND });
  });
});
