// The @platformatic/kafka batch consumer behind our port (kafka-port.ts BatchConsumer).
//
// The client's MessagesStream turns every record into a Message object (deserializers, a commit closure, metadata,
// diagnostics) and pushes it through a Readable: 22.3 CPU µs per record against kafkajs eachBatch's 9.2. Here the
// client only holds the group membership (join, sync, heartbeats, rejoins) and answers `fetch` per leader; the
// positions, the batches and the partitions' concurrency are ours, so a fetched record batch becomes our InRecords
// in one pass. An idle MessagesStream (never read, so it never fetches) is how the client is asked to join: with
// the consumer protocol (KIP-848) `consume()` is the only way in.
import { EventEmitter } from 'node:events';
import {
  type BaseOptions,
  ConnectionPool,
  Consumer,
  type ConsumerOptions,
  FetchIsolationLevels,
  IS_CONTROL,
  ListOffsetTimestamps,
  type MessagesStream,
  type RecordsBatch,
} from '@platformatic/kafka';
import { BrokerError } from '../errors.js';
import type { Logger } from '../logger.js';
import type {
  BatchConsumer,
  ConsumerEvents,
  ConsumerSettings,
  FetchedBatch,
  GroupMetadata,
  InRecord,
  PartitionOffset,
  RecordHeaders,
  RunOptions,
} from './kafka-port.js';
import { CommittedOffsetsReader } from './platformatic-committed-offsets.js';

/** Record batch attribute bit 3: the broker's LogAppendTime, whose records carry the batch's max timestamp. */
const LOG_APPEND_TIME = 0b1000;
/** Kafka's OFFSET_OUT_OF_RANGE error code: the position fell off the log (retention) or past its end. */
const OFFSET_OUT_OF_RANGE = 1;
/** The pause before a session that crashed on a retriable error runs again (kafkajs: initialRetryTime 300). */
const RESTART_DELAY_MS = 1000;
/** Offsets below this are added as numbers: a bigint addition and toString per record cost more. */
const SAFE_OFFSET = BigInt(Number.MAX_SAFE_INTEGER - 2 ** 31);

type Client = Consumer<Buffer, Buffer, Buffer, Buffer>;
type FetchResponse = Awaited<ReturnType<Client['fetch']>>;
type FetchRequestTopic = Parameters<Client['fetch']>[0]['topics'][number];

/**
 * The records of fetched record batches from offset `from` (a batch may start before it), with the position after
 * them: past control records and aborted transactions too, so a partition whose tail is a marker moves on.
 */
export function batchRecords(
  batches: readonly RecordsBatch[],
  from: bigint,
): { messages: InRecord[]; next: bigint } {
  const messages: InRecord[] = [];
  let next = from;
  for (const batch of batches) {
    const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (end > next) next = end;
    if ((batch.attributes & IS_CONTROL) !== 0) continue;
    const small = batch.firstOffset < SAFE_OFFSET;
    const first = Number(batch.firstOffset);
    const appendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
    const firstTimestamp = Number(batch.firstTimestamp);
    for (const record of batch.records) {
      const offset = small ? first + record.offsetDelta : batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < from) continue;
      messages.push({
        offset: String(offset),
        timestamp: appendTime
          ? String(batch.maxTimestamp)
          : String(firstTimestamp + Number(record.timestampDelta)),
        key: record.key ?? null,
        value: record.value ?? null,
        headers: recordHeaders(record.headers),
      });
    }
  }
  return { messages, next };
}

/** The port's headers: names as strings, a repeated name as an array of its values in order. */
export function recordHeaders(headers: readonly [Buffer | null, Buffer | null][]): RecordHeaders {
  const out: RecordHeaders = {};
  for (const [name, value] of headers) {
    if (name === null) continue;
    const key = name.toString('utf8');
    const one = value ?? Buffer.alloc(0);
    const seen = out[key];
    if (seen === undefined) out[key] = one;
    else if (Array.isArray(seen)) seen.push(one);
    else out[key] = [seen, one];
  }
  return out;
}

/** A partition this member owns in one assignment; a new assignment or a seek replaces or bumps it. */
interface Owned {
  topic: string;
  partition: number;
  key: string;
  /** Next offset to fetch; undefined until the committed offset is read. */
  position: bigint | undefined;
  /** Bumped by a seek: a batch or fetch of an older epoch is stale. */
  epoch: number;
  highWatermark: bigint;
}

interface Job {
  owned: Owned;
  epoch: number;
  messages: InRecord[];
  next: bigint;
}

export interface SessionHooks {
  emit<E extends keyof ConsumerEvents>(event: E, ...args: Parameters<ConsumerEvents[E]>): void;
  /** The session failed; `restart` when running it again may help. */
  crashed(error: Error, restart: boolean): void;
}

/** The client options of a consumer with our settings (kafkajs's defaults where the port leaves them unset). */
function consumerOptions(
  base: BaseOptions,
  settings: ConsumerSettings,
): ConsumerOptions<Buffer, Buffer, Buffer, Buffer> {
  const fetch = {
    groupId: settings.groupId,
    autocommit: false,
    metadataMaxAge: settings.metadataMaxAgeMs ?? 300_000,
    isolationLevel:
      settings.readCommitted === false
        ? FetchIsolationLevels.READ_UNCOMMITTED
        : FetchIsolationLevels.READ_COMMITTED,
    minBytes: settings.minBytes ?? 1,
    maxWaitTime: settings.maxWaitMs ?? 5000,
    maxBytes: 10_485_760,
    maxBytesPerPartition: settings.maxBytesPerPartition ?? 1_048_576,
  };
  if (settings.groupProtocol === 'consumer') {
    // KIP-848: the coordinator owns session timeout, heartbeat interval and assignment.
    return { ...base, ...fetch, groupProtocol: 'consumer' as const };
  }
  const sessionTimeout = settings.sessionTimeoutMs ?? 30_000;
  return {
    ...base,
    ...fetch,
    sessionTimeout,
    rebalanceTimeout: Math.max(60_000, sessionTimeout),
    heartbeatInterval: settings.heartbeatIntervalMs ?? 3000,
  };
}

/** One run of the consumer: a group membership, the positions it reads from and the fetch loop. */
class FetchSession {
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
  /** Partitions a fetch or a batch holds: never two at once for one partition, across assignments too. */
  private readonly busy = new Set<string>();
  private readonly fetchingNodes = new Set<number>();
  private readonly queue: Job[] = [];
  private readonly active = new Set<Promise<void>>();
  private readonly paused = new Set<string>();
  private readonly seeks = new Map<string, bigint>();
  private readonly toCommit = new Map<string, PartitionOffset>();
  private committing: Promise<void> | undefined;
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
    this.concurrency = Math.max(1, run.concurrency ?? 1);
    this.client = new Consumer(consumerOptions(base, settings));
    // Fetches long-poll (maxWaitMs): on the group's connection they would hold heartbeats and commits behind them.
    this.fetchPool = new ConnectionPool(base.clientId, base);
    this.committedOffsets = new CommittedOffsetsReader(this.client, settings.groupId);
    this.client.on('consumer:group:join', () => {
      if (this.classic) this.adopt(true);
    });
    this.client.on('consumer:group:rebalance', () => this.onRebalance());
    this.client.on('consumer:heartbeat:end', () => {
      if (!this.classic) this.adopt(false);
    });
    this.client.on('error', (err: Error) => this.fail(err, true));
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Joins the group (the client's consume), then runs the fetch loop in the background. */
  async start(): Promise<void> {
    this.running = true;
    const anchor = await this.client.consume({ topics: [...this.subscriptions.keys()], autocommit: false });
    anchor.on('error', (err: Error) => this.fail(err, true));
    this.anchor = anchor;
    if (!this.classic) this.adopt(false);
    this.loopDone = this.loop();
  }

  groupMetadata(): GroupMetadata | undefined {
    // The consumer protocol's member epoch (its generation) is private to the client: no KIP-447 metadata there.
    if (!this.running || !this.classic || this.client.memberId === null) return undefined;
    return {
      groupId: this.settings.groupId,
      generationId: this.client.generationId,
      memberId: this.client.memberId,
    };
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

  /** Ends the loop, lets the batches in flight finish, commits (autoCommit) and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    await Promise.allSettled([...this.active]);
    await this.committing;
    if (this.run.autoCommit !== false) await this.flushCommits();
    await this.anchor?.close().catch(() => undefined);
    await this.client.close().catch((err: Error) => this.log.warn({ err }, 'leaving the group failed'));
    await this.fetchPool.close().catch(() => undefined);
  }

  private fail(err: Error, restart: boolean): void {
    if (!this.running) return;
    this.hooks.crashed(err, restart);
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
   * The committed offsets of newly owned partitions, read stable (platformatic-committed-offsets.ts: never the
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

  /**
   * One fetch per leader for all its owned partitions, once the batches of its previous fetch are done (kafkajs's
   * rhythm). A partition fetched on its own while the others are handled would wait behind their long poll
   * (maxWaitMs): the broker answers one request per connection at a time.
   */
  private async fetchIdle(): Promise<void> {
    if (this.rebalancing) return;
    const ready = [...this.owned.values()].filter(
      (o) => o.position !== undefined && !this.paused.has(o.topic),
    );
    if (ready.length === 0) return;
    const metadata = await this.client.metadata({ topics: [...this.subscriptions.keys()] });
    const byNode = new Map<number, Owned[]>();
    const held = new Set<number>(this.fetchingNodes);
    for (const owned of ready) {
      const leader = metadata.topics.get(owned.topic)?.partitions[owned.partition]?.leader ?? -1;
      if (leader < 0) continue;
      if (this.busy.has(owned.key)) held.add(leader);
      byNode.set(leader, [...(byNode.get(leader) ?? []), owned]);
    }
    for (const node of held) byNode.delete(node);
    for (const [node, list] of byNode) {
      const topics: FetchRequestTopic[] = [];
      const ids = new Map<string, string>();
      for (const owned of list) {
        const id = metadata.topics.get(owned.topic)?.id ?? owned.topic;
        ids.set(id, owned.topic);
        let topic = topics.find((t) => t.topicId === id);
        if (topic === undefined) {
          topic = { topicId: id, partitions: [] };
          topics.push(topic);
        }
        topic.partitions.push({
          partition: owned.partition,
          fetchOffset: owned.position as bigint,
          partitionMaxBytes: this.settings.maxBytesPerPartition ?? 1_048_576,
          currentLeaderEpoch: -1,
          lastFetchedEpoch: -1,
        });
        this.busy.add(owned.key);
      }
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
        const { messages, next } = batchRecords(p.records ?? [], from);
        if (messages.length > 0) this.queue.push({ owned, epoch, messages, next });
        else if (next > from) {
          owned.position = next;
          this.autoCommit(owned, next);
        }
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
    return this.running && owned.epoch === epoch && this.owned.get(owned.key) === owned;
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
    const { owned, epoch, messages, next } = job;
    const stale = () => !this.current(owned, epoch);
    const batch: FetchedBatch = {
      topic: owned.topic,
      partition: owned.partition,
      messages,
      lag: () => (owned.highWatermark > next ? owned.highWatermark - next : 0n),
      resolveOffset: (offset) => {
        if (!stale()) owned.position = BigInt(offset) + 1n;
      },
      // The client heartbeats on its own timer.
      heartbeat: () => Promise.resolve(),
      isRunning: () => this.running,
      isStale: stale,
    };
    try {
      await this.run.eachBatch(batch);
    } catch (err) {
      // As kafkajs: an error a retry can cure runs the consumer again from the committed offsets.
      this.fail(err as Error, (err as { retriable?: boolean }).retriable === true);
      return;
    }
    if (this.run.autoCommit !== false && !stale()) {
      owned.position = next;
      this.autoCommit(owned, next);
    }
  }

  private autoCommit(owned: Owned, next: bigint): void {
    if (this.run.autoCommit === false) return;
    this.toCommit.set(owned.key, { topic: owned.topic, partition: owned.partition, offset: String(next) });
    if (this.committing === undefined) {
      this.committing = this.flushCommits().finally(() => {
        this.committing = undefined;
      });
    }
  }

  /** Commits what autoCommit collected, one request at a time; a failure is retried with the next batch. */
  private async flushCommits(): Promise<void> {
    while (this.toCommit.size > 0) {
      const offsets = [...this.toCommit.values()];
      this.toCommit.clear();
      try {
        await this.commitNow(offsets);
      } catch (err) {
        this.log.warn({ err }, 'auto-commit failed');
        return;
      }
    }
  }
}

/** Our BatchConsumer on @platformatic/kafka: each run() is a FetchSession, stop() ends it. */
export class PlatformaticConsumer implements BatchConsumer {
  private readonly base: BaseOptions;
  private readonly settings: ConsumerSettings;
  private readonly log: Logger;
  private readonly events = new EventEmitter();
  private readonly subscriptions = new Map<string, boolean>();
  private session: FetchSession | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(base: BaseOptions, settings: ConsumerSettings, logger: Logger) {
    this.base = base;
    this.settings = settings;
    this.log = logger.child({ component: 'platformatic-consumer', group: settings.groupId });
  }

  /** Reaches the cluster once, so a wrong address or credentials fail here as with kafkajs. */
  async connect(): Promise<void> {
    const probe = new Consumer(consumerOptions(this.base, this.settings));
    try {
      await probe.metadata({ topics: [] });
    } finally {
      await probe.close();
    }
  }

  async subscribe(topic: string, options: { fromBeginning?: boolean } = {}): Promise<void> {
    this.subscriptions.set(topic, options.fromBeginning ?? false);
  }

  async run(options: RunOptions): Promise<void> {
    if (this.session?.isRunning) throw new Error('the consumer is already running: stop() it first');
    clearTimeout(this.restartTimer);
    const session = new FetchSession(
      this.base,
      this.settings,
      options,
      new Map(this.subscriptions),
      {
        emit: (event, ...args) => this.events.emit(event, ...args),
        crashed: (error, restart) => void this.crashed(session, options, error, restart),
      },
      this.log,
    );
    this.session = session;
    try {
      await session.start();
    } catch (err) {
      await session.stop();
      throw err;
    }
  }

  /** kafkajs's crash: reported, then the run starts again (restart) or stays stopped. */
  private async crashed(
    session: FetchSession,
    options: RunOptions,
    error: Error,
    restart: boolean,
  ): Promise<void> {
    if (this.session !== session || !session.isRunning) return;
    this.events.emit('crashed', error, restart);
    await session.stop();
    if (!restart) {
      this.events.emit('stopped');
      return;
    }
    this.restartTimer = setTimeout(() => {
      if (this.session !== session) return;
      this.run(options).catch(
        (err: Error) => void this.crashed(this.session as FetchSession, options, err, true),
      );
    }, RESTART_DELAY_MS);
  }

  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerEvents[E]): () => void {
    this.events.on(event, listener);
    return () => this.events.off(event, listener);
  }

  groupMetadata(): GroupMetadata | undefined {
    return this.session?.groupMetadata();
  }

  pause(topic: string): void {
    this.running().pause(topic);
  }

  seek(topic: string, partition: number, offset: string): void {
    this.running().seek(topic, partition, offset);
  }

  commit(offsets: readonly PartitionOffset[]): Promise<void> {
    const session = this.session;
    if (session === undefined || !session.isRunning)
      return Promise.reject(new BrokerError('the consumer is not running: nothing was committed'));
    return session.commit(offsets);
  }

  async stop(): Promise<void> {
    clearTimeout(this.restartTimer);
    const session = this.session;
    this.session = undefined;
    if (session === undefined || !session.isRunning) return;
    await session.stop();
    this.events.emit('stopped');
  }

  disconnect(): Promise<void> {
    return this.stop();
  }

  private running(): FetchSession {
    const session = this.session;
    if (session === undefined || !session.isRunning)
      throw new Error('the consumer is not running: run() it first');
    return session;
  }
}
