import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

export const MODEL_100 = join(REPO_ROOT, 'models/ride-duration/1.0.0');
const FILES = ['model.onnx', 'metadata.json', 'parity-fixture.json'];

export interface ModelCopy {
  dir: string;
  version: string;
}

/**
 * A copy of model 1.0.0 under another version: only metadata.version changes, so model_sha256 still matches.
 * `corrupt` flips bytes in model.onnx, so the copy fails its checksum: the bad model a swap must refuse.
 */
export async function copyModel(
  root: string,
  version: string,
  options: { corrupt?: boolean; name?: string } = {},
): Promise<ModelCopy> {
  const dir = join(root, `${options.name ?? 'ride-duration'}-${version}${options.corrupt ? '-corrupt' : ''}`);
  await mkdir(dir, { recursive: true });
  for (const file of FILES) await copyFile(join(MODEL_100, file), join(dir, file));
  const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
  metadata.version = version;
  if (options.name) metadata.name = options.name;
  await writeFile(join(dir, 'metadata.json'), JSON.stringify(metadata, null, 2));
  if (options.corrupt) {
    const bytes = await readFile(join(dir, 'model.onnx'));
    bytes.fill(0, 1000, 2000);
    await writeFile(join(dir, 'model.onnx'), bytes);
  }
  return { dir, version };
}
