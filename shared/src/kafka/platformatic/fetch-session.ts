// One run of the platformatic consumer (consumer.ts): the group membership, the positions it reads
// from, the fetch loop and the batches handed to eachBatch.
import {
  type BaseOptions,
  ConnectionPool,
  Consumer,
  ListOffsetTimestamps,
  type MessagesStream,
} from '@platformatic/kafka';
import { BrokerError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { closeUntilClosed } from '../common/close-until-closed.js';
import { DEFAULT_SESSION_TIMEOUT_MS, SessionLease } from '../common/session-lease.js';
import type {
  ConsumerEvents,
  ConsumerSettings,
  GroupMetadata,
  PartitionOffset,
  RunOptions,
} from '../port/kafka-port.js';
import { CommittedOffsetsReader } from './committed-offsets.js';
import { consumerOptions } from './consumer-options.js';
import { type FetchRequestTopic, leaderFetches } from './leader-fetches.js';
import { handedBatch, type Job, type Owned } from './owned-partition.js';
import { batchRecords } from './record-batches.js';

/** Kafka's OFFSET_OUT_OF_RANGE error code: the position fell off the log (retention) or past its end. */
const OFFSET_OUT_OF_RANGE = 1;

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;
type FetchResponse = Awaited<ReturnType<Client['fetch']>>;

export interface SessionHooks {
  emit<E extends keyof ConsumerEvents>(event: E, ...args: Parameters<ConsumerEvents[E]>): void;
  /** The session failed; `restart` when running it again may help. */
  crashed(error: Error, restart: boolean): void;
}

/** One run of the consumer: a group membership, the positions it reads from and the fetch loop. */
export class FetchSession {
  private readonly client: Client;
  private readonly fetchPool: ConnectionPool;
  private readonly committedOffsets: CommittedOffsetsReader;
  private readonly settings: ConsumerSettings;
  private readonly run: RunOptions;
  private readonly subscriptions: ReadonlyMap<string, boolean>;
  private readonly hooks: SessionHooks;
  private readonly log: Logger;
  private readonly classic: boolean;
  private readonly concurrency: number;
  private anchor: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  private owned = new Map<string, Owned>();
  private assignmentKey = '';
  /** Classic protocol, between a rebalance's start and the join that ends it: nothing is fetched or handed over. */
  private rebalancing = false;
  /** See groupMetadata. */
  private adopted: GroupMetadata | undefined;
  /** Partitions a fetch or a batch holds: never two at once for one partition, across assignments too. */
  private readonly busy = new Set<string>();
  private readonly fetchingNodes = new Set<number>();
  private readonly queue: Job[] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly paused = new Set<string>();
  private readonly seeks = new Map<string, bigint>();
  /** Classic protocol: when the coordinator last answered (../common/session-lease.ts); nothing is handed over past it. */
  private readonly lease: SessionLease;
  private lapseReported = false;
  private running = false;
  private wake: () => void = () => {};
  private loopDone: Promise<void> = Promise.resolve();

  constructor(
    base: BaseOptions,
    settings: ConsumerSettings,
    run: RunOptions,
    subscriptions: ReadonlyMap<string, boolean>,
    hooks: SessionHooks,
    log: Logger,
  ) {
    this.settings = settings;
    this.run = run;
    this.subscriptions = subscriptions;
    this.hooks = hooks;
    this.log = log;
    this.classic = settings.groupProtocol !== 'consumer';
    this.lease = new SessionLease(settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS);
    this.concurrency = Math.max(1, run.concurrency ?? 1);
    this.client = new Consumer(consumerOptions(base, settings));
    // Fetches long-poll (maxWaitMs): on the group's connection they would hold heartbeats and commits behind them.
    this.fetchPool = new ConnectionPool(base.clientId, base);
    this.committedOffsets = new CommittedOffsetsReader(this.client, settings.groupId);
    this.client.on('consumer:group:join', () => {
      if (!this.classic) return;
      this.answered();
      this.adopt(true);
    });
    this.client.on('consumer:group:rebalance', () => this.onRebalance());
    this.client.on('consumer:heartbeat:end', () => {
      if (this.classic) this.answered();
      else this.adopt(false);
    });
    this.client.on('error', (err: Error) => this.fail(err, true));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Joins the group (the client's consume), then runs the fetch loop in the background. */
  async start(): Promise<void> {
    this.running = true;
    this.lease.renew();
    const anchor = await this.client.consume({ topics: [...this.subscriptions.keys()], autocommit: false });
    anchor.on('error', (err: Error) => this.fail(err, true));
    this.anchor = anchor;
    if (!this.classic) this.adopt(false);
    this.loopDone = this.loop();
  }

  /**
   * The generation and member id the current assignment was adopted under, not the client's live ones: a member
   * fenced while it was stopped rejoins inside the client (new member id, new generation) before its next join
   * event hands over the new assignment, and a batch of a partition it no longer owns, handed over in between, must
   * carry the old generation so the coordinator refuses its offsets (the classic coordinator checks the generation
   * and member id, not who owns the partition).
   */
  groupMetadata(): GroupMetadata | undefined {
    // The consumer protocol's member epoch (its generation) is private to the client: no KIP-447 metadata there.
    if (!this.running || !this.classic) return undefined;
    return this.adopted;
  }

  pause(topic: string): void {
    this.paused.add(topic);
  }

  seek(topic: string, partition: number, offset: string): void {
    const key = `${topic}:${partition}`;
    const owned = this.owned.get(key);
    if (owned?.position === undefined) {
      this.seeks.set(key, BigInt(offset));
      return;
    }
    owned.position = BigInt(offset);
    owned.epoch += 1;
    this.wake();
  }

  commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (!this.running)
      return Promise.reject(new BrokerError('the consumer is not running: nothing was committed'));
    return this.commitNow(offsets);
  }

  private async commitNow(offsets: readonly PartitionOffset[]): Promise<void> {
    try {
      await this.client.commit({
        offsets: offsets.map((o) => ({ ...o, offset: BigInt(o.offset), leaderEpoch: -1 })),
      });
    } catch (err) {
      throw new BrokerError(`the commit failed: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Ends the loop, lets the batches in flight finish and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.allSettled([...this.active]);
    await this.anchor?.close().catch(() => undefined);
    await closeUntilClosed(() => this.client.close(), this.log);
    await this.fetchPool.close().catch(() => undefined);
  }

  private fail(err: Error, restart: boolean): void {
    if (!this.running) return;
    this.hooks.crashed(err, restart);
  }

  /** The coordinator answered a heartbeat or a join: a member whose session had lapsed goes on. */
  private answered(): void {
    if (!this.lease.renew()) return;
    this.lapseReported = false;
    this.log.info('the group coordinator answered again: fetching and handing over resume');
    this.wake();
  }

  /** Classic protocol: no answer from the coordinator for longer than the session timeout (../common/session-lease.ts). */
  private lapsed(): boolean {
    if (!this.classic || !this.lease.lapsed()) return false;
    if (!this.lapseReported) {
      this.lapseReported = true;
      this.log.warn(
        { silentMs: this.lease.silentMs() },
        'no answer from the group coordinator within the session timeout: this member may be fenced, so it hands over nothing until the coordinator answers',
      );
    }
    return true;
  }

  private onRebalance(): void {
    this.hooks.emit('rebalancing');
    if (!this.classic) return;
    // Eager rebalance: every partition is given up until the join that follows.
    this.rebalancing = true;
    for (const owned of this.owned.values()) owned.epoch += 1;
  }

  /**
   * Takes the client's assignment when it changed (every join of the classic protocol, which starts all positions
   * again from the committed offsets as kafkajs does; KIP-848's incremental ones keep the partitions it retains).
   */
  private adopt(resetAll: boolean): void {
    if (!this.running) return;
    const assignments = this.client.assignments;
    if (assignments === null) return;
    const byTopic: Record<string, number[]> = {};
    for (const { topic, partitions } of assignments)
      if (this.subscriptions.has(topic)) byTopic[topic] = [...partitions].sort((a, b) => a - b);
    const key = JSON.stringify(byTopic);
    if (!resetAll && key === this.assignmentKey) return;
    this.assignmentKey = key;
    this.rebalancing = false;
    const memberId = this.client.memberId;
    this.adopted =
      this.classic && memberId !== null
        ? { groupId: this.settings.groupId, generationId: this.client.generationId, memberId }
        : undefined;
    const next = new Map<string, Owned>();
    const fresh: Owned[] = [];
    for (const [topic, partitions] of Object.entries(byTopic)) {
      for (const partition of partitions) {
        const id = `${topic}:${partition}`;
        const kept = resetAll ? undefined : this.owned.get(id);
        const owned = kept ?? {
          topic,
          partition,
          key: id,
          position: undefined,
          epoch: 0,
          highWatermark: -1n,
        };
        if (kept === undefined) fresh.push(owned);
        next.set(id, owned);
      }
    }
    for (const [id, owned] of this.owned) if (next.get(id) !== owned) owned.epoch += 1;
    this.owned = next;
    this.hooks.emit('joined', byTopic);
    this.initPositions(fresh).catch((err: Error) => this.fail(err, true));
  }

  /**
   * The committed offsets of newly owned partitions, read stable (committed-offsets.ts: never the
   * offset before an open transaction's); without one, the earliest or latest by `fromBeginning`.
   */
  private async initPositions(fresh: Owned[]): Promise<void> {
    const byTopic = new Map<string, Owned[]>();
    for (const owned of fresh) byTopic.set(owned.topic, [...(byTopic.get(owned.topic) ?? []), owned]);
    const wanted = [...byTopic].map(([topic, list]) => ({ topic, partitions: list.map((o) => o.partition) }));
    const committed =
      wanted.length > 0
        ? await this.committedOffsets.read(wanted, () => !this.running)
        : new Map<string, bigint>();
    for (const [topic, list] of byTopic) {
      const start = (owned: Owned) => committed.get(owned.key) ?? -1n;
      const missing = list.filter((o) => start(o) < 0n).map((o) => o.partition);
      const reset = missing.length > 0 ? await this.resetOffsets(topic, missing) : new Map<number, bigint>();
      for (const owned of list) {
        const seek = this.seeks.get(owned.key);
        this.seeks.delete(owned.key);
        owned.position = seek ?? (start(owned) >= 0n ? start(owned) : reset.get(owned.partition));
      }
    }
    this.wake();
  }

  private async resetOffsets(topic: string, partitions: number[]): Promise<Map<number, bigint>> {
    const fromBeginning = this.subscriptions.get(topic) === true;
    const offsets = await this.client.listOffsets({
      topics: [topic],
      partitions: { [topic]: partitions },
      timestamp: fromBeginning ? ListOffsetTimestamps.EARLIEST : ListOffsetTimestamps.LATEST,
    });
    const list = offsets.get(topic) ?? [];
    return new Map(partitions.map((p) => [p, list[p] ?? 0n]));
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      try {
        await this.fetchIdle();
      } catch (err) {
        this.fail(err as Error, true);
        return;
      }
      await woken;
    }
  }

  /** The next round of fetches (leader-fetches.ts), each in the background. */
  private async fetchIdle(): Promise<void> {
    if (this.rebalancing || this.lapsed()) return;
    const ready = [...this.owned.values()].filter(
      (o) => o.position !== undefined && !this.paused.has(o.topic),
    );
    if (ready.length === 0) return;
    const metadata = await this.client.metadata({ topics: [...this.subscriptions.keys()] });
    const maxBytes = this.settings.maxBytesPerPartition ?? 1_048_576;
    for (const { node, topics, ids, list } of leaderFetches(
      ready,
      metadata,
      this.fetchingNodes,
      this.busy,
      maxBytes,
    )) {
      for (const owned of list) this.busy.add(owned.key);
      this.fetchingNodes.add(node);
      void this.fetchNode(node, topics, ids, list);
    }
  }

  private async fetchNode(
    node: number,
    topics: FetchRequestTopic[],
    ids: Map<string, string>,
    list: Owned[],
  ): Promise<void> {
    const requested = new Map(
      list.map((o) => [o.key, { owned: o, epoch: o.epoch, from: o.position as bigint }]),
    );
    try {
      const response = await this.client.fetch({ node, topics, connectionPool: this.fetchPool });
      this.accept(response, ids, requested);
    } catch (err) {
      const response = (err as { response?: FetchResponse }).response;
      if (!this.running) return;
      if (response === undefined || !(await this.outOfRange(response, ids, requested)))
        this.fail(err as Error, true);
    } finally {
      this.fetchingNodes.delete(node);
      for (const { owned } of requested.values()) if (!this.queued(owned)) this.busy.delete(owned.key);
      this.pump();
      this.wake();
    }
  }

  private queued(owned: Owned): boolean {
    return this.queue.some((job) => job.owned === owned);
  }

  private accept(
    response: FetchResponse,
    ids: Map<string, string>,
    requested: Map<string, { owned: Owned; epoch: number; from: bigint }>,
  ): void {
    for (const topic of response.responses) {
      const name = ids.get(topic.topicId);
      for (const p of topic.partitions) {
        const asked = requested.get(`${name}:${p.partitionIndex}`);
        if (asked === undefined || !this.current(asked.owned, asked.epoch)) continue;
        const { owned, epoch, from } = asked;
        owned.highWatermark = p.highWatermark;
        const { messages, next } = batchRecords(p.records ?? [], from, p.abortedTransactions ?? []);
        if (messages.length > 0) this.queue.push({ owned, epoch, messages, next });
        // Only control records or aborted ones: nothing to hand over, the position moves past them.
        else if (next > from) owned.position = next;
      }
    }
  }

  /** Positions that fell off the log start again at the earliest or latest offset (kafkajs: fromBeginning). */
  private async outOfRange(
    response: FetchResponse,
    ids: Map<string, string>,
    requested: Map<string, { owned: Owned; epoch: number; from: bigint }>,
  ): Promise<boolean> {
    const lost = response.responses.flatMap((t) =>
      t.partitions
        .filter((p) => p.errorCode === OFFSET_OUT_OF_RANGE)
        .map((p) => requested.get(`${ids.get(t.topicId)}:${p.partitionIndex}`)),
    );
    if (lost.length === 0) return false;
    for (const asked of lost) {
      if (asked === undefined || !this.current(asked.owned, asked.epoch)) continue;
      const reset = await this.resetOffsets(asked.owned.topic, [asked.owned.partition]);
      if (this.current(asked.owned, asked.epoch)) asked.owned.position = reset.get(asked.owned.partition);
    }
    return true;
  }

  private current(owned: Owned, epoch: number): boolean {
    return this.running && owned.epoch === epoch && this.owned.get(owned.key) === owned && !this.lapsed();
  }

  /** Hands queued batches to `eachBatch`, `concurrency` partitions at a time. */
  private pump(): void {
    while (this.active.size < this.concurrency && this.queue.length > 0) {
      const job = this.queue.shift() as Job;
      if (!this.current(job.owned, job.epoch) || this.paused.has(job.owned.topic)) {
        this.busy.delete(job.owned.key);
        continue;
      }
      const handling = this.handle(job);
      this.active.add(handling);
      void handling.finally(() => {
        this.active.delete(handling);
        this.busy.delete(job.owned.key);
        this.pump();
        this.wake();
      });
    }
  }

  private async handle(job: Job): Promise<void> {
    const batch = handedBatch(job, {
      running: () => this.running,
      owns: (o, e) => o.epoch === e && this.owned.get(o.key) === o,
      lapsed: () => this.lapsed(),
    });
    try {
      await this.run.eachBatch(batch);
    } catch (err) {
      // As kafkajs: an error a retry can cure runs the consumer again from the committed offsets.
      this.fail(err as Error, (err as { retriable?: boolean }).retriable === true);
    }
  }
}
