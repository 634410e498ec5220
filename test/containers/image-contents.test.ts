import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BuiltImage,
  type ContainerEngine,
  imageLabels,
  REPO_ROOT,
  runChecked,
} from '../../harness/index.js';
import {
  BUILD_TIMEOUT_MS,
  buildImages,
  containerForTest,
  expectNoContainersLeft,
} from '../support/containers/images.js';

let engine: ContainerEngine;
let images: Record<'scorer' | 'web' | 'producer', BuiltImage>;

beforeAll(async () => {
  ({ engine, images } = await buildImages(['scorer', 'web', 'producer']));
}, BUILD_TIMEOUT_MS);
afterAll(() => expectNoContainersLeft(engine));

describe('what the images carry', () => {
  it('OCI labels: title, version, the commit and source they were built from, licence', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const revision = (await runChecked('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT })).stdout.trim();
    const titles = { scorer: 'ride-scorer', web: 'ride-web', producer: 'ride-producer' };
    for (const [name, image] of Object.entries(images)) {
      const labels = await imageLabels(engine, image.tag);
      expect(labels).toMatchObject({
        'org.opencontainers.image.title': titles[name as keyof typeof titles],
        'org.opencontainers.image.version': version,
        'org.opencontainers.image.revision': revision,
        'org.opencontainers.image.licenses': 'MIT',
      });
      expect(labels['org.opencontainers.image.source']).not.toBe('unknown');
    }
  });

  it('the producer image carries no onnxruntime (it never scores) and still runs', async () => {
    const list = await containerForTest(engine, {
      image: images.producer.tag,
      name: 'producer-modules',
      entrypoint: ['ls', 'node_modules'],
    });
    expect(await list.exited()).toBe(0);
    const modules = (await list.logs()).split('\n');
    expect(modules).toContain('kafkajs');
    expect(modules.filter((m) => m.startsWith('onnxruntime'))).toEqual([]);
    const help = await containerForTest(engine, {
      image: images.producer.tag,
      name: 'producer-help',
      args: ['--help'],
    });
    expect(await help.exited()).toBe(0);
    expect(await help.logs()).toContain('Usage: ride-producer');
    expect(images.producer.sizeBytes).toBeLessThan(images.scorer.sizeBytes);
  });
});
