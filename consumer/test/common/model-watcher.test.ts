import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger, ModelError } from '@ride/shared';
import { ModelScorer, type ModelSource, type ResolvedModel } from '@ride/shared/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelWatcher } from '../../src/common/model-watcher.js';
import { ConsumerMetrics } from '../../src/stream/consumer-metrics.js';

const MODEL_DIR = fileURLToPath(new URL('../../../models/ride-duration/1.0.0', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ride-watcher-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Model 1.0.0 under another version or name; `corrupt` breaks model.onnx's checksum. */
async function variant(label: string, edit: { version?: string; name?: string; corrupt?: boolean }) {
  const dir = join(root, label);
  await mkdir(dir, { recursive: true });
  for (const f of ['model.onnx', 'metadata.json', 'parity-fixture.json'])
    await copyFile(join(MODEL_DIR, f), join(dir, f));
  const meta = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
  await writeFile(join(dir, 'metadata.json'), JSON.stringify({ ...meta, ...edit, corrupt: undefined }));
  if (edit.corrupt) {
    const bytes = await readFile(join(dir, 'model.onnx'));
    await writeFile(join(dir, 'model.onnx'), bytes.fill(0, 1000, 2000));
  }
  return dir;
}

/** A source the test points wherever it wants, or makes fail. */
function movableSource(dir: string): ModelSource & { point(dir: string): void; fail(on: boolean): void } {
  let current = dir;
  let failing = false;
  return {
    location: 'test://model',
    async resolve(): Promise<ResolvedModel> {
      if (failing) throw new ModelError('RIDE_MODEL_FETCH_FAILED', 'registry down');
      return { dir: current, key: current, description: current };
    },
    point(next) {
      current = next;
    },
    fail(on) {
      failing = on;
    },
  };
}

describe('ModelWatcher', () => {
  it('swaps to a new valid model, refuses bad ones once each, survives an unreachable source', async () => {
    const source = movableSource(MODEL_DIR);
    const metrics = new ConsumerMetrics();
    const watcher = await ModelWatcher.create({
      source,
      intervalMs: 0,
      load: (dir) => ModelScorer.load(dir),
      logger: createLogger({ level: 'silent' }),
      metrics,
      retireAfterMs: 10,
    });
    const first = watcher.current;
    expect(first.version).toBe('1.0.0');
    expect(await watcher.check()).toBe('unchanged');

    source.point(await variant('next', { version: '1.0.1' }));
    expect(await watcher.check()).toBe('swapped');
    expect(watcher.current.version).toBe('1.0.1');

    source.point(await variant('corrupt', { version: '1.0.2', corrupt: true }));
    expect(await watcher.check()).toBe('refused');
    expect(await watcher.check()).toBe('unchanged');
    source.point(await variant('other', { version: '2.0.0', name: 'tip-amount' }));
    expect(await watcher.check()).toBe('refused');
    expect(watcher.current.version).toBe('1.0.1');

    source.fail(true);
    expect(await watcher.check()).toBe('unreachable');
    expect(watcher.current.version).toBe('1.0.1');

    const text = await metrics.registry.metrics();
    expect(text).toContain('ride_model_swaps_total{result="swapped"} 1');
    expect(text).toContain('ride_model_swaps_total{result="refused"} 2');
    expect(text).toContain('ride_model_swaps_total{result="unreachable"} 1');
    expect(text).toContain('ride_model_info{model="ride-duration",version="1.0.0"} 0');
    expect(text).toContain('ride_model_info{model="ride-duration",version="1.0.1"} 1');
    await watcher.stop();
    await watcher.current.close();
  });
});
