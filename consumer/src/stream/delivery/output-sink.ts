import type { GroupMetadata, TopicRecords } from '@ride/shared';
import type { RecordSource } from '../core/input-message.js';

export const ProcessingGuarantees = ['at_least_once', 'exactly_once'] as const;
export type ProcessingGuarantee = (typeof ProcessingGuarantees)[number];

/** Where a processed chunk's predictions and dead letters go, and how its input offsets are committed. */
export interface OutputSink {
  readonly guarantee: ProcessingGuarantee;
  connect(): Promise<void>;
  /** Starts committing acknowledged progress (the consumer runs). */
  start(): void;
  /**
   * Readies the output path of `source` before a batch of it is processed. Returns the group's committed offset
   * when it may have moved since this member fetched its position (a previous owner's last transaction), so the
   * caller skips what that owner already answered; undefined when there is nothing to skip.
   */
  claim(source: RecordSource): Promise<string | undefined>;
  /**
   * Publishes the outputs of records up to (not including) `nextOffset` of `source`. Resolves only once the
   * broker acknowledged them; in exactly-once mode the consumed offset is committed in the same transaction.
   * `member` is the group generation the batch was handed over under, where the client reports one (KIP-447).
   */
  publish(
    source: RecordSource,
    outputs: TopicRecords[],
    nextOffset: string,
    member?: GroupMetadata,
  ): Promise<void>;
  /**
   * The outputs of `source` up to `nextOffset` were published and their chunk is done: commit that progress
   * (at-least-once; exactly-once committed it inside the transaction).
   */
  acknowledged(source: RecordSource, nextOffset: string): Promise<void>;
  /** Commits acknowledged progress now (before a stall recovery or a stop, while still a group member). */
  flush(): Promise<void>;
  /** Called after each group join with this member's partitions of `topic`, before any batch of the generation. */
  rejoined(topic: string, partitions: readonly number[]): Promise<void>;
  /**
   * Drops every producer, so the next batch starts on fresh ones: after a stall, one may hold a send that never
   * settles. The old ones close in the background (closing waits for their pending requests).
   */
  reset(): void;
  disconnect(): Promise<void>;
}
