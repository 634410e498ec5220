import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runChecked } from '../../harness/index.js';

/** A Node release older than the programs need: the one many machines still have (Debian's and CI's 20). */
export const OLDER_NODE_VERSION = '20.20.2';

/** That Node's binary, from the npm registry's node-linux-<arch> package, kept in .cache/tools. */
export async function olderNode(): Promise<string> {
  const dir = join(REPO_ROOT, '.cache', 'tools', `node-${OLDER_NODE_VERSION}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const pkg = `node-linux-${process.arch}`;
  await runChecked('npm', ['pack', '--silent', `${pkg}@${OLDER_NODE_VERSION}`], { cwd: dir });
  await runChecked('tar', ['-xzf', `${pkg}-${OLDER_NODE_VERSION}.tgz`], { cwd: dir });
  return binary;
}
