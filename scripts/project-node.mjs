// The Node the project runs on (24 LTS, see package.json engines), provided by the project itself: machines here
// have an older system Node. npm installs it as the optional dependency node-linux-<arch>, whose `node` bin npm
// scripts find first on PATH. Before the first install, the locked version's package is fetched once with
// `npm pack` into .cache/node, so that install itself runs on it. Plain Node, no dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The path of the project's Node binary, or undefined where none is published for this platform. */
export function projectNode(root) {
  const name = `node-${process.platform}-${process.arch}`;
  const installed = join(root, 'node_modules', name, 'bin', 'node');
  if (existsSync(installed)) return installed;
  const version = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages?.[
    `node_modules/${name}`
  ]?.version;
  if (version === undefined) return undefined;
  return packedNode(root, version);
}

/** Node `version`'s binary from the npm registry's node-<platform>-<arch> package, fetched once into .cache/node. */
export function packedNode(root, version) {
  const name = `node-${process.platform}-${process.arch}`;
  const dir = join(root, '.cache', 'node', `${name}-${version}`);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  });
  if (pack.status !== 0) throw new Error(`npm pack ${name}@${version} failed:\n${pack.stderr}`);
  const untar = spawnSync('tar', ['xzf', join(dir, pack.stdout.trim().split('\n').at(-1)), '-C', dir], {
    encoding: 'utf8',
  });
  if (untar.status !== 0) throw new Error(`unpacking ${name}@${version} failed:\n${untar.stderr}`);
  return binary;
}
