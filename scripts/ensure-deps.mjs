// Installs dependencies when node_modules is missing or behind package-lock.json, so a fresh clone needs one
// command. Silent when all is well. Plain Node, no dependencies (it runs before any are installed).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectNode } from './project-node.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockFile = join(root, 'package-lock.json');
// npm records what it installed in this "hidden lockfile" (npm docs, package-lock.json: "Hidden Lockfiles").
const installedFile = join(root, 'node_modules', '.package-lock.json');

const readPackages = (file) => JSON.parse(readFileSync(file, 'utf8')).packages ?? {};

/** Why an install is needed, or undefined when node_modules matches the lock. */
function staleReason() {
  if (!existsSync(join(root, 'node_modules'))) return 'node_modules is missing';
  if (!existsSync(lockFile)) return undefined;
  if (!existsSync(installedFile)) return 'node_modules was not installed by npm';
  const wanted = readPackages(lockFile);
  const installed = readPackages(installedFile);
  for (const [path, entry] of Object.entries(wanted)) {
    if (!path.includes('node_modules/')) continue; // the root and workspace folders themselves
    const have = installed[path];
    // Optional packages for other platforms (esbuild, biome binaries) are legitimately absent.
    if (have === undefined && entry.optional) continue;
    if (have?.version !== entry.version)
      return `${path} ${have?.version ?? 'missing'} ≠ locked ${entry.version}`;
  }
  return undefined;
}

const reason = staleReason();
if (reason !== undefined) {
  const command = existsSync(lockFile) ? 'ci' : 'install';
  console.warn(`ensure-deps: ${reason}; running npm ${command}`);
  // npm itself runs on the project's Node, so the install is checked against the engines it will run on.
  const node = projectNode(root);
  const npmCli = [
    process.env.npm_execpath,
    join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ].find((f) => f?.endsWith('.js') && existsSync(f));
  const result =
    node !== undefined && npmCli !== undefined
      ? spawnSync(node, [npmCli, command], {
          cwd: root,
          stdio: 'inherit',
          env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` },
        })
      : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [command], {
          cwd: root,
          stdio: 'inherit',
        });
  if (result.status !== 0) {
    console.error(`ensure-deps: npm ${command} failed`);
    process.exitCode = result.status ?? 1;
  }
}
