import {
  type BatchConsumer,
  createLogger,
  type FetchedBatch,
  SchemaCatalog,
  type TopicRecords,
} from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { BatchHandler } from '../../src/stream/batch-handler.js';
import { ConsumerMetrics } from '../../src/stream/consumer-metrics.js';
import { ChunkScorer } from '../../src/stream/core/chunk-scorer.js';
import type { OutputSink } from '../../src/stream/delivery/output-sink.js';
import { GroupMembership } from '../../src/stream/group-membership.js';
import { StreamSupervisor } from '../../src/stream/supervision/stream-supervisor.js';
import { fakeScorer, rideRecord } from './stream-fixtures.js';

// One batch through the handler against fakes of the client and the sink (unit collaborators): what is skipped,
// published, resolved and acknowledged, chunk by chunk.

function handlerWith(claimed: string | undefined, maxBatch = 1000) {
  const calls: string[] = [];
  const sink = {
    claim: async () => claimed,
    publish: async (_source: unknown, outputs: TopicRecords[], next: string) => {
      calls.push(`publish ${outputs[0]?.messages.length ?? 0} next ${next}`);
    },
    acknowledged: async (_source: unknown, next: string) => {
      calls.push(`acknowledged ${next}`);
    },
  } as unknown as OutputSink;
  const consumer = {
    seek: (_topic: string, partition: number, offset: string) => calls.push(`seek ${partition}@${offset}`),
  } as unknown as BatchConsumer;
  const logger = createLogger({ level: 'silent' });
  const supervisor = new StreamSupervisor({
    topic: 'rides',
    stallTimeoutMs: 60_000,
    stopTimeoutMs: 1000,
    assigned: () => [0],
    readOffsets: async () => [],
    run: { run: async () => {}, stop: async () => {}, flush: async () => {}, resetOutputs: () => {} },
    onCheck: () => {},
    onRecovery: () => {},
    onFatal: () => {},
    logger,
  });
  const handler = new BatchHandler({
    consumer,
    sink,
    chunks: new ChunkScorer({
      scorer: () => fakeScorer(),
      topics: { predictions: 'out', deadLetters: 'dlq' },
      format: 'avro',
      wire: 'confluent',
      catalog: SchemaCatalog.fixed(),
      maxMessageBytes: 1_000_000,
      logger,
    }),
    membership: new GroupMembership('rides'),
    supervisor,
    maxBatch,
    sessionTimeoutMs: 6000,
    stopping: () => false,
    metrics: new ConsumerMetrics(),
    logger,
  });
  return { handler, calls, supervisor };
}

function batchOf(offsets: number[], calls: string[]): FetchedBatch {
  return {
    topic: 'rides',
    partition: 0,
    messages: offsets.map((offset) => rideRecord(offset)),
    lag: () => 0n,
    resolveOffset: (offset) => calls.push(`resolve ${offset}`),
    isRunning: () => true,
    isStale: () => false,
  };
}

describe('BatchHandler', () => {
  it('publishes chunk by chunk, resolving and acknowledging each only after its publish', async () => {
    const { handler, calls, supervisor } = handlerWith(undefined, 2);
    await handler.handle(batchOf([10, 11, 12], calls), supervisor.epoch.current);
    expect(calls).toEqual([
      'publish 2 next 12',
      'resolve 11',
      'acknowledged 12',
      'publish 1 next 13',
      'resolve 12',
      'acknowledged 13',
    ]);
  });

  it('skips the records a transaction committed after this member read its position', async () => {
    const { handler, calls, supervisor } = handlerWith('12');
    await handler.handle(batchOf([10, 11, 12, 13], calls), supervisor.epoch.current);
    expect(calls).toEqual(['resolve 11', 'publish 2 next 14', 'resolve 13', 'acknowledged 14']);
  });

  it('seeks past a batch answered whole, publishing nothing', async () => {
    const { handler, calls, supervisor } = handlerWith('20');
    await handler.handle(batchOf([10, 11], calls), supervisor.epoch.current);
    expect(calls).toEqual(['seek 0@20']);
  });

  it('publishes nothing for a batch whose recovery epoch was given up', async () => {
    const { handler, calls, supervisor } = handlerWith(undefined);
    const epoch = supervisor.epoch.current;
    supervisor.epoch.abandon();
    await handler.handle(batchOf([10, 11], calls), epoch);
    expect(calls).toEqual([]);
  });
});
