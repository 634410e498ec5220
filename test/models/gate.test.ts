import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelSource } from '@ride/shared/model';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runToExit, tail } from '../../harness/index.js';

// models/gate.sh for real: the training venv (made by models/setup-venv.sh when missing), the TLC month copied by
// scripts/fetch-data.sh, onnxruntime-python on the committed model folders, on a temporary copy of
// models/ride-duration so CURRENT in the repo never moves.
const MODELS = join(REPO_ROOT, 'models/ride-duration');
let scratch: string;
let root: string;

interface GateReport {
  decision: 'promoted' | 'refused';
  margin_minutes: number;
  candidate: { version: string; rows: number; rmse: number; mae: number; bias: number };
  champion: { version: string; rows: number; rmse: number; mae: number; bias: number };
}

const gate = (...args: string[]) =>
  runToExit('bash', [join(REPO_ROOT, 'models/gate.sh'), '--models-dir', root, ...args], { cwd: REPO_ROOT });
const current = () => readFile(join(root, 'CURRENT'), 'utf8');
const report = async (version: string, month: string): Promise<GateReport> =>
  JSON.parse(await readFile(join(root, version, `gate-${month}.json`), 'utf8'));
const validationRmse = async (version: string): Promise<number> =>
  JSON.parse(await readFile(join(MODELS, version, 'metadata.json'), 'utf8')).metrics.validation_rmse;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gate-'));
  // The venv install (minutes on a fresh machine) happens here, not inside a test's timeout.
  const setup = await runToExit('bash', [join(REPO_ROOT, 'models/setup-venv.sh')], { cwd: REPO_ROOT });
  if (setup.code !== 0) throw new Error(`models/setup-venv.sh failed:\n${tail(setup.output)}`);
}, 900_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

beforeEach(async () => {
  root = join(scratch, `root-${Date.now()}`);
  await cp(MODELS, root, { recursive: true, filter: (src) => !/gate-[\d-]+\.json$/.test(src) });
  await writeFile(join(root, 'CURRENT'), '1.0.0\n');
});

describe('models/gate.sh, folder mode', () => {
  it('refuses the linear baseline 0.1.0 against 1.0.0 on 2021-02 (exit 3), CURRENT unchanged', async () => {
    const run = await gate('--candidate', '0.1.0', '--month', '2021-02');
    expect(run.code, run.output).toBe(3);
    expect(run.stdout).toMatch(
      /^refused: candidate 0\.1\.0 RMSE 7\.7558 is not below champion 1\.0\.0 RMSE 5\.5284 - margin 0\.00 on 2021-02$/m,
    );
    expect(await current()).toBe('1.0.0\n');
    const record = await report('0.1.0', '2021-02');
    expect(record.decision).toBe('refused');
    // The same month the exports were validated on: the gate's onnxruntime figures match train.py's own.
    expect(record.candidate.rmse).toBeCloseTo(await validationRmse('0.1.0'), 3);
    expect(record.champion.rmse).toBeCloseTo(await validationRmse('1.0.0'), 3);
    expect(record.candidate.rows).toBe(61_921);
    expect(record.champion.rows).toBe(61_921);
  });

  it('promotes a better candidate: CURRENT moves atomically and the model root serves it', async () => {
    await writeFile(join(root, 'CURRENT'), '0.1.0\n');
    const run = await gate('--candidate', '1.0.0', '--month', '2021-02');
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(
      /^promoted: candidate 1\.0\.0 RMSE 5\.5284 beats champion 0\.1\.0 RMSE 7\.7558/m,
    );
    expect(await current()).toBe('1.0.0\n');
    expect((await readdir(root)).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect((await report('1.0.0', '2021-02')).decision).toBe('promoted');
    const served = await createModelSource(root, { cacheDir: join(scratch, 'cache') }).resolve();
    expect(served.dir).toBe(join(root, '1.0.0'));
  });

  it('refuses a better candidate whose gain is within the margin', async () => {
    await writeFile(join(root, 'CURRENT'), '0.1.0\n');
    const run = await gate('--candidate', '1.0.0', '--month', '2021-02', '--margin-minutes', '2.5');
    expect(run.code, run.output).toBe(3);
    expect(run.stdout).toMatch(/^refused: .* - margin 2\.50 on 2021-02$/m);
    expect(await current()).toBe('0.1.0\n');
    expect((await report('1.0.0', '2021-02')).margin_minutes).toBe(2.5);
  });

  it('exits 2 naming the missing version folder and how to make it, and for a bad month or margin', async () => {
    const missing = await gate('--candidate', '9.9.9', '--month', '2021-02');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(root, '9.9.9', 'metadata.json'));
    expect(missing.stderr).toContain('bash models/train.sh --version 9.9.9');
    const month = await gate('--candidate', '0.1.0', '--month', '2021-13');
    expect(month.code).toBe(2);
    expect(month.stderr).toMatch(/--month '2021-13' is not YYYY-MM/);
    const margin = await gate('--candidate', '0.1.0', '--month', '2021-02', '--margin-minutes', '-1');
    expect(margin.code).toBe(2);
    expect(margin.stderr).toMatch(/--margin-minutes -1\.0 must be a finite number >= 0/);
    expect(await current()).toBe('1.0.0\n');
  });

  it("exits 2 on the candidate's own training month, where its error proves nothing", async () => {
    await writeFile(join(root, 'CURRENT'), '0.1.0\n');
    const run = await gate('--candidate', '1.0.0', '--month', '2021-01');
    expect(run.code, run.output).toBe(2);
    expect(run.stderr).toContain('candidate 1.0.0 was trained on green_tripdata_2021-01.parquet');
    expect(await current()).toBe('0.1.0\n');
  });
});
