// Our Kafka port: the few calls the product, its tests, chaos and bench make, in our own types. A client is named
// only by its adapter (kafkajs/, platformatic/); everything else speaks these interfaces.

/** Compression codecs a producer can be asked for. */
export const CompressionNames = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionName = (typeof CompressionNames)[number];

/** The clients behind the port, selected with KAFKA_CLIENT. */
export const KafkaClientNames = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KafkaClientNames)[number];
/**
 * The client where KAFKA_CLIENT is unset, picked by the bench and the long chaos profile (README, "Kafka clients"):
 * @platformatic/kafka costs ~12 % less CPU per ride than kafkajs in the pipeline and lost nothing under any fault.
 */
export const DEFAULT_KAFKA_CLIENT: KafkaClientName = 'platformatic';

/** Consumer-group protocols: the classic JoinGroup/SyncGroup one, and KIP-848's ('consumer'). */
export const GroupProtocols = ['classic', 'consumer'] as const;
export type GroupProtocol = (typeof GroupProtocols)[number];

/** Header values (a name can repeat). */
export type RecordHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

/** A record to produce. Without `partition`, the key picks it (murmur2, as the Java client). */
export interface OutRecord {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: RecordHeaders;
  /** Epoch ms as a string; unset, the producer's clock. */
  timestamp?: string;
  partition?: number;
}

export interface TopicRecords {
  topic: string;
  messages: OutRecord[];
}

/** A fetched record. Offsets and timestamps are decimal strings, as the batch consumer hands them over. */
export interface InRecord {
  offset: string;
  /** Broker or producer timestamp, epoch ms. */
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeaders;
}

/** A consumed position to commit: the next offset to read. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * An offset committed inside a transaction, with the consumer's own note about that position: stored with the offset
 * and read back by KafkaAdmin.committedPositions (Kafka Streams keeps a partition's stream time there).
 */
export interface CommittedPosition extends PartitionOffset {
  metadata?: string;
}

export interface SendOptions {
  compression?: CompressionName;
}

/** Every producer we make waits for all in-sync replicas (acks=all) and never creates topics. */
export interface RecordProducer {
  connect(): Promise<void>;
  /** Resolves once the broker acknowledged every record. */
  send(records: readonly TopicRecords[], options?: SendOptions): Promise<void>;
  disconnect(): Promise<void>;
}

export interface ProducerSettings {
  /** KIP-98 idempotence: ordered, no duplicates from the producer's own retries (default true). */
  idempotent?: boolean;
}

export interface TransactionalSettings {
  /**
   * How long the coordinator lets a transaction stay open before it aborts it (transaction.timeout.ms): what a
   * producer that died or froze mid-transaction costs whoever waits for that transaction to end.
   */
  transactionTimeoutMs?: number;
}

/** A producer with a transactional.id; one transaction at a time. */
export interface TransactionalProducer {
  connect(): Promise<void>;
  /**
   * Opens a transaction. The first one registers the transactional id with the coordinator (InitProducerId), which
   * fences an earlier producer of the same id: its open transaction is aborted, or its ending commit completes.
   */
  begin(): Promise<Transaction>;
  disconnect(): Promise<void>;
}

/**
 * A group member's identity at one generation (KIP-447), from BatchConsumer.groupMetadata. Offsets committed in a
 * transaction with it are accepted only while the member still holds that generation: a zombie (a member the group
 * moved on from, whose partitions another member now owns) is fenced by the coordinator (ILLEGAL_GENERATION), not
 * only by a per-partition transactional id.
 */
export interface GroupMetadata {
  groupId: string;
  generationId: number;
  memberId: string;
}

export interface Transaction {
  send(records: readonly TopicRecords[]): Promise<void>;
  /**
   * Commits the group's consumed offsets with the transaction (TxnOffsetCommit). Without `member`, as a producer
   * outside the group (generation -1): nothing fences a zombie but its transactional id. With `member` (KIP-447),
   * the commit is stamped with its generation and member id and refused once the group moved past them; only a
   * client whose `supportsGroupMetadataFencing` is true honours it (kafkajs throws when given one).
   */
  sendOffsets(groupId: string, offsets: readonly CommittedPosition[], member?: GroupMetadata): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
}

export interface GroupDescription {
  /** The coordinator's state name, e.g. Stable, Empty, Dead. */
  state: string;
  members: number;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  /**
   * Creates the topics that are missing and waits until every partition has a leader. Returns false when every
   * topic already existed.
   */
  createTopics(specs: readonly TopicSpec[], timeoutMs?: number): Promise<boolean>;
  /** The group's committed offset per partition of `topic`; -1 where it has none. */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint>>;
  /**
   * The group's committed offset and its metadata per partition of `topic`: offset -1 where none was committed,
   * metadata null where none was given (brokers keep that as '').
   */
  committedPositions(
    groupId: string,
    topic: string,
  ): Promise<Map<number, { offset: bigint; metadata: string | null }>>;
  /** The end offset per partition of `topic` as a read_committed consumer sees it: the last stable offset (the high
   * watermark where no transaction is open). */
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  describeGroup(groupId: string): Promise<GroupDescription>;
  /**
   * The node id leading each partition of `topic`. Fails (after the client's retries) while a partition has no
   * leader: both clients treat the broker's LEADER_NOT_AVAILABLE as retriable.
   */
  partitionLeaders(topic: string): Promise<Map<number, number>>;
  /** The brokers the cluster reports and its controller (null until one is elected); fails when none answers. */
  describeCluster(): Promise<{ brokers: number; controllerId: number | null }>;
}

export interface ConsumerSettings {
  groupId: string;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxBytesPerPartition?: number;
  /** How often cluster metadata is refreshed (bounds how long a partition with a moved leader goes unfetched). */
  metadataMaxAgeMs?: number;
  /** Default true: transactions' aborted records and open ones' are not handed over. */
  readCommitted?: boolean;
  minBytes?: number;
  maxWaitMs?: number;
  /**
   * The group protocol: 'classic' (the default: JoinGroup/SyncGroup, the members assign) or 'consumer' (KIP-848:
   * the coordinator assigns and rebalances incrementally; Apache Kafka 4.0+). kafkajs speaks only 'classic' and
   * refuses 'consumer' with a ConfigError; the coordinator owns session timeout and heartbeat interval there.
   */
  groupProtocol?: GroupProtocol;
  /**
   * 'co-partitioned': partition k of every subscribed topic goes to the same member, so a member joining topics keyed
   * alike (same key, same partition count) holds both sides of each join (../common/co-partitioned-assignment.ts;
   * under 'consumer', the coordinator's range assignor). Unset: the client's own assignor.
   */
  assignment?: 'co-partitioned';
}

/**
 * One partition's fetched records, handed to `eachBatch`. The client keeps the group membership alive while a batch
 * is handled, however long it takes (heartbeats are the adapter's, never the caller's).
 */
export interface FetchedBatch {
  topic: string;
  partition: number;
  messages: InRecord[];
  /** Records between the batch's last offset and the partition's high watermark. */
  lag(): bigint;
  /**
   * Marks records up to and including `offset` consumed: the next fetch starts after it. The only way a position
   * moves (besides `seek`): a batch returned unresolved is fetched again.
   */
  resolveOffset(offset: string): void;
  isRunning(): boolean;
  /** True when a rebalance or seek made this batch's position obsolete. */
  isStale(): boolean;
}

export interface RunOptions {
  eachBatch(batch: FetchedBatch): Promise<void>;
  /** Partitions processed at the same time (default 1). */
  concurrency?: number;
}

export interface ConsumerEvents {
  /** A group join; `assignment` lists this member's partitions by topic. */
  joined: (assignment: Record<string, number[]>) => void;
  rebalancing: () => void;
  /** The client's run loop failed; `restart` says whether the client runs it again itself. */
  crashed: (error: Error, restart: boolean) => void;
  stopped: () => void;
}

/** A consumer-group member that hands over fetched records partition batch by partition batch. */
export interface BatchConsumer {
  connect(): Promise<void>;
  subscribe(topic: string, options?: { fromBeginning?: boolean }): Promise<void>;
  /** Starts the fetch loop; resolves once it runs. */
  run(options: RunOptions): Promise<void>;
  /** Subscribes to an event; returns the unsubscribe. */
  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerEvents[E]): () => void;
  pause(topic: string): void;
  /** The partition's next fetch starts at `offset`. Throws when the loop is not running. */
  seek(topic: string, partition: number, offset: string): void;
  /** Commits positions; rejects (BrokerError) when the commit did not happen. */
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  /** Stops the fetch loop and leaves the group; the consumer can run again. */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
  /**
   * KIP-447: this member's group generation and member id while it runs, for Transaction.sendOffsets. Undefined
   * when it is not in the group, and always where the client does not expose them (kafkajs; the consumer protocol
   * of @platformatic/kafka, which keeps its member epoch private). Read it for every transaction: a rejoin
   * changes it. Optional so that fakes of the port need not implement it.
   */
  groupMetadata?(): GroupMetadata | undefined;
}

/** Why a cluster refused a connection for good: retrying with the same settings cannot help. */
export type ConnectionRefusal = 'authentication' | 'tls';

/** The entry to one cluster through one client. */
export interface KafkaClient {
  readonly name: KafkaClientName;
  /**
   * True when this client's consumers report groupMetadata (classic protocol) and its transactions commit offsets
   * with it (KIP-447), so an exactly-once sink can rely on the coordinator fencing a zombie by generation.
   * False or absent (kafkajs): pass no metadata to sendOffsets; fence by transactional id per partition.
   */
  readonly supportsGroupMetadataFencing?: boolean;
  producer(settings?: ProducerSettings): RecordProducer;
  transactionalProducer(transactionalId: string, settings?: TransactionalSettings): TransactionalProducer;
  admin(): KafkaAdmin;
  consumer(settings: ConsumerSettings): BatchConsumer;
  /**
   * Why a failure of this client means the cluster refused the connection for good (bad SASL credentials, a
   * certificate not trusted), or undefined for any other failure (one a retry may cure).
   */
  refusal(err: unknown): ConnectionRefusal | undefined;
}
