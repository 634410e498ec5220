import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelScorer } from '../../src/model/model-scorer.js';
import { validateModel } from '../../src/model/validate-model.js';

interface FixtureRow {
  case: string;
  PULocationID: number;
  DOLocationID: number;
  trip_distance: number;
  pickup_hour: number;
  pickup_dow: number;
  prediction: number;
}

// The course's linear baseline exported by `models/train.py --baseline --version 0.1.0`; its fixture holds the
// scikit-learn predictions (clipped to 1..60) the export printed for 520 synthetic rides.
const ROOT = fileURLToPath(new URL('../../../models/ride-duration/', import.meta.url));
const DIR = join(ROOT, '0.1.0');
const fixture: FixtureRow[] = JSON.parse(await readFile(join(DIR, 'parity-fixture.json'), 'utf8'));
let baseline: ModelScorer;
let lightgbm: ModelScorer;
beforeAll(async () => {
  baseline = await ModelScorer.load(DIR);
  lightgbm = await ModelScorer.load(join(ROOT, '1.0.0'));
});
afterAll(async () => {
  await baseline.close();
  await lightgbm.close();
});

describe('ride-duration 0.1.0, the linear baseline, served by ModelScorer', () => {
  it('loads under the same name and contract as 1.0.0, as version 0.1.0', () => {
    expect({ name: baseline.name, version: baseline.version }).toEqual({
      name: 'ride-duration',
      version: '0.1.0',
    });
    expect(baseline.metadata.inputs).toEqual(lightgbm.metadata.inputs);
    expect(baseline.metadata.outputs).toEqual(lightgbm.metadata.outputs);
  });

  it('reproduces the scikit-learn predictions of its fixture within 1e-3 minutes', async () => {
    const scored = await baseline.scoreRows(fixture);
    const worst = Math.max(...fixture.map((row, i) => Math.abs(scored[i]! - row.prediction)));
    expect(fixture.length).toBeGreaterThan(500);
    expect(worst).toBeLessThanOrEqual(1e-3);
  });

  it('is a different model from 1.0.0 on the same rides', async () => {
    const [ours, theirs] = [await baseline.scoreRows(fixture), await lightgbm.scoreRows(fixture)];
    const differing = fixture.filter((_, i) => Math.abs(ours[i]! - theirs[i]!) > 0.5).length;
    expect(differing).toBeGreaterThan(fixture.length / 2);
  });

  it('ignores the pickup hour and weekday, as a model of PU_DO and distance must', async () => {
    const row = fixture.find((r) => r.case === 'midnight_monday')!;
    const scored = await baseline.scoreRows([row, { ...row, pickup_hour: 17, pickup_dow: 5 }]);
    expect(scored[1]).toBe(scored[0]);
  });

  it('clips to 1..60 minutes like 1.0.0 and passes the swap validation', async () => {
    const scored = await baseline.scoreRows(fixture);
    expect(Math.min(...scored)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...scored)).toBeLessThanOrEqual(60);
    await expect(validateModel(baseline, 'ride-duration')).resolves.toBeUndefined();
  });
});
