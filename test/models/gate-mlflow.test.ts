import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MlflowServer, REPO_ROOT, runToExit, startMlflowServer } from '../../harness/index.js';

// models/gate.sh --mlflow-uri against a real MLflow tracking server (harness/servers/mlflow-server.ts): the
// champion is models:/ride-duration@champion, downloaded from the registry; a promotion moves the alias.
let mlflow: MlflowServer;
let root: string;

const gate = (...args: string[]) =>
  runToExit(
    'bash',
    [join(REPO_ROOT, 'models/gate.sh'), '--models-dir', root, '--mlflow-uri', mlflow.url, ...args],
    { cwd: REPO_ROOT },
  );

async function champion(): Promise<{ version: string; model_version: string }> {
  const res = await fetch(
    `${mlflow.url}/api/2.0/mlflow/registered-models/alias?name=ride-duration&alias=champion`,
  );
  const body = (await res.json()) as {
    model_version: { version: string; tags: Array<{ key: string; value: string }> };
  };
  const tag = body.model_version.tags.find((t) => t.key === 'model_version');
  return { version: body.model_version.version, model_version: tag!.value };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gate-mlflow-'));
  for (const version of ['0.1.0', '1.0.0', '1.1.0'])
    await cp(join(REPO_ROOT, 'models/ride-duration', version), join(root, version), {
      recursive: true,
      filter: (src) => !/gate-[\d-]+\.json$/.test(src),
    });
  mlflow = await startMlflowServer();
}, 900_000);
afterAll(async () => {
  await mlflow?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('models/gate.sh, MLflow mode', () => {
  it('refuses 0.1.0 against the registered champion 1.0.0: the alias stays', async () => {
    await mlflow.register([join(root, '1.0.0')], 'champion');
    const run = await gate('--candidate', '0.1.0', '--month', '2021-02');
    expect(run.code, run.output).toBe(3);
    expect(run.stdout).toMatch(/^refused: candidate 0\.1\.0 RMSE 7\.7558 is not below champion 1\.0\.0/m);
    expect(await champion()).toEqual({ version: '1', model_version: '1.0.0' });
    const report = JSON.parse(await readFile(join(root, '0.1.0', 'gate-2021-02.json'), 'utf8'));
    expect(report.champion.source).toContain('models:/ride-duration@champion (registry version 1)');
  });

  it('promotes 1.0.0 over a champion 0.1.0 by moving the alias to its existing registry version', async () => {
    await mlflow.register([join(root, '0.1.0')], 'champion');
    expect(await champion()).toEqual({ version: '2', model_version: '0.1.0' });
    const run = await gate('--candidate', '1.0.0', '--month', '2021-02');
    expect(run.code, run.output).toBe(0);
    expect(run.stdout).toMatch(/^promoted: candidate 1\.0\.0/m);
    // 1.0.0 (same model_sha256) was registry version 1: no new version, the alias moves back to it.
    expect(await champion()).toEqual({ version: '1', model_version: '1.0.0' });
    const report = JSON.parse(await readFile(join(root, '1.0.0', 'gate-2021-02.json'), 'utf8'));
    expect(report.promotion).toMatchObject({ registry_version: '1', registered: false, alias: 'champion' });
  });

  it('registers a candidate the registry does not hold yet, then moves the alias to it', async () => {
    await mlflow.setAlias('ride-duration', 'champion', '2');
    const run = await gate('--candidate', '1.1.0', '--month', '2022-01');
    expect(run.code, run.output).toBe(0);
    expect(await champion()).toEqual({ version: '3', model_version: '1.1.0' });
    const report = JSON.parse(await readFile(join(root, '1.1.0', 'gate-2022-01.json'), 'utf8'));
    expect(report.champion.version).toBe('0.1.0');
    expect(report.promotion).toMatchObject({ registry_version: '3', registered: true });
  });
});
