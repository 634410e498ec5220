import { createLogger, type KafkaClient } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { AtLeastOnceSink } from '../../../src/stream/delivery/at-least-once-sink.js';
import { createSink } from '../../../src/stream/delivery/create-sink.js';
import { ExactlyOnceSink } from '../../../src/stream/delivery/exactly-once-sink.js';
import { GenerationFencedSink } from '../../../src/stream/delivery/generation-fenced-sink.js';

// Constructing a sink makes its producers and admin but connects nothing: a client of fakes is enough.
function client(supportsGroupMetadataFencing: boolean): KafkaClient {
  const none = () => ({}) as never;
  return {
    name: 'platformatic',
    supportsGroupMetadataFencing,
    producer: none,
    transactionalProducer: none,
    admin: none,
    consumer: none,
    refusal: () => undefined,
  };
}

const settings = { groupId: 'g', commitIntervalMs: 0, logger: createLogger({ level: 'silent' }) };
const commit = async () => {};

describe('createSink', () => {
  it('commits through the group at least once, whatever the client', () => {
    const sink = createSink(
      { ...settings, client: client(true), groupProtocol: 'classic', guarantee: 'at_least_once' },
      commit,
    );
    expect(sink).toBeInstanceOf(AtLeastOnceSink);
  });

  it('fences by group generation (KIP-447) where the client reports it under the classic protocol', () => {
    const sink = createSink(
      { ...settings, client: client(true), groupProtocol: 'classic', guarantee: 'exactly_once' },
      commit,
    );
    expect(sink).toBeInstanceOf(GenerationFencedSink);
  });

  it('fences by a transactional id per input partition otherwise', () => {
    for (const [fencing, protocol] of [
      [false, 'classic'],
      [true, 'consumer'],
    ] as const) {
      const sink = createSink(
        { ...settings, client: client(fencing), groupProtocol: protocol, guarantee: 'exactly_once' },
        commit,
      );
      expect(sink).toBeInstanceOf(ExactlyOnceSink);
    }
  });
});
