import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

/** Writes a failed test's process output under .cache/test-logs (git-ignored) and returns the path. */
export function keepLog(name: string, output: string): string {
  const dir = join(REPO_ROOT, '.cache', 'test-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${name}.log`);
  writeFileSync(file, output);
  return file;
}
