import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../harness/index.js';

/** How to run kcat: the command and the environment it needs. */
export interface Kcat {
  command: string;
  env: Record<string, string>;
}

const PACKAGES = ['kcat', 'librdkafka1', 'libyajl2'];

/**
 * Debian's kcat, a black-box Kafka client: the one on PATH, else its packages fetched once with `apt-get download`
 * and unpacked into .cache/kcat (no root needed), run with their libraries on LD_LIBRARY_PATH.
 */
export function kcat(): Kcat {
  const onPath = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
  if (onPath.status === 0) return { command: 'kcat', env: {} };
  const dir = join(REPO_ROOT, '.cache', 'kcat');
  const root = join(dir, 'root');
  const binary = join(root, 'usr', 'bin', 'kcat');
  if (!existsSync(binary)) {
    mkdirSync(dir, { recursive: true });
    const download = spawnSync('apt-get', ['download', ...PACKAGES], { cwd: dir, encoding: 'utf8' });
    if (download.status !== 0)
      throw new Error(`apt-get download ${PACKAGES.join(' ')} failed:\n${download.stderr}`);
    for (const deb of readdirSync(dir).filter((f) => f.endsWith('.deb'))) {
      const unpack = spawnSync('dpkg-deb', ['-x', join(dir, deb), root], { encoding: 'utf8' });
      if (unpack.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed:\n${unpack.stderr}`);
    }
  }
  const libs = readdirSync(join(root, 'usr', 'lib'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, 'usr', 'lib', d.name));
  return { command: binary, env: { LD_LIBRARY_PATH: [join(root, 'usr', 'lib'), ...libs].join(':') } };
}

/** Runs kcat to completion with `args`, returning its stdout bytes; fails with its stderr. */
export function runKcat(args: readonly string[], timeoutMs = 60_000): Buffer {
  const { command, env } = kcat();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, timeout: timeoutMs });
  if (result.status !== 0) {
    throw new Error(`kcat ${args.join(' ')} exited ${result.status}: ${result.stderr?.toString() ?? ''}`);
  }
  return result.stdout;
}
