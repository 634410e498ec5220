import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, ModelError } from '../../src/errors.js';
import { ModelScorer } from '../../src/model/model-scorer.js';
import { createModelSource } from '../../src/model/model-source.js';
import { MODEL_DIR } from '../model-dir.js';

// A model root like models/ride-duration: version folders and a CURRENT file naming the one to serve.
let root: string;
const source = () => createModelSource(root, { cacheDir: join(root, '.cache') });

async function addVersion(version: string): Promise<void> {
  const dir = join(root, version);
  await mkdir(dir, { recursive: true });
  for (const file of ['model.onnx', 'metadata.json']) await cp(join(MODEL_DIR, file), join(dir, file));
  const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
  await writeFile(join(dir, 'metadata.json'), JSON.stringify({ ...metadata, version }));
}

/** What models/gate.sh does: a temp file renamed over CURRENT. */
async function promote(version: string): Promise<void> {
  await writeFile(join(root, '.CURRENT.tmp'), `${version}\n`);
  await rename(join(root, '.CURRENT.tmp'), join(root, 'CURRENT'));
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'model-root-'));
  await addVersion('1.0.0');
  await addVersion('1.1.0');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("MODEL_PATH at a model root: the 'local' source follows CURRENT", () => {
  it('resolves to the version folder CURRENT names (whitespace trimmed), which ModelScorer loads', async () => {
    await writeFile(join(root, 'CURRENT'), ' 1.0.0\n');
    const model = await source().resolve();
    expect(model.dir).toBe(join(root, '1.0.0'));
    expect(model.description).toContain('CURRENT → 1.0.0');
    const scorer = await ModelScorer.load(model.dir);
    expect(scorer.version).toBe('1.0.0');
    await scorer.close();
  });

  it('changes its key when CURRENT moves, and only then', async () => {
    await promote('1.0.0');
    const src = source();
    const first = await src.resolve();
    expect((await src.resolve()).key).toBe(first.key);
    await promote('1.1.0');
    const second = await src.resolve();
    expect(second.dir).toBe(join(root, '1.1.0'));
    expect(second.key).not.toBe(first.key);
  });

  it('still serves a version folder given directly, even one holding a CURRENT file', async () => {
    await writeFile(join(root, '1.1.0', 'CURRENT'), '1.0.0\n');
    const model = await createModelSource(join(root, '1.1.0'), { cacheDir: join(root, '.cache') }).resolve();
    expect(model.dir).toBe(join(root, '1.1.0'));
  });

  it('names CURRENT and the missing folder, and the fix, when CURRENT points at no version', async () => {
    await promote('2.0.0');
    const err = await source()
      .resolve()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).code).toBe(ErrorCodes.MODEL_NOT_FOUND);
    expect((err as Error).message).toContain(join(root, 'CURRENT'));
    expect((err as Error).message).toContain(join(root, '2.0.0', 'metadata.json'));
    expect((err as Error).message).toContain('point CURRENT at one that exists');
  });

  it.each(['', '../1.0.0', '..'])('refuses CURRENT holding %j, which is not a folder name', async (text) => {
    await writeFile(join(root, 'CURRENT'), `${text}\n`);
    await expect(source().resolve()).rejects.toThrow(/not a version folder name/);
  });

  it('without CURRENT or metadata.json, reports the missing metadata.json as before', async () => {
    await expect(source().resolve()).rejects.toThrow(/metadata\.json cannot be read/);
  });
});
