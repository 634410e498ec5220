// The @platformatic/kafka adapter of our Kafka port (../port/kafka-port.ts): this folder is the only code that imports it.
//
// It produces: idempotent and transactional producers, where it costs about half of kafkajs's CPU per record
// (issue #12's micro-benchmarks: 10.8 against 21.2 µs per record on Node 24), and consumes through our own batch
// loop on its group membership and fetches (consumer.ts), not its per-message stream (22.3 µs per
// record against kafkajs eachBatch's 9.2); admin calls go through its Admin (admin.ts).
import {
  compatibilityPartitioner,
  type MessageToProduce,
  Producer,
  type ProducerOptions,
} from '@platformatic/kafka';
import { GroupMovedOnError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { connectionRefusal } from '../common/connection-refusal.js';
import { type SendLayout, sendPerPartition } from '../common/send-per-partition.js';
import { retryBackoffMs } from '../common/whole-call-retry.js';
import type {
  CommittedPosition,
  GroupMetadata,
  KafkaClient,
  ProducerSettings,
  RecordProducer,
  SendOptions,
  TopicRecords,
  Transaction,
  TransactionalProducer,
  TransactionalSettings,
} from '../port/kafka-port.js';
import type { KafkaSettings } from '../port/kafka-settings.js';
import { PlatformaticAdmin } from './admin.js';
import { baseOptions } from './base-options.js';
import { PlatformaticConsumer } from './consumer.js';
import { explained, needsRejoin } from './errors.js';
import { TxnOffsetCommitter } from './txn-offset-commit.js';

type PlatformaticTransaction = Awaited<ReturnType<Producer['beginTransaction']>>;

export function platformaticClient(settings: KafkaSettings, logger: Logger): KafkaClient {
  return {
    name: 'platformatic',
    supportsGroupMetadataFencing: true,
    producer: (options) => new PlatformaticProducer(settings, options),
    transactionalProducer: (id, options) => new PlatformaticTransactionalProducer(settings, id, options),
    admin: () => new PlatformaticAdmin(baseOptions(settings)),
    consumer: (options) => new PlatformaticConsumer(baseOptions(settings), options, logger),
    // The client wraps its AuthenticationError in a retriable NetworkError, and retries it (2.12.1).
    refusal: (err) => connectionRefusal(err, (e) => e.code === 'PLT_KFK_AUTHENTICATION'),
  };
}

function producerOptions(settings: KafkaSettings): ProducerOptions<Buffer, Buffer, Buffer, Buffer> {
  return {
    ...baseOptions(settings),
    acks: -1,
    // murmur2 masked to positive, as the Java client and kafkajs's default: a key lands on the same partition.
    partitioner: compatibilityPartitioner,
  };
}

function toMessages(records: readonly TopicRecords[]): MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] {
  const messages: MessageToProduce<Buffer, Buffer, Buffer, Buffer>[] = [];
  for (const { topic, messages: list } of records) {
    for (const m of list) {
      const out: MessageToProduce<Buffer, Buffer, Buffer, Buffer> = { topic };
      if (m.key !== undefined && m.key !== null)
        out.key = typeof m.key === 'string' ? Buffer.from(m.key) : m.key;
      if (m.value !== null) out.value = typeof m.value === 'string' ? Buffer.from(m.value) : m.value;
      if (m.partition !== undefined) out.partition = m.partition;
      if (m.timestamp !== undefined) out.timestamp = BigInt(m.timestamp);
      if (m.headers !== undefined) {
        const headers = new Map<Buffer, Buffer>();
        for (const [name, value] of Object.entries(m.headers)) {
          // Keys are compared by identity, so a repeated name is one entry per value.
          for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value])
            headers.set(Buffer.from(name), typeof one === 'string' ? Buffer.from(one) : one);
        }
        out.headers = headers;
      }
      messages.push(out);
    }
  }
  return messages;
}

/** The records' partitions, from the client's metadata (it keeps it for a few seconds). */
async function sendLayout(
  producer: Producer<Buffer, Buffer, Buffer, Buffer>,
  records: readonly TopicRecords[],
): Promise<SendLayout> {
  const topics = [...new Set(records.map((r) => r.topic))];
  const metadata = await explained(producer.metadata({ topics }));
  return {
    replicated: topics.some((t) => metadata.topics.get(t)?.partitions.some((p) => p.replicas.length > 1)),
    partitionOf: (topic, message) => {
      const key = typeof message.key === 'string' ? Buffer.from(message.key) : (message.key ?? undefined);
      const partitions = metadata.topics.get(topic)?.partitionsCount ?? 1;
      // The partitioner the producer is given; the client takes it modulo the partition count, as here.
      return compatibilityPartitioner({ topic }, key) % partitions;
    },
  };
}

/**
 * InitProducerId as a new producer (no id, no epoch: -1, as the Java client). The client's default is id 0 epoch 0,
 * which the coordinator takes for a stale epoch of an id already in use: taking over a transactional id (a new owner
 * of a partition, a restarted member) then fails with "a newer producer with the same transactionalId".
 */
const NEW_PRODUCER = { producerId: -1n, producerEpoch: -1 };

class PlatformaticProducer implements RecordProducer {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  private readonly idempotent: boolean;

  constructor(settings: KafkaSettings, options: ProducerSettings = {}) {
    this.idempotent = options.idempotent ?? true;
    this.producer = new Producer({ ...producerOptions(settings), idempotent: this.idempotent });
  }

  /** Registers the producer id (idempotent) or fetches metadata: fails here when the cluster cannot be reached. */
  async connect(): Promise<void> {
    if (this.idempotent) await explained(this.producer.initIdempotentProducer(NEW_PRODUCER));
    else await explained(this.producer.metadata({ topics: [] }));
  }

  async send(records: readonly TopicRecords[], options: SendOptions = {}): Promise<void> {
    const compression = options.compression ?? 'none';
    await sendPerPartition(records, await sendLayout(this.producer, records), (one) =>
      explained(this.producer.send({ messages: toMessages(one), compression })),
    );
  }

  disconnect(): Promise<void> {
    return this.producer.close();
  }
}

/**
 * Transactions through @platformatic/kafka. Offsets are committed with the member's generation and id when the
 * caller passes them (KIP-447: the coordinator refuses a zombie's commit), else as a producer outside the group
 * (generation -1), where only the per-partition transactional id fences a zombie (see ExactlyOnceSink).
 */
class PlatformaticTransactionalProducer implements TransactionalProducer {
  private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>;
  private readonly offsets: TxnOffsetCommitter;

  constructor(settings: KafkaSettings, transactionalId: string, options: TransactionalSettings = {}) {
    const base = producerOptions(settings);
    // The client sends its request timeout as the transaction timeout (InitProducerId): one setting for both.
    const timeout = options.transactionTimeoutMs ?? base.timeout;
    this.producer = new Producer({ ...base, timeout, idempotent: true, transactionalId });
    this.offsets = new TxnOffsetCommitter(this.producer, transactionalId, base, {
      retries: typeof base.retries === 'number' ? base.retries : 10,
      delayMs: retryBackoffMs,
    });
  }

  async connect(): Promise<void> {
    await explained(this.producer.metadata({ topics: [] }));
  }

  async begin(): Promise<Transaction> {
    // The first transaction registers the transactional id (InitProducerId), fencing an earlier producer of it.
    const txn = await explained(this.producer.beginTransaction(NEW_PRODUCER));
    let touched = false;
    return {
      send: async (records) => {
        touched = true;
        await sendPerPartition(records, await sendLayout(this.producer, records), (one) =>
          explained(txn.send({ messages: toMessages(one) })),
        );
      },
      sendOffsets: async (groupId, offsets, member) => {
        touched = true;
        await explained(this.sendOffsets(txn, groupId, offsets, member));
      },
      commit: () => explained(txn.commit()),
      // A transaction with nothing in it was never opened on the broker (EndTxn would be refused): drop it here.
      abort: () => explained(touched ? txn.abort() : txn.cancel()),
    };
  }

  private async sendOffsets(
    txn: PlatformaticTransaction,
    groupId: string,
    offsets: readonly CommittedPosition[],
    member: GroupMetadata | undefined,
  ): Promise<void> {
    if (member !== undefined && member.groupId !== groupId)
      throw new Error(`group metadata of ${member.groupId} given for offsets of group ${groupId}`);
    // AddOffsetsToTxn: the transaction coordinator will write the commit marker to the group's offsets too.
    await txn.addConsumer({ groupId } as never);
    try {
      await this.offsets.commit(groupId, offsets, member);
    } catch (err) {
      if (member !== undefined && needsRejoin(err)) {
        throw new GroupMovedOnError(
          `the group moved past generation ${member.generationId} (member ${member.memberId}) the batch was handed over under: its offsets were refused`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  disconnect(): Promise<void> {
    return this.producer.close();
  }
}
