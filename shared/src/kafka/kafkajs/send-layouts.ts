import { type Admin, Partitioners, type PartitionMetadata } from 'kafkajs';
import type { SendLayout } from '../common/send-per-partition.js';
import type { TopicRecords } from '../port/kafka-port.js';

// As long as @platformatic/kafka keeps its metadata (metadataMaxAge).
const MAX_AGE_MS = 5000;

/**
 * Each topic's partitions (how many, their replicas), read through an admin client and kept a few seconds: kafkajs's
 * producer keeps its metadata to itself. Messages are placed by kafkajs's default partitioner, the one the producer
 * is given, so a ride lands where kafkajs would have put it.
 */
export class SendLayouts {
  private readonly admin: Admin;
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private connected: Promise<void> | undefined;
  private readonly partitions = new Map<string, { metadata: PartitionMetadata[]; at: number }>();

  constructor(admin: Admin) {
    this.admin = admin;
  }

  /** Where `records` go; the topics' metadata is read again when older than a few seconds. */
  async layoutFor(records: readonly TopicRecords[]): Promise<SendLayout> {
    const topics = [...new Set(records.map((r) => r.topic))];
    const now = Date.now();
    const stale = topics.filter(
      (t) => now - (this.partitions.get(t)?.at ?? Number.NEGATIVE_INFINITY) > MAX_AGE_MS,
    );
    if (stale.length > 0) await this.refresh(stale, now);
    const known = topics.map((t) => this.partitions.get(t)?.metadata ?? []);
    return {
      replicated: known.some((partitions) => partitions.some((p) => p.replicas.length > 1)),
      partitionOf: (topic, message) =>
        this.partitioner({
          topic,
          partitionMetadata: this.partitions.get(topic)?.metadata ?? [],
          message: { key: message.key ?? null, value: message.value },
        }),
    };
  }

  disconnect(): Promise<void> {
    const connected = this.connected;
    this.connected = undefined;
    return connected === undefined ? Promise.resolve() : this.admin.disconnect();
  }

  private async refresh(topics: string[], now: number): Promise<void> {
    try {
      this.connected ??= this.admin.connect().catch((err: unknown) => {
        this.connected = undefined;
        throw err;
      });
      await this.connected;
      for (const { name, partitions } of (await this.admin.fetchTopicMetadata({ topics })).topics) {
        this.partitions.set(name, { metadata: partitions, at: now });
      }
    } catch (err) {
      // A topic's partition count and replicas outlive a leader move: what was read before still places records.
      if (topics.every((t) => this.partitions.has(t))) return;
      throw err;
    }
  }
}
