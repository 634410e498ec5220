import type { GroupProtocol, KafkaClient, Logger } from '@ride/shared';
import { AtLeastOnceSink } from './at-least-once-sink.js';
import { ExactlyOnceSink } from './exactly-once-sink.js';
import { GenerationFencedSink } from './generation-fenced-sink.js';
import type { PartitionOffset } from './offset-committer.js';
import type { OutputSink, ProcessingGuarantee } from './output-sink.js';

export interface SinkSettings {
  client: KafkaClient;
  groupId: string;
  groupProtocol: GroupProtocol;
  guarantee: ProcessingGuarantee;
  /** At-least-once: how often acknowledged progress is committed (0 = after every chunk). */
  commitIntervalMs: number;
  logger: Logger;
}

/**
 * The sink for a guarantee. At-least-once commits through the group member (`commit`, the consumer's). Exactly-once
 * fences zombies by group generation (KIP-447) where the client reports it (the classic protocol of a client with
 * `supportsGroupMetadataFencing`), else by a transactional id per input partition.
 */
export function createSink(
  settings: SinkSettings,
  commit: (offsets: PartitionOffset[]) => Promise<void>,
): OutputSink {
  const { client, groupId, guarantee, groupProtocol, logger } = settings;
  if (guarantee === 'at_least_once') {
    return new AtLeastOnceSink(client, commit, settings.commitIntervalMs, logger);
  }
  if (client.supportsGroupMetadataFencing === true && groupProtocol === 'classic') {
    return new GenerationFencedSink(client, groupId, logger);
  }
  return new ExactlyOnceSink(client, groupId, logger);
}
