import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, ModelError } from '../errors.js';
import type { ModelRow, ModelScorer } from './model-scorer.js';
import { nycLocalToEpochMs } from './nyc-time.js';

interface FixtureRow extends ModelRow {
  prediction: number;
}

// The exporter's parity tolerance (models/pipeline/parity.py): float32 graph inputs, float64 reference.
const PARITY_TOLERANCE_MIN = 1e-3;
const CANARY = {
  puLocationId: 74,
  doLocationId: 75,
  tripDistance: 2,
  pickupMs: nycLocalToEpochMs('2021-02-01T08:15:00'),
};

/**
 * Checks a freshly loaded model before it may replace the one serving (ModelScorer.load already checked the
 * file's sha256 and the graph's signature): it must be the same model name, answer a canary ride within its
 * clip range, and reproduce its own parity fixture when it ships one.
 */
export async function validateModel(candidate: ModelScorer, expectedName: string): Promise<void> {
  const fail = (problem: string, details: Record<string, unknown> = {}) =>
    new ModelError(ErrorCodes.MODEL_VALIDATION_FAILED, `model ${candidate.dir} refused: ${problem}`, {
      details: { version: candidate.version, ...details },
    });
  if (candidate.name !== expectedName) {
    throw fail(
      `it is "${candidate.name}", not "${expectedName}": point the alias at a ${expectedName} version`,
    );
  }
  const [low, high] = clipRange(candidate);
  const canary = (await candidate.score([CANARY])).durations[0]!;
  if (!(canary >= low && canary <= high)) {
    throw fail(`the canary ride scored ${canary}, outside [${low}, ${high}] minutes`, { canary });
  }
  const fixture = await readFixture(candidate.dir);
  if (fixture.length === 0) return;
  // Rows with the exporter's own hour and weekday: the fixture also probes inputs the server would refuse.
  const durations = await candidate.scoreRows(fixture);
  const worst = fixture.reduce((max, r, i) => Math.max(max, Math.abs(durations[i]! - r.prediction)), 0);
  if (!(worst <= PARITY_TOLERANCE_MIN)) {
    throw fail(`it misses its parity fixture by up to ${worst} minutes (tolerance ${PARITY_TOLERANCE_MIN})`, {
      worst,
    });
  }
}

function clipRange(scorer: ModelScorer): [number, number] {
  const target = scorer.metadata.target as { prediction_clipped_to?: [number, number] } | undefined;
  return target?.prediction_clipped_to ?? [0, Number.POSITIVE_INFINITY];
}

async function readFixture(dir: string): Promise<FixtureRow[]> {
  try {
    return JSON.parse(await readFile(join(dir, 'parity-fixture.json'), 'utf8')) as FixtureRow[];
  } catch {
    return [];
  }
}
