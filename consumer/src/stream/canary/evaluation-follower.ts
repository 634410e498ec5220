import { randomUUID } from 'node:crypto';
import type { BatchConsumer, KafkaAdmin, KafkaClient, Logger, RecordProducer } from '@ride/shared';
import type { Canary } from './canary.js';
import { type RollbackDecision, readFeedRecord, rollbackRecord } from './evaluation-feed.js';

export interface EvaluationFollowerOptions {
  client: KafkaClient;
  /** EVALUATIONS_TOPIC: the evaluator's windows and the canary's rollback decisions. */
  topic: string;
  /** Created with this topic's partition count when missing (the evaluator makes it so too). */
  predictionsTopic: string;
  /** The scorer's group; the follower reads in a group of its own, derived from it, never committing. */
  groupId: string;
  canary: Canary;
  logger: Logger;
}

/**
 * Feeds the canary every record of EVALUATIONS_TOPIC, from the beginning, in a group of its own per process (each
 * member reads everything: the verdict is the same everywhere), and publishes its rollback decisions there.
 */
export class EvaluationFollower {
  private readonly options: EvaluationFollowerOptions;
  private readonly log: Logger;
  private readonly consumer: BatchConsumer;
  private readonly producer: RecordProducer;
  private readonly admin: KafkaAdmin;
  private readonly behind = new Map<number, bigint>();
  private caughtUpNow: (() => void) | undefined;

  constructor(options: EvaluationFollowerOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'evaluation-follower', topic: options.topic });
    this.consumer = options.client.consumer({
      groupId: `${options.groupId}.canary.${randomUUID()}`,
      readCommitted: true,
    });
    this.producer = options.client.producer();
    this.admin = options.client.admin();
  }

  /** Reads until it has every record there was at its start (or `timeoutMs` passed: logged), then keeps reading. */
  async start(timeoutMs: number): Promise<void> {
    const { topic } = this.options;
    await Promise.all([this.admin.connect(), this.producer.connect(), this.consumer.connect()]);
    if (!(await this.admin.listTopics()).includes(topic)) {
      const partitions = (await this.admin.endOffsets(this.options.predictionsTopic)).size || 1;
      await this.admin.createTopics([{ topic, numPartitions: partitions }]);
    }
    for (const [partition, end] of await this.admin.endOffsets(topic)) {
      if (end > 0n) this.behind.set(partition, end);
    }
    const caughtUp = new Promise<void>((resolve) => {
      this.caughtUpNow = resolve;
    });
    if (this.behind.size === 0) this.caughtUpNow?.();
    await this.consumer.subscribe(topic, { fromBeginning: true });
    await this.consumer.run({
      eachBatch: async (batch) => {
        for (const message of batch.messages) {
          const record = readFeedRecord(message.value);
          if (record.kind !== 'other') this.options.canary.observe(record);
        }
        const last = batch.messages[batch.messages.length - 1];
        if (last !== undefined) batch.resolveOffset(last.offset);
        // A transactional topic ends in a commit marker the batch does not show.
        if (batch.lag() <= 1n) this.reached(batch.partition);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([caughtUp, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.warn(
        { partitions: [...this.behind.keys()], timeoutMs },
        'evaluations not read to their end in time: scoring starts; decisions still to read apply when read',
      );
    } else this.log.info('evaluations read: canary decisions up to date');
  }

  publish(decision: RollbackDecision): Promise<void> {
    return this.producer.send([{ topic: this.options.topic, messages: [rollbackRecord(decision)] }]);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private reached(partition: number): void {
    if (!this.behind.delete(partition) || this.behind.size > 0) return;
    this.caughtUpNow?.();
  }
}
