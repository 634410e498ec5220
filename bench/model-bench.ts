// npm run bench:model — ModelScorer (onnxruntime-node) against the Python model on seeded synthetic rides.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { syntheticRides } from '@ride/producer';
import { ModelScorer, type RideFeatures } from '@ride/shared/model';
import { MODEL_DIR, REPO_ROOT, runChecked } from '../harness/index.js';
import { MODELS_PYTHON, RESULTS_DIR, timestampName } from './lib/bench-paths.js';
import { loadAverage, machineFacts } from './lib/load-average.js';
import { fmtInt, fmtNum, markdownTable } from './lib/markdown-table.js';
import { type CallTiming, timeScorer } from './lib/model-timing.js';

const BATCH_SIZES = [1, 64, 1024] as const;
const ROWS = 10_000;
const SEED = 7;

type Column = Record<string, CallTiming>;

function rides(n: number): RideFeatures[] {
  const out: RideFeatures[] = [];
  for (const ride of syntheticRides({ seed: SEED, startMs: Date.UTC(2021, 1, 1) })) {
    if (out.length >= n) break;
    out.push({
      puLocationId: ride.PULocationID,
      doLocationId: ride.DOLocationID,
      tripDistance: ride.trip_distance,
      pickupMs: ride.pickup_datetime,
    });
  }
  return out;
}

async function pythonColumns(): Promise<Record<string, Column>> {
  await runChecked('bash', [join(REPO_ROOT, 'models', 'setup-venv.sh')], { cwd: REPO_ROOT });
  const script = join(REPO_ROOT, 'models', 'bench_model.py');
  const { stdout } = await runChecked(MODELS_PYTHON, [script, MODEL_DIR, '--rows', String(ROWS), '--onnx']);
  const report = JSON.parse(stdout) as Record<string, Column>;
  return { python: report.python!, onnxruntime_python: report.onnxruntime_python! };
}

function table(columns: Record<string, Column>): string {
  const names = Object.keys(columns);
  const rows = BATCH_SIZES.flatMap((batch) =>
    names.map((name) => {
      const t = columns[name]![String(batch)];
      return [batch, name, fmtInt(t?.rows_per_s), fmtNum(t?.p50_ms, 4), fmtNum(t?.p99_ms, 4)];
    }),
  );
  return markdownTable(['batch', 'scorer', 'rows/s', 'p50 ms/call', 'p99 ms/call'], rows);
}

async function main(): Promise<void> {
  const scorer = await ModelScorer.load(MODEL_DIR, { threads: 1 });
  const sample = rides(ROWS);
  const node: Column = {};
  for (const batch of BATCH_SIZES) node[String(batch)] = await timeScorer(scorer, sample, batch);
  await scorer.close();
  let python: Record<string, Column> = {};
  let pythonError: string | undefined;
  try {
    python = await pythonColumns();
  } catch (err) {
    pythonError = (err as Error).message;
  }
  const columns = { 'onnxruntime-node (ModelScorer)': node, ...python };
  const result = {
    kind: 'model-bench',
    at: new Date().toISOString(),
    load_average: loadAverage(),
    machine: machineFacts(),
    setup: { rows: ROWS, seed: SEED, threads: 1, model: `${scorer.name}@${scorer.version}` },
    columns,
    python_error: pythonError,
  };
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `model-${timestampName()}.json`);
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
  const notes = [
    `Model ${result.setup.model}, ${ROWS} seeded synthetic rides, one thread each; load average ${result.load_average}.`,
    'Node times ModelScorer.score (validation + NYC time parts + one ONNX run); Python times the LightGBM booster',
    '("python") and onnxruntime-python on model.onnx, as models/bench_model.py does.',
    pythonError === undefined ? '' : `Python columns missing: ${pythonError}`,
  ].filter(Boolean);
  process.stdout.write(`${table(columns)}\n\n${notes.join('\n')}\nJSON: ${file}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
