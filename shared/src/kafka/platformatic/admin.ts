import { Admin, type BaseOptions, FetchIsolationLevels, ListOffsetTimestamps } from '@platformatic/kafka';
import { waitForLeaders } from '../common/wait-for-leaders.js';
import { retryBackoffMs, retryWholeCall, type WholeCallRetry } from '../common/whole-call-retry.js';
import type { GroupDescription, KafkaAdmin, TopicSpec } from '../port/kafka-port.js';
import { explained, innermostErrors, notKnownYet, retriable } from './errors.js';

/** The port's admin calls through @platformatic/kafka's Admin: topics, offsets, a group and the cluster. */
export class PlatformaticAdmin implements KafkaAdmin {
  private readonly admin: Admin;
  /** For calls to a group's coordinator or to partition leaders: no retries of its own (see `whole`). */
  private readonly onceAdmin: Admin;
  private readonly wholeRetry: WholeCallRetry;

  constructor(options: BaseOptions) {
    this.admin = new Admin(options);
    this.onceAdmin = new Admin({ ...options, retries: 0 });
    this.wholeRetry = {
      retries: typeof options.retries === 'number' ? options.retries : 10,
      delayMs: retryBackoffMs,
      retriable,
    };
  }

  /** The client connects on its first request: a metadata request here fails when the cluster cannot be reached. */
  async connect(): Promise<void> {
    await explained(this.admin.metadata({ topics: [] }));
  }

  async disconnect(): Promise<void> {
    await Promise.all([this.admin.close(), this.onceAdmin.close()]);
  }

  listTopics(): Promise<string[]> {
    return explained(this.admin.listTopics());
  }

  async createTopics(specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<boolean> {
    const existing = new Set(await this.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    const created = missing.length > 0 && (await this.create(missing));
    await waitForLeaders((topics) => this.leaders(topics), specs, timeoutMs);
    return created;
  }

  /** False when another client created them all first (TOPIC_ALREADY_EXISTS for each). */
  private async create(specs: readonly TopicSpec[]): Promise<boolean> {
    const topics = specs.map(({ topic, numPartitions, replicationFactor }) =>
      replicationFactor === undefined
        ? { topic, partitions: numPartitions }
        : { topic, partitions: numPartitions, replicas: replicationFactor },
    );
    try {
      await explained(this.admin.createTopics({ topics }));
      return true;
    } catch (err) {
      if (innermostErrors(err).every((e) => (e as { apiId?: string }).apiId === 'TOPIC_ALREADY_EXISTS'))
        return false;
      throw err;
    }
  }

  /**
   * One metadata request, fresh (no retries of its own: waitForLeaders polls until its deadline). A topic the broker
   * does not know yet, or a leader not loaded yet, reads as "no leaders yet" (notKnownYet).
   */
  private async leaders(topics: string[]): Promise<Map<string, number[]>> {
    try {
      const metadata = await this.admin.metadata({ topics, forceUpdate: true, retries: 0 });
      return new Map([...metadata.topics].map(([name, t]) => [name, t.partitions.map((p) => p.leader)]));
    } catch (err) {
      if (notKnownYet(err)) return new Map();
      throw err;
    }
  }

  /** Asks for every partition, so the broker answers -1 for those the group never committed. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const positions = await this.committedPositions(groupId, topic);
    return new Map([...positions].map(([partition, { offset }]) => [partition, offset]));
  }

  async committedPositions(
    groupId: string,
    topic: string,
  ): Promise<Map<number, { offset: bigint; metadata: string | null }>> {
    const partitionIndexes = await this.partitions(topic);
    const [group] = await this.whole((admin) =>
      admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: [{ name: topic, partitionIndexes }] }] }),
    );
    const answered = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
    const committed = new Map(answered.map((p) => [p.partitionIndex, p]));
    return new Map(
      partitionIndexes.map((p) => {
        const found = committed.get(p);
        return [p, { offset: found?.committedOffset ?? -1n, metadata: found?.metadata || null }];
      }),
    );
  }

  /** Read committed, as kafkajs's admin reads them: the last stable offset (the high watermark when no transaction is open). */
  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const partitions = (await this.partitions(topic)).map((partitionIndex) => ({
      partitionIndex,
      timestamp: ListOffsetTimestamps.LATEST,
    }));
    const listed = await this.whole((admin) =>
      admin.listOffsets({
        topics: [{ name: topic, partitions }],
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      }),
    );
    const answered = listed.find((t) => t.name === topic)?.partitions ?? [];
    return new Map(answered.map((p) => [p.partitionIndex, p.offset]));
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const group = (await this.whole((admin) => admin.describeGroups({ groups: [groupId] }))).get(groupId);
    return { state: group?.state ?? 'Dead', members: group?.members.size ?? 0 };
  }

  async partitionLeaders(topic: string): Promise<Map<number, number>> {
    const metadata = await explained(this.admin.metadata({ topics: [topic], forceUpdate: true }));
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    return new Map(partitions.map((p, index) => [index, p.leader]));
  }

  async describeCluster(): Promise<{ brokers: number; controllerId: number | null }> {
    const metadata = await explained(this.admin.metadata({ topics: [], forceUpdate: true }));
    return {
      brokers: metadata.brokers.size,
      controllerId: metadata.controllerId < 0 ? null : metadata.controllerId,
    };
  }

  /**
   * A call asked again whole, its coordinator or partition leaders found afresh each time. The client looks them up
   * once per call, then retries those nodes (10 times, about 34 s) even after they died and the group or the
   * partitions moved: the scorer's watchdog (committed and end offsets) went blind for that long whenever such a
   * broker was killed. So these calls go through a client without retries of its own, and retry here, each whole.
   */
  private whole<T>(call: (admin: Admin) => Promise<T>): Promise<T> {
    return explained(retryWholeCall(() => call(this.onceAdmin), this.wholeRetry));
  }

  /** The partition indexes of `topic`, from the cluster's metadata. */
  private async partitions(topic: string): Promise<number[]> {
    const metadata = await explained(this.admin.metadata({ topics: [topic] }));
    const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
    return Array.from({ length: count }, (_, i) => i);
  }
}
