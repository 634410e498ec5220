import {
  type BatchConsumer,
  type ConsumerEvents,
  createLogger,
  DEFAULT_TOPICS,
  decodePrediction,
  type FetchedBatch,
  type GroupMetadata,
  GroupMovedOnError,
  type InRecord,
  type KafkaAdmin,
  type KafkaClient,
  type PartitionOffset,
  type RecordProducer,
  type RunOptions,
  SchemaCatalog,
  type TopicRecords,
} from '@ride/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsumerMetrics } from '../../src/stream/consumer-metrics.js';
import { ScoringConsumer, type ScoringConsumerOptions } from '../../src/stream/scoring-consumer.js';
import { fakeScorer, rideRecord } from './stream-fixtures.js';

// The loop around processBatch, against a fake of our Kafka port (a unit test's collaborator): what it sends,
// commits and resolves, and in which order it stops.

const TOPICS = { ...DEFAULT_TOPICS, partitions: 1 };

class FakeConsumer implements BatchConsumer {
  readonly calls: string[] = [];
  readonly commits: PartitionOffset[][] = [];
  runs: RunOptions[] = [];
  /** Set by the exactly-once tests: the generation batches are handed over under (KIP-447). */
  groupMetadata?: () => GroupMetadata | undefined;
  private readonly listeners = new Map<string, ((...args: never[]) => void)[]>();
  async connect() {
    this.calls.push('consumer.connect');
  }
  async subscribe(topic: string) {
    this.calls.push(`subscribe ${topic}`);
  }
  async run(options: RunOptions) {
    this.runs.push(options);
  }
  on<E extends keyof ConsumerEvents>(event: E, listener: ConsumerEvents[E]) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () => {};
  }
  emit<E extends keyof ConsumerEvents>(event: E, ...args: Parameters<ConsumerEvents[E]>) {
    for (const l of this.listeners.get(event) ?? []) (l as (...a: unknown[]) => void)(...args);
  }
  pause(topic: string) {
    this.calls.push(`pause ${topic}`);
  }
  seek(topic: string, partition: number, offset: string) {
    this.calls.push(`seek ${topic}/${partition}@${offset}`);
  }
  async commit(offsets: readonly PartitionOffset[]) {
    this.calls.push('commit');
    this.commits.push([...offsets]);
  }
  async stop() {
    this.calls.push('consumer.stop');
  }
  async disconnect() {
    this.calls.push('consumer.disconnect');
  }
}

function fakeClient(
  send: (records: readonly TopicRecords[]) => Promise<void>,
  /** What the admin reads for partition 0 (the progress watchdog's view). */
  offsets = { committed: -1n, end: 0n },
) {
  const consumer = new FakeConsumer();
  const sent: TopicRecords[][] = [];
  const producer: RecordProducer = {
    connect: async () => {},
    send: async (records) => {
      sent.push(records.map((r) => ({ ...r, messages: [...r.messages] })));
      await send(records);
    },
    disconnect: async () => {
      consumer.calls.push('producer.disconnect');
    },
  };
  const admin = {
    connect: async () => {},
    disconnect: async () => {},
    committedOffsets: async () => new Map([[0, offsets.committed]]),
    endOffsets: async () => new Map([[0, offsets.end]]),
  } as unknown as KafkaAdmin;
  const client: KafkaClient = {
    name: 'kafkajs',
    producer: () => producer,
    transactionalProducer: () => {
      throw new Error('not used at least once');
    },
    admin: () => admin,
    consumer: () => consumer,
    refusal: () => undefined,
  };
  return { client, consumer, sent };
}

/**
 * An exactly-once client (KIP-447) whose transactions' offsets are refused because the group moved on; `send` and
 * `abort` run at those steps of the transaction.
 */
function refusingOffsets(
  client: KafkaClient,
  hooks: { send?: () => void; abort?: () => void } = {},
): KafkaClient {
  return {
    ...client,
    supportsGroupMetadataFencing: true,
    transactionalProducer: () => ({
      connect: async () => {},
      disconnect: async () => {},
      begin: async () => ({
        send: async () => hooks.send?.(),
        sendOffsets: async () => {
          throw new GroupMovedOnError('the group moved past generation 3');
        },
        commit: async () => {
          throw new Error('never reached');
        },
        abort: async () => hooks.abort?.(),
      }),
    }),
  };
}

function options(client: KafkaClient, extra: Partial<ScoringConsumerOptions> = {}): ScoringConsumerOptions {
  return {
    client,
    topics: TOPICS,
    groupId: 'g',
    groupProtocol: 'classic',
    fromBeginning: true,
    maxBatch: 1000,
    maxMessageBytes: 1_000_000,
    format: 'avro',
    catalog: SchemaCatalog.fixed(),
    wire: 'confluent',
    sessionTimeoutMs: 10_000,
    heartbeatIntervalMs: 3_000,
    partitionsConsumedConcurrently: 1,
    fetchMaxBytesPerPartition: 1_000_000,
    metadataMaxAgeMs: 30_000,
    stallTimeoutMs: 600_000,
    guarantee: 'at_least_once',
    commitIntervalMs: 0,
    scorer: () => fakeScorer(),
    metrics: new ConsumerMetrics(),
    logger: createLogger({ level: 'silent' }),
    ...extra,
  };
}

function batchOf(messages: InRecord[]) {
  const resolved: string[] = [];
  const batch: FetchedBatch = {
    topic: TOPICS.rides,
    partition: 0,
    messages,
    lag: () => 0n,
    resolveOffset: (offset) => resolved.push(offset),
    isRunning: () => true,
    isStale: () => false,
  };
  return { batch, resolved };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('ScoringConsumer', () => {
  it('publishes a chunk, then resolves and commits past its last record (at-least-once)', async () => {
    const { client, consumer, sent } = fakeClient(async () => {});
    const scoring = new ScoringConsumer(options(client));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    expect(scoring.assignedPartitions).toEqual([0]);
    const { batch, resolved } = batchOf([rideRecord(5), rideRecord(6), rideRecord(7)]);
    await consumer.runs[0]!.eachBatch(batch);

    expect(sent).toHaveLength(1);
    const [predictions] = sent[0]!;
    expect(predictions!.topic).toBe(TOPICS.predictions);
    const values = predictions!.messages.map((m) => decodePrediction(m.value as Buffer));
    expect(values.map((p) => [p.ride_id, p.ride_duration])).toEqual([
      ['r5', 15],
      ['r6', 18],
      ['r7', 21],
    ]);
    expect(resolved).toEqual(['7']);
    expect(consumer.commits).toEqual([[{ topic: TOPICS.rides, partition: 0, offset: '8' }]]);
    await scoring.stop();
  });

  it('fails the batch with RIDE_PRODUCE_FAILED and neither resolves nor commits when the publish fails', async () => {
    const { client, consumer } = fakeClient(async () => {
      throw new Error('broker gone');
    });
    const scoring = new ScoringConsumer(options(client));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    const { batch, resolved } = batchOf([rideRecord(1)]);
    await expect(consumer.runs[0]!.eachBatch(batch)).rejects.toMatchObject({ code: 'RIDE_PRODUCE_FAILED' });
    expect(resolved).toEqual([]);
    expect(consumer.commits).toEqual([]);
    await scoring.stop();
  });

  it('runs the client again with a backoff after it gave up, and reports fatal once the backoff is spent', async () => {
    vi.useFakeTimers();
    const { client, consumer } = fakeClient(async () => {});
    const onFatal = vi.fn();
    const scoring = new ScoringConsumer(options(client, { onFatal }));
    await scoring.start();
    const delays = [1000, 2000, 4000, 8000, 16000];
    for (const [i, delay] of delays.entries()) {
      consumer.emit('crashed', new Error('coordinator not found'), false);
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(consumer.runs).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(consumer.runs).toHaveLength(i + 2);
    }
    expect(onFatal).not.toHaveBeenCalled();
    consumer.emit('crashed', new Error('still not found'), false);
    expect(onFatal).toHaveBeenCalledOnce();
    // A crash the client restarts from itself is not ours to re-run.
    consumer.emit('crashed', new Error('retriable'), true);
    expect(onFatal).toHaveBeenCalledOnce();
    vi.useRealTimers();
    await scoring.stop();
  });

  it('stops by pausing, committing acknowledged progress while still a member, then leaving and closing', async () => {
    const { client, consumer } = fakeClient(async () => {});
    const scoring = new ScoringConsumer(options(client, { commitIntervalMs: 60_000 }));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    await consumer.runs[0]!.eachBatch(batchOf([rideRecord(3)]).batch);
    // With an interval, nothing is committed per chunk.
    expect(consumer.commits).toEqual([]);
    consumer.calls.length = 0;
    await scoring.stop();
    expect(consumer.calls).toEqual([
      `pause ${TOPICS.rides}`,
      'commit',
      'consumer.disconnect',
      'producer.disconnect',
    ]);
    expect(consumer.commits).toEqual([[{ topic: TOPICS.rides, partition: 0, offset: '4' }]]);
  });

  it('gives the client its run back when it crashes while a publish of a chunk never settles', async () => {
    const { client, consumer } = fakeClient(() => new Promise(() => {}));
    const scoring = new ScoringConsumer(options(client));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    const { batch, resolved } = batchOf([rideRecord(1)]);
    const handling = consumer.runs[0]!.eachBatch(batch);
    await new Promise((resolve) => setImmediate(resolve));
    // The client's restart waits for its batches to return: a held publish must not hold it (chaos, issue 26).
    consumer.emit('crashed', new Error('the group moved on'), true);
    await handling;
    expect(resolved).toEqual([]);
    expect(consumer.commits).toEqual([]);
    await scoring.stop();
  });

  it('waits for the rejoin instead of crashing when the group moved on during the transaction of a chunk', async () => {
    const { client, consumer } = fakeClient(async () => {});
    consumer.groupMetadata = () => ({ groupId: 'g', generationId: 3, memberId: 'm-1' });
    let aborted: () => void = () => {};
    const abort = new Promise<void>((resolve) => {
      aborted = resolve;
    });
    const fenced = refusingOffsets(client, { abort: aborted });
    const scoring = new ScoringConsumer(options(fenced, { guarantee: 'exactly_once' }));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    const { batch, resolved } = batchOf([rideRecord(1), rideRecord(2)]);
    let settled = false;
    const handling = consumer.runs[0]!.eachBatch(batch).then(() => {
      settled = true;
    });
    await abort;
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    // The client rejoined: the batch returns unresolved and its partition restarts from the committed offset.
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    await handling;
    expect(resolved).toEqual([]);
    await scoring.stop();
  });

  it('returns at once when the client rejoined before the coordinator refused the transaction', async () => {
    // Chaos, issue 26: the join (generation 3 -> 4) came 3 ms before the refusal; waiting for a next join that never
    // came, the member crashed after the session timeout and that rebalance moved the held member's partitions away.
    vi.useFakeTimers();
    const { client, consumer } = fakeClient(async () => {});
    let generationId = 3;
    consumer.groupMetadata = () => ({ groupId: 'g', generationId, memberId: 'm-1' });
    const fenced = refusingOffsets(client, {
      send: () => {
        generationId = 4;
        consumer.emit('joined', { [TOPICS.rides]: [0] });
      },
    });
    const crashes: Error[] = [];
    const scoring = new ScoringConsumer(
      options(fenced, { guarantee: 'exactly_once', sessionTimeoutMs: 6000 }),
    );
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    const { batch, resolved } = batchOf([rideRecord(1), rideRecord(2)]);
    let settled = false;
    const handling = consumer.runs[0]!.eachBatch(batch).then(
      () => {
        settled = true;
      },
      (err: Error) => {
        crashes.push(err);
      },
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(settled).toBe(true);
    await vi.advanceTimersByTimeAsync(7000);
    await handling;
    expect(crashes).toEqual([]);
    expect(resolved).toEqual([]);
    vi.useRealTimers();
    await scoring.stop();
  });

  it('runs the client again when it crashed and did not come back while the group is behind', async () => {
    vi.useFakeTimers();
    const { client, consumer } = fakeClient(async () => {}, { committed: 0n, end: 100n });
    const scoring = new ScoringConsumer(options(client, { stallTimeoutMs: 4000 }));
    await scoring.start();
    consumer.emit('joined', { [TOPICS.rides]: [0] });
    consumer.emit('crashed', new Error('held inside the client'), true);
    await vi.advanceTimersByTimeAsync(6000);
    expect(consumer.calls).toContain('consumer.stop');
    expect(consumer.runs).toHaveLength(2);
    vi.useRealTimers();
    await scoring.stop();
  });
});
