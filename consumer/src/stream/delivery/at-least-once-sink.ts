import {
  IdempotentProducer,
  type KafkaClient,
  type Logger,
  SendCoalescer,
  type TopicRecords,
} from '@ride/shared';
import type { RecordSource } from '../core/input-message.js';
import { OffsetCommitter, type PartitionOffset } from './offset-committer.js';
import type { OutputSink } from './output-sink.js';

/**
 * One idempotent producer; acknowledged progress is committed through the group (OffsetCommitter) after publish
 * resolved. The partitions' concurrent publishes share requests (SendCoalescer): one round trip for all of them
 * instead of one each, in turn.
 */
export class AtLeastOnceSink implements OutputSink {
  readonly guarantee = 'at_least_once';
  private readonly producer: IdempotentProducer;
  private readonly committer: OffsetCommitter;
  private sender: SendCoalescer;

  /** `commit` commits consumed positions as the group member (the consumer's commit); every `commitIntervalMs`. */
  constructor(
    kafka: KafkaClient,
    commit: (offsets: PartitionOffset[]) => Promise<void>,
    commitIntervalMs: number,
    logger: Logger,
  ) {
    this.producer = new IdempotentProducer(kafka, logger.child({ component: 'at-least-once-sink' }));
    this.committer = new OffsetCommitter(commit, commitIntervalMs, logger);
    this.sender = this.newSender();
  }

  private newSender(): SendCoalescer {
    return new SendCoalescer((topicMessages) => this.producer.send(topicMessages));
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  start(): void {
    this.committer.start();
  }

  async claim(): Promise<undefined> {
    return undefined;
  }

  async publish(_source: RecordSource, outputs: TopicRecords[]): Promise<void> {
    if (outputs.length > 0) await this.sender.enqueue(outputs);
  }

  acknowledged(source: RecordSource, nextOffset: string): Promise<void> {
    return this.committer.processed({ ...source, offset: nextOffset });
  }

  flush(): Promise<void> {
    return this.committer.flush();
  }

  async rejoined(topic: string, partitions: readonly number[]): Promise<void> {
    this.committer.retainOnly(topic, partitions);
  }

  reset(): void {
    // A request that never settles holds its coalescer for good: later sends start on a fresh one.
    this.sender = this.newSender();
    this.producer.reset();
  }

  async disconnect(): Promise<void> {
    await this.committer.stop();
    await this.producer.disconnect();
  }
}
