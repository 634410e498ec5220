// The committed offsets a member starts its partitions from, read with OffsetFetch's require_stable (KIP-447).
//
// Offsets a transaction adds (TxnOffsetCommit) stay pending until it ends, and a plain OffsetFetch answers with the
// older offset meanwhile: a member taking over a partition whose offsets another transaction is committing would
// read again what that transaction is about to commit. With require_stable the coordinator answers
// UNSTABLE_OFFSET_COMMIT instead, and we ask again until the transaction is committed or aborted.
import {
  type Consumer,
  GenericError,
  offsetFetchV7,
  offsetFetchV8,
  offsetFetchV9,
  ResponseError,
} from '@platformatic/kafka';
import { BrokerError } from '../../errors.js';

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;
type Connection = Awaited<ReturnType<Client['connections']['get']>>;
type ResponseGroup = offsetFetchV9.OffsetFetchResponseGroup;

export interface TopicPartitions {
  topic: string;
  partitions: readonly number[];
}

/** Committed offsets by `topic:partition`; -1 where the group has none. */
export type CommittedOffsets = Map<string, bigint>;

/** A transaction that added offsets for the partition is still open (KIP-447). */
export const UNSTABLE_OFFSET_COMMIT = 88;
/** The coordinator is loading or moving: COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR. */
const COORDINATOR_MOVING = new Set([14, 15, 16]);
const COORDINATOR_NOT_AVAILABLE = 15;

export interface StableReadOptions {
  /** How long to wait for open transactions before failing: above a transaction's default timeout (60 s). */
  deadlineMs: number;
  /** The first pause between two attempts; it doubles up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const STABLE_READ_DEFAULTS: StableReadOptions = {
  deadlineMs: 120_000,
  backoffMs: 50,
  maxBackoffMs: 1000,
};

/** One stable OffsetFetch of the group's partitions, as the group's answer (v7's flat answer made one). */
type StableFetch = (
  connection: Connection,
  group: offsetFetchV9.OffsetFetchRequestGroup,
) => Promise<ResponseGroup>;

/** The request of each OffsetFetch version with require_stable (v7+) that the client implements, newest first. */
const STABLE_FETCHES: readonly [number, StableFetch][] = [
  [9, async (c, group) => firstGroup(await answer(offsetFetchV9.api.async(c, [group], true)), group)],
  [8, async (c, group) => firstGroup(await answer(offsetFetchV8.api.async(c, [group], true)), group)],
  [
    7,
    async (c, group) => {
      const r = await answer(offsetFetchV7.api.async(c, [group], true));
      return { groupId: group.groupId, topics: r.topics, errorCode: r.errorCode };
    },
  ],
];

/** The client throws a response with an error code in it; the codes are ours to judge. */
async function answer<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (err) {
    const response = err instanceof ResponseError ? (err as { response?: T }).response : undefined;
    if (response === undefined) throw err;
    return response;
  }
}

function firstGroup(response: { groups: ResponseGroup[] }, group: { groupId: string }): ResponseGroup {
  return response.groups[0] ?? { groupId: group.groupId, topics: [], errorCode: COORDINATOR_NOT_AVAILABLE };
}

/** The offsets of a stable answer, or why it must be asked again; an error no retry can cure throws. */
export function stableOffsets(
  group: ResponseGroup,
  wanted: readonly TopicPartitions[],
): { offsets: CommittedOffsets } | { retry: string } {
  if (COORDINATOR_MOVING.has(group.errorCode)) return { retry: `coordinator error ${group.errorCode}` };
  if (group.errorCode !== 0)
    throw new BrokerError(`reading committed offsets failed: error ${group.errorCode}`);
  const offsets: CommittedOffsets = new Map();
  const unstable: string[] = [];
  for (const topic of group.topics) {
    for (const p of topic.partitions) {
      const key = `${topic.name}:${p.partitionIndex}`;
      if (p.errorCode === UNSTABLE_OFFSET_COMMIT) unstable.push(key);
      else if (p.errorCode !== 0)
        throw new BrokerError(`reading the committed offset of ${key} failed: error ${p.errorCode}`);
      else offsets.set(key, p.committedOffset);
    }
  }
  if (unstable.length > 0) return { retry: `open transactions commit offsets of ${unstable.join(', ')}` };
  for (const { topic, partitions } of wanted)
    for (const partition of partitions)
      if (!offsets.has(`${topic}:${partition}`)) return { retry: `no answer for ${topic}:${partition}` };
  return { offsets };
}

/**
 * Asks `fetch` until the answer is stable, pausing `backoffMs` (doubling) between attempts; fails with a
 * BrokerError once `deadlineMs` passed, or at once when `abandoned` (the session stopped).
 */
export async function readStable(
  fetch: () => Promise<ResponseGroup>,
  wanted: readonly TopicPartitions[],
  abandoned: () => boolean,
  options: StableReadOptions = STABLE_READ_DEFAULTS,
): Promise<CommittedOffsets> {
  const deadline = Date.now() + options.deadlineMs;
  let backoff = options.backoffMs;
  for (;;) {
    let outcome: ReturnType<typeof stableOffsets>;
    try {
      outcome = stableOffsets(await fetch(), wanted);
    } catch (err) {
      if (err instanceof BrokerError || !(GenericError.isGenericError(err as Error) && canRetry(err))) {
        throw err instanceof BrokerError
          ? err
          : new BrokerError(`reading committed offsets failed: ${(err as Error).message}`, { cause: err });
      }
      outcome = { retry: (err as Error).message };
    }
    if ('offsets' in outcome) return outcome.offsets;
    if (abandoned()) throw new BrokerError('the consumer stopped while reading committed offsets');
    if (Date.now() + backoff > deadline) {
      throw new BrokerError(
        `committed offsets still not stable after ${options.deadlineMs} ms: ${outcome.retry}`,
        {
          details: { reason: outcome.retry },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, backoff));
    backoff = Math.min(backoff * 2, options.maxBackoffMs);
  }
}

function canRetry(err: unknown): boolean {
  const e = err as { canRetry?: boolean; errors?: unknown[] };
  return e.canRetry === true || (e.errors ?? []).some(canRetry);
}

/** Reads a group's committed offsets stable, from the coordinator the client's membership found. */
export class CommittedOffsetsReader {
  private readonly client: Client;
  private readonly groupId: string;
  private readonly options: StableReadOptions;
  private negotiated: Promise<StableFetch> | undefined;

  constructor(client: Client, groupId: string, options: StableReadOptions = STABLE_READ_DEFAULTS) {
    this.client = client;
    this.groupId = groupId;
    this.options = options;
  }

  read(wanted: readonly TopicPartitions[], abandoned: () => boolean): Promise<CommittedOffsets> {
    return readStable(() => this.fetchOnce(wanted), wanted, abandoned, this.options);
  }

  private async fetchOnce(wanted: readonly TopicPartitions[]): Promise<ResponseGroup> {
    const fetch = await this.stableFetch();
    const coordinatorId = this.client.coordinatorId;
    const broker =
      coordinatorId === null
        ? undefined
        : (await this.client.metadata({ topics: [] })).brokers.get(coordinatorId);
    // The membership finds the coordinator again (its heartbeat) after it moved.
    if (broker === undefined)
      return { groupId: this.groupId, topics: [], errorCode: COORDINATOR_NOT_AVAILABLE };
    const connection = await this.client.connections.get(broker);
    // No member id nor epoch: a read, checked against no generation (the consumer protocol's epoch is private).
    return fetch(connection, {
      groupId: this.groupId,
      memberId: null,
      memberEpoch: -1,
      topics: wanted.map(({ topic, partitions }) => ({ name: topic, partitionIndexes: [...partitions] })),
    });
  }

  /** The newest OffsetFetch with require_stable that both the broker and the client speak. */
  private stableFetch(): Promise<StableFetch> {
    this.negotiated ??= this.client.listApis().then((apis) => {
      const max = apis.find((api) => api.name === 'OffsetFetch')?.maxVersion ?? -1;
      const found = STABLE_FETCHES.find(([version]) => version <= max);
      if (found === undefined)
        throw new BrokerError(`the broker's OffsetFetch (v${max}) has no require_stable (v7, Kafka 2.5)`);
      return found[1];
    });
    this.negotiated.catch(() => {
      this.negotiated = undefined;
    });
    return this.negotiated;
  }
}
