import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

/** Path of a TLC file in the project's data folder, filled by the data script on first use. */
export function tripFile(name: string): string {
  const path = join(REPO_ROOT, 'data', name);
  if (!existsSync(path))
    execFileSync('bash', [join(REPO_ROOT, 'scripts/fetch-data.sh')], { stdio: 'inherit' });
  return path;
}
