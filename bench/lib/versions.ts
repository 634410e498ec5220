import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_VERSION, REPO_ROOT, runChecked } from '../../harness/index.js';
import { PEERS_PYTHON } from './bench-paths.js';

function packageVersion(name: string): string {
  try {
    const file = join(REPO_ROOT, 'node_modules', name, 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function commandVersion(command: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await runChecked(command, args);
    return pattern.exec(`${stdout}${stderr}`)?.[1] ?? 'unknown';
  } catch {
    return 'absent';
  }
}

/** Versions of everything in the measured path. */
export async function versions(): Promise<Record<string, string>> {
  return {
    Kafka: KAFKA_VERSION,
    Java: await commandVersion('java', ['-version'], /version "([^"]+)"/),
    Node: process.version,
    kafkajs: packageVersion('kafkajs'),
    '@platformatic/kafka': packageVersion('@platformatic/kafka'),
    'onnxruntime-node': packageVersion('onnxruntime-node'),
    Python: await commandVersion(PEERS_PYTHON, ['--version'], /Python (\S+)/),
    commit: await sourceState(),
  };
}

/** The commit measured, marked dirty when the consumer or shared sources differ from it (their dist is run). */
async function sourceState(): Promise<string> {
  try {
    const { stdout: head } = await runChecked('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT });
    const { stdout: dirty } = await runChecked(
      'git',
      ['status', '--porcelain', 'consumer/src', 'shared/src'],
      {
        cwd: REPO_ROOT,
      },
    );
    return `${head.trim()}${dirty.trim() === '' ? '' : ' (+ uncommitted consumer/shared changes)'}`;
  } catch {
    return 'unknown';
  }
}
