import { randomBytes } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Fills a cache folder exactly once: `fill` writes into a temporary sibling which is renamed into place, so a
 * crash mid-download never leaves a half folder that looks complete, and two processes racing both end with one.
 * A folder counts as present when it holds metadata.json (the last file a fill writes is irrelevant: rename is atomic).
 */
export async function cachedFolder(
  dir: string,
  fill: (tmp: string) => Promise<string | undefined>,
): Promise<string> {
  if (await exists(join(dir, 'metadata.json'))) return dir;
  await mkdir(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  await mkdir(tmp, { recursive: true });
  try {
    // fill may say the model sits in a sub-folder of tmp (an archive with a top-level folder).
    const filled = (await fill(tmp)) ?? tmp;
    await rename(filled, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (!(await exists(join(dir, 'metadata.json')))) throw err;
    });
    return dir;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
