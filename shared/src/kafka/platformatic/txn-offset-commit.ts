// A transaction's consumed offsets (TxnOffsetCommit, KIP-98/447), sent on the producer's own connections instead of
// through the client's Transaction.addOffset.
//
// addOffset is given the group coordinator's node id and retries that node (10 times, about 34 s) even after it died
// or handed the group over: on a cluster, every exactly-once member stalled that long whenever the group's
// coordinator moved (chaos: 42 s after a coordinator kill, 28–30 s for two steps of a rolling restart), longer than
// the stall watchdog's period. Here each attempt finds the coordinator afresh, and a failed attempt is retried whole.
import {
  Admin,
  FindCoordinatorKeyTypes,
  type Producer,
  txnOffsetCommitV3,
  txnOffsetCommitV4,
} from '@platformatic/kafka';
import { BrokerError } from '../../errors.js';
import { retryWholeCall, type WholeCallRetry } from '../common/whole-call-retry.js';
import type { CommittedPosition, GroupMetadata } from '../port/kafka-port.js';
import { retriable } from './errors.js';

type Client = Producer<Buffer, Buffer, Buffer, Buffer>;
type Connection = Awaited<ReturnType<Client['connections']['get']>>;
type Topics = txnOffsetCommitV4.TxnOffsetCommitRequestTopic[];
type Commit = (
  connection: Connection,
  transactionalId: string,
  groupId: string,
  producerId: bigint,
  producerEpoch: number,
  generationId: number,
  memberId: string,
  topics: Topics,
) => Promise<unknown>;

/** The TxnOffsetCommit versions with the member's generation and id (v3, KIP-447) that the client implements. */
const COMMITS: readonly [number, Commit][] = [
  [
    4,
    (c, id, group, pid, epoch, gen, member, topics) =>
      txnOffsetCommitV4.api.async(c, id, group, pid, epoch, gen, member, null, topics),
  ],
  [
    3,
    (c, id, group, pid, epoch, gen, member, topics) =>
      txnOffsetCommitV3.api.async(c, id, group, pid, epoch, gen, member, null, topics),
  ],
];

/** The group's coordinator is not among the brokers the client knows: it died; a new lookup finds its successor. */
class CoordinatorGoneError extends Error {
  readonly canRetry = true;
}

/** Commits offsets inside the transactions of one transactional producer, to each group's current coordinator. */
export class TxnOffsetCommitter {
  private readonly producer: Client;
  private readonly transactionalId: string;
  private readonly adminOptions: ConstructorParameters<typeof Admin>[0];
  private readonly retry: WholeCallRetry;
  /** Group coordinators by group id: looked up once, again after a failed attempt. */
  private readonly coordinators = new Map<string, number>();
  private negotiated: Promise<Commit> | undefined;

  constructor(
    producer: Client,
    transactionalId: string,
    adminOptions: ConstructorParameters<typeof Admin>[0],
    retry: Omit<WholeCallRetry, 'retriable'>,
  ) {
    this.producer = producer;
    this.transactionalId = transactionalId;
    this.adminOptions = adminOptions;
    this.retry = { ...retry, retriable };
  }

  /**
   * Commits `offsets` (each the next offset to consume) in the producer's open transaction, with the member's
   * generation and id when given (the coordinator refuses a zombie's commit), else as a producer outside the group.
   */
  commit(
    groupId: string,
    offsets: readonly CommittedPosition[],
    member: GroupMetadata | undefined,
  ): Promise<void> {
    const topics = byTopic(offsets);
    return retryWholeCall(() => this.commitOnce(groupId, topics, member), this.retry);
  }

  private async commitOnce(
    groupId: string,
    topics: Topics,
    member: GroupMetadata | undefined,
  ): Promise<void> {
    const { producerId, producerEpoch } = this.producer;
    if (producerId === undefined || producerEpoch === undefined)
      throw new BrokerError('offsets sent before the transactional id was initialised');
    const coordinatorId = await this.coordinator(groupId);
    try {
      const broker = await this.broker(coordinatorId);
      if (broker === undefined)
        throw new CoordinatorGoneError(
          `group ${groupId}'s coordinator ${coordinatorId} is not a live broker`,
        );
      const send = await this.versioned();
      const connection = await this.producer.connections.get(broker);
      const generationId = member?.generationId ?? -1;
      const memberId = member?.memberId ?? '';
      await send(
        connection,
        this.transactionalId,
        groupId,
        producerId,
        producerEpoch,
        generationId,
        memberId,
        topics,
      );
    } catch (err) {
      this.coordinators.delete(groupId);
      throw err;
    }
  }

  /**
   * The coordinator's address from the producer's metadata, fetched again when it is not there: the cache may date
   * from while that broker was down (a rolling restart's earlier step).
   */
  private async broker(nodeId: number) {
    const cached = (await this.producer.metadata({ topics: [] })).brokers.get(nodeId);
    if (cached !== undefined) return cached;
    return (await this.producer.metadata({ topics: [], forceUpdate: true })).brokers.get(nodeId);
  }

  private async coordinator(groupId: string): Promise<number> {
    const known = this.coordinators.get(groupId);
    if (known !== undefined) return known;
    // No retries of its own: a failed lookup fails this attempt, which `commit` retries whole.
    const admin = new Admin({ ...this.adminOptions, retries: 0 });
    try {
      const [found] = await admin.findCoordinator({
        keyType: FindCoordinatorKeyTypes.GROUP,
        keys: [groupId],
      });
      if (found === undefined) throw new CoordinatorGoneError(`no coordinator for group ${groupId}`);
      this.coordinators.set(groupId, found.nodeId);
      return found.nodeId;
    } finally {
      await admin.close();
    }
  }

  /** The newest TxnOffsetCommit with generation fencing that both the broker and the client speak. */
  private versioned(): Promise<Commit> {
    this.negotiated ??= this.producer.listApis().then((apis) => {
      const max = apis.find((api) => api.name === 'TxnOffsetCommit')?.maxVersion ?? -1;
      const found = COMMITS.find(([version]) => version <= max);
      if (found === undefined)
        throw new BrokerError(
          `the broker's TxnOffsetCommit (v${max}) has no group generation (v3, Kafka 2.5)`,
        );
      return found[1];
    });
    this.negotiated.catch(() => {
      this.negotiated = undefined;
    });
    return this.negotiated;
  }
}

/** The request's topics: each partition's next offset to consume and its metadata; the leader epoch left unknown (-1). */
function byTopic(offsets: readonly CommittedPosition[]): Topics {
  const topics = new Map<string, Topics[number]['partitions']>();
  for (const { topic, partition, offset, metadata } of offsets) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({
      partitionIndex: partition,
      committedOffset: BigInt(offset),
      committedLeaderEpoch: -1,
      committedMetadata: metadata ?? null,
    });
    topics.set(topic, partitions);
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}
