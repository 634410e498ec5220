import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KafkaAdmin, Logger } from '@ride/shared';
import { createTopics, REPO_ROOT, runChecked, spawnChild, uniqueName } from '../../harness/index.js';
import { PEERS_DIR, PEERS_PYTHON } from './bench-paths.js';
import { type ThroughputResult, watchOutput } from './output-watch.js';
import { ProcessSampler } from './proc-stats.js';

export const Peers = {
  course: 'course_peer.py',
  batched: 'batched_peer.py',
} as const;
export type PeerName = keyof typeof Peers;

export interface PeerRun extends ThroughputResult {
  peer: PeerName;
}

/** Makes bench/peers/.venv with the pinned peer dependencies when it is missing or out of date. */
export async function ensurePeersVenv(): Promise<void> {
  await runChecked('bash', [join(PEERS_DIR, 'setup-venv.sh')], { cwd: REPO_ROOT });
  if (!existsSync(PEERS_PYTHON)) throw new Error(`bench/peers/setup-venv.sh made no ${PEERS_PYTHON}`);
}

/** Runs one Python peer over the first `events` rides of the preloaded topic, timed like our consumer. */
export async function runPeer(
  admin: KafkaAdmin,
  brokers: readonly string[],
  rides: string,
  peer: PeerName,
  events: number,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<PeerRun> {
  const output = uniqueName(`${peer}-pred`);
  await createTopics(admin, [output], 6);
  const args = [join(PEERS_DIR, Peers[peer]), '--brokers', brokers.join(','), '--topic', rides];
  args.push('--output', output, '--group', uniqueName(peer), '--limit', String(events));
  const tracked = spawnChild(PEERS_PYTHON, args, { cwd: REPO_ROOT, env });
  logger.info({ peer, events }, 'peer run started');
  try {
    const result = await watchOutput({
      admin,
      topics: [output],
      target: events,
      samplers: [new ProcessSampler(tracked.pid)],
      died: tracked.exited,
    }).catch((err: Error) => {
      throw new Error(`${peer} peer: ${err.message}\n${tracked.stderr().slice(-2000)}`);
    });
    return { ...result, peer };
  } finally {
    await tracked.stop();
  }
}
