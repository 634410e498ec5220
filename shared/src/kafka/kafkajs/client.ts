// The kafkajs adapter of our Kafka port (../port/kafka-port.ts): the only file that imports kafkajs (and
// coordinator-unreachable.ts, which wraps one of its internals).
import {
  type Admin,
  AssignerProtocol,
  CompressionTypes,
  type Consumer,
  type EachBatchPayload,
  Kafka,
  type KafkaConfig,
  logLevel,
  type PartitionAssigner,
  Partitioners,
  type Producer,
  type SASLOptions,
  type TopicMessages,
} from 'kafkajs';
import { BrokerError, ConfigError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { CO_PARTITIONED_ASSIGNOR, coPartitionedAssignment } from '../common/co-partitioned-assignment.js';
import { connectionRefusal } from '../common/connection-refusal.js';
import { DEFAULT_MAX_WAIT_MS } from '../common/fetch-wait.js';
import { sendPerPartition } from '../common/send-per-partition.js';
import { DEFAULT_SESSION_TIMEOUT_MS, SessionLease } from '../common/session-lease.js';
import { waitForLeaders } from '../common/wait-for-leaders.js';
import { DEFAULT_RETRIES, retryWholeCall, type WholeCallRetry } from '../common/whole-call-retry.js';
import type {
  BatchConsumer,
  CommittedPosition,
  CompressionName,
  ConsumerEvents,
  ConsumerSettings,
  FetchedBatch,
  GroupDescription,
  KafkaAdmin,
  KafkaClient,
  PartitionOffset,
  ProducerSettings,
  RecordProducer,
  RunOptions,
  SendOptions,
  TopicRecords,
  TopicSpec,
  Transaction,
  TransactionalProducer,
  TransactionalSettings,
} from '../port/kafka-port.js';
import type { KafkaSettings } from '../port/kafka-settings.js';
import { BatchHeartbeats } from './batch-heartbeats.js';
import { rejoinWhenCoordinatorUnreachable } from './coordinator-unreachable.js';
import { SendLayouts } from './send-layouts.js';
import { kafkajsWholeRetry } from './whole-retry.js';

const compressions: Record<CompressionName, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

const levelNames: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs 2's default partitioner: murmur2, as the Java client (passing it also silences the v2 warning). */
const partitioner = Partitioners.DefaultPartitioner;

/** A kafkajs client whose own logs flow into our pino logger (component=kafkajs). */
export function kafkajsClient(settings: KafkaSettings, logger: Logger): KafkaClient {
  rejoinWhenCoordinatorUnreachable();
  const log = logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    requestTimeout: settings.requestTimeoutMs ?? 30000,
    logLevel: logLevel.WARN,
    // Ride out a broker restart (tens of seconds) before a request is reported failed.
    retry: { retries: settings.retries ?? DEFAULT_RETRIES, initialRetryTime: 300, maxRetryTime: 5000 },
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, timestamp: _ts, logger: _name, ...rest } = entry;
        log[levelNames[level] ?? 'info']({ kafkajs: rest }, message);
      },
  };
  if (settings.ssl !== undefined) config.ssl = settings.ssl;
  if (settings.sasl !== undefined) config.sasl = settings.sasl as SASLOptions;
  const kafka = new Kafka(config);
  return {
    name: 'kafkajs',
    supportsGroupMetadataFencing: false,
    producer: (options) => new KafkajsProducer(kafka, options),
    transactionalProducer: (id, options) =>
      new KafkajsTransactionalProducer(kafka, id, options, settings.retries ?? DEFAULT_RETRIES),
    admin: () => new KafkajsAdmin(kafka.admin(), settings.retries ?? DEFAULT_RETRIES),
    consumer: (options) => new KafkajsConsumer(kafka, options),
    refusal: (err) => connectionRefusal(err, (e) => e.name === 'KafkaJSSASLAuthenticationError'),
  };
}

function topicMessages(records: readonly TopicRecords[]): TopicMessages[] {
  // Our records are kafkajs's message shape: they pass through without a copy.
  return records as TopicMessages[];
}

class KafkajsProducer implements RecordProducer {
  private readonly producer: Producer;
  private readonly layouts: SendLayouts;

  constructor(kafka: Kafka, settings: ProducerSettings = {}) {
    this.layouts = new SendLayouts(kafka.admin());
    const idempotent = settings.idempotent ?? true;
    this.producer = kafka.producer({
      idempotent,
      // kafkajs keeps an idempotent producer's order only with one request in flight per broker.
      maxInFlightRequests: idempotent ? 1 : undefined,
      allowAutoTopicCreation: false,
      createPartitioner: partitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async send(records: readonly TopicRecords[], options: SendOptions = {}): Promise<void> {
    const compression = compressions[options.compression ?? 'none'];
    await sendPerPartition(records, await this.layouts.layoutFor(records), async (one) => {
      await this.producer.sendBatch({ topicMessages: topicMessages(one), acks: -1, compression });
    });
  }

  async disconnect(): Promise<void> {
    await this.layouts.disconnect();
    await this.producer.disconnect();
  }
}

class KafkajsTransactionalProducer implements TransactionalProducer {
  private readonly producer: Producer;
  private readonly layouts: SendLayouts;
  private readonly offsetsRetry: WholeCallRetry;

  constructor(
    kafka: Kafka,
    transactionalId: string,
    settings: TransactionalSettings | undefined,
    retries: number,
  ) {
    this.layouts = new SendLayouts(kafka.admin());
    this.offsetsRetry = kafkajsWholeRetry(retries);
    this.producer = kafka.producer({
      transactionalId,
      transactionTimeout: settings?.transactionTimeoutMs,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: partitioner,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async begin(): Promise<Transaction> {
    // kafkajs registers the transactional id (InitProducerId) on the first transaction, not on connect().
    const txn = await this.producer.transaction();
    return {
      send: async (records) => {
        await sendPerPartition(records, await this.layouts.layoutFor(records), async (one) => {
          for (const { topic, messages } of one) await txn.send({ topic, messages, acks: -1 });
        });
      },
      sendOffsets: async (groupId, offsets, member) => {
        // kafkajs's TxnOffsetCommit always sends generation -1: it would drop the fencing silently.
        if (member !== undefined)
          throw new ConfigError(['kafkajs cannot commit offsets with group metadata (KIP-447): pass none']);
        // Asked again whole when the group's coordinator moved (whole-retry.ts): AddOffsetsToTxn and
        // TxnOffsetCommit may be repeated within one transaction.
        const topics = byTopic(offsets);
        await retryWholeCall(() => txn.sendOffsets({ consumerGroupId: groupId, topics }), this.offsetsRetry);
      },
      commit: () => txn.commit(),
      abort: () => txn.abort(),
    };
  }

  async disconnect(): Promise<void> {
    await this.layouts.disconnect();
    await this.producer.disconnect();
  }
}

function byTopic(offsets: readonly CommittedPosition[]) {
  const topics = new Map<string, { partition: number; offset: string; metadata?: string }[]>();
  for (const { topic, partition, offset, metadata } of offsets) {
    const list = topics.get(topic) ?? [];
    list.push(metadata === undefined ? { partition, offset } : { partition, offset, metadata });
    topics.set(topic, list);
  }
  return [...topics].map(([topic, partitions]) => ({ topic, partitions }));
}

class KafkajsAdmin implements KafkaAdmin {
  private readonly admin: Admin;
  /** Offset reads asked again whole (whole-retry.ts). */
  private readonly wholeRetry: WholeCallRetry;

  constructor(admin: Admin, retries: number) {
    this.admin = admin;
    this.wholeRetry = kafkajsWholeRetry(retries);
  }

  connect(): Promise<void> {
    return this.admin.connect();
  }

  disconnect(): Promise<void> {
    return this.admin.disconnect();
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  /** kafkajs's own `waitForLeaders` retries only LEADER_NOT_AVAILABLE and fails on KRaft's metadata lag. */
  async createTopics(specs: readonly TopicSpec[], timeoutMs = 30_000): Promise<boolean> {
    const created = await this.admin.createTopics({ topics: [...specs], waitForLeaders: false });
    await waitForLeaders(
      async (topics) => {
        const metadata = await this.admin.fetchTopicMetadata({ topics });
        return new Map(metadata.topics.map((t) => [t.name, t.partitions.map((p) => p.leader)]));
      },
      specs,
      timeoutMs,
    );
    return created;
  }

  async committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>> {
    const positions = await this.committedPositions(groupId, topic);
    return new Map([...positions].map(([partition, { offset }]) => [partition, offset]));
  }

  async committedPositions(
    groupId: string,
    topic: string,
  ): Promise<Map<number, { offset: bigint; metadata: string | null }>> {
    const [committed] = await retryWholeCall(
      () => this.admin.fetchOffsets({ groupId, topics: [topic] }),
      this.wholeRetry,
    );
    return new Map(
      (committed?.partitions ?? []).map((p) => [
        p.partition,
        { offset: BigInt(p.offset), metadata: p.metadata || null },
      ]),
    );
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const offsets = await retryWholeCall(() => this.admin.fetchTopicOffsets(topic), this.wholeRetry);
    return new Map(offsets.map((p) => [p.partition, BigInt(p.high)]));
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const [group] = (await this.admin.describeGroups([groupId])).groups;
    return { state: group?.state ?? 'Dead', members: group?.members.length ?? 0 };
  }

  async partitionLeaders(topic: string): Promise<Map<number, number>> {
    const metadata = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
    return new Map(partitions.map((p) => [p.partitionId, p.leader]));
  }

  async describeCluster(): Promise<{ brokers: number; controllerId: number | null }> {
    const cluster = await this.admin.describeCluster();
    return { brokers: cluster.brokers.length, controllerId: cluster.controller };
  }
}

/** kafkajs's heartbeat interval where the settings leave it unset. */
const KAFKAJS_HEARTBEAT_INTERVAL_MS = 3000;

class KafkajsConsumer implements BatchConsumer {
  private readonly consumer: Consumer;
  /** When the coordinator last answered a heartbeat or a join (../common/session-lease.ts). */
  private readonly lease: SessionLease;
  private readonly heartbeatIntervalMs: number;

  constructor(kafka: Kafka, settings: ConsumerSettings) {
    if (settings.groupProtocol === 'consumer') {
      throw new ConfigError([
        "groupProtocol 'consumer' (KIP-848) is not spoken by kafkajs: use 'classic', or KAFKA_CLIENT=platformatic",
      ]);
    }
    this.consumer = kafka.consumer({
      groupId: settings.groupId,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      metadataMaxAge: settings.metadataMaxAgeMs,
      readUncommitted: settings.readCommitted === false,
      minBytes: settings.minBytes,
      maxWaitTimeInMs: settings.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      allowAutoTopicCreation: false,
      ...(settings.assignment === 'co-partitioned' ? { partitionAssigners: [coPartitionedAssigner] } : {}),
    });
    this.lease = new SessionLease(settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS);
    this.heartbeatIntervalMs = settings.heartbeatIntervalMs ?? KAFKAJS_HEARTBEAT_INTERVAL_MS;
    const { HEARTBEAT, GROUP_JOIN } = this.consumer.events;
    this.consumer.on(HEARTBEAT, () => this.lease.renew());
    this.consumer.on(GROUP_JOIN, () => this.lease.renew());
  }

  connect(): Promise<void> {
    return this.consumer.connect();
  }

  subscribe(topic: string, options: { fromBeginning?: boolean } = {}): Promise<void> {
    return this.consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
  }

  run(options: RunOptions): Promise<void> {
    this.lease.renew();
    // Positions move by resolveOffset alone and commits happen by commit() alone (the port's shape).
    return this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency ?? 1,
      eachBatch: async (payload) => {
        // kafkajs hands over what it fetched before checking the membership. A heartbeat first, when one is due (kafkajs
        // sends one only once the interval has passed since the last): a member frozen past its session learns of the
        // rebalance, and a member whose coordinator died finds out (coordinator-unreachable.ts); either error ends the
        // batch unresolved, and kafkajs rejoins.
        await payload.heartbeat();
        const beats = new BatchHeartbeats(payload.heartbeat, this.heartbeatIntervalMs);
        try {
          await options.eachBatch(fetchedBatch(payload, this.lease, beats));
        } catch (err) {
          beats.cancel();
          throw err;
        }
        await beats.end();
      },
    });
  }

  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerEvents[E]): () => void {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = this.consumer.events;
    switch (event) {
      case 'joined': {
        const joined = listener as ConsumerEvents['joined'];
        return this.consumer.on(GROUP_JOIN, (e) => joined({ ...e.payload.memberAssignment }));
      }
      case 'rebalancing':
        return this.consumer.on(REBALANCING, () => (listener as ConsumerEvents['rebalancing'])());
      case 'crashed': {
        const crashed = listener as ConsumerEvents['crashed'];
        return this.consumer.on(CRASH, (e) => crashed(e.payload.error, e.payload.restart));
      }
      default:
        return this.consumer.on(STOP, () => (listener as ConsumerEvents['stopped'])());
    }
  }

  pause(topic: string): void {
    this.consumer.pause([{ topic }]);
  }

  seek(topic: string, partition: number, offset: string): void {
    this.consumer.seek({ topic, partition, offset });
  }

  /**
   * kafkajs resolves commitOffsets without committing anything when its runner is not running (runner.js
   * commitOffsets: a debug line only), which it is not while it restarts after a crash, e.g. a broker restart.
   * Only the COMMIT_OFFSETS event says a commit happened; without it the commit is reported failed.
   */
  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    let committed = false;
    const off = this.consumer.on(this.consumer.events.COMMIT_OFFSETS, () => {
      committed = true;
    });
    try {
      await this.consumer.commitOffsets([...offsets]);
    } catch (err) {
      // e.g. "consumer#run must be called first" after stop(): the port's callers match on BrokerError.
      throw new BrokerError(`the commit failed: ${(err as Error).message}`, { cause: err });
    } finally {
      off();
    }
    if (!committed) throw new BrokerError('kafkajs skipped the commit: consumer not running');
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** coPartitionedAssignment in kafkajs's assigner shape (the group leader runs it). */
const coPartitionedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: CO_PARTITIONED_ASSIGNOR,
  version: 0,
  async assign({ members, topics }) {
    const counts = new Map(topics.map((topic) => [topic, cluster.findTopicPartitionMetadata(topic).length]));
    const assignment = coPartitionedAssignment(
      members.map((m) => m.memberId),
      counts,
    );
    return [...assignment].map(([memberId, owned]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: Object.fromEntries(owned),
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: CO_PARTITIONED_ASSIGNOR,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});

function fetchedBatch(payload: EachBatchPayload, lease: SessionLease, beats: BatchHeartbeats): FetchedBatch {
  const { batch } = payload;
  return {
    topic: batch.topic,
    partition: batch.partition,
    messages: batch.messages,
    lag: () => BigInt(batch.offsetLag()),
    resolveOffset: payload.resolveOffset,
    isRunning: payload.isRunning,
    isStale: () => payload.isStale() || lease.lapsed() || beats.failed,
  };
}
