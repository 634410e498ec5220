import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import {
  CoordinatorUnreachable,
  rejoinOnUnreachableCoordinator,
  rejoinWhenCoordinatorUnreachable,
} from '../../../src/kafka/kafkajs/coordinator-unreachable.js';

const require = createRequire(import.meta.url);
// kafkajs's own error classes, as its connection layer throws them.
const kafkajsErrors = require('kafkajs') as Record<string, new (message: string, extra?: object) => Error>;

describe('rejoinOnUnreachableCoordinator', () => {
  it.each(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError'])(
    'turns %s into the NOT_COORDINATOR answer on which kafkajs rejoins (finding the coordinator afresh)',
    async (name) => {
      const refused = new kafkajsErrors[name]!('Connection error: connect ECONNREFUSED 127.0.0.1:39221');
      expect(refused.name).toBe(name);
      const heartbeat = rejoinOnUnreachableCoordinator(async () => {
        throw refused;
      });
      const err = await heartbeat().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CoordinatorUnreachable);
      // What kafkajs 2.2.4's isRebalancing (src/errors.js) reads.
      expect((err as CoordinatorUnreachable).type).toBe('NOT_COORDINATOR_FOR_GROUP');
      expect((err as CoordinatorUnreachable).cause).toBe(refused);
    },
  );

  it("passes the coordinator's own answers and successes through unchanged", async () => {
    const rebalancing = Object.assign(new Error('The group is rebalancing'), {
      type: 'REBALANCE_IN_PROGRESS',
    });
    const failing = rejoinOnUnreachableCoordinator(async () => {
      throw rebalancing;
    });
    await expect(failing()).rejects.toBe(rebalancing);
    const beat = vi.fn(async () => {});
    await rejoinOnUnreachableCoordinator(beat)();
    expect(beat).toHaveBeenCalledTimes(1);
  });
});

describe('rejoinWhenCoordinatorUnreachable', () => {
  // kafkajs's own consumer group, whose heartbeat() its runner calls between fetches and after each batch.
  const ConsumerGroup = require('kafkajs/src/consumer/consumerGroup.js') as new (
    options: object,
  ) => {
    memberId: string | null;
    lastRequest: number;
    coordinator: { heartbeat(payload: object): Promise<void> } | null;
    heartbeat(options: { interval: number }): Promise<void>;
  };
  const silent = { namespace: () => silent, debug() {}, info() {}, warn() {}, error() {} };

  function groupWhoseCoordinator(heartbeat: () => Promise<void>) {
    const group = new ConsumerGroup({
      logger: silent,
      instrumentationEmitter: { emit() {} },
      groupId: 'rides',
      topics: [],
    });
    group.memberId = 'member-1';
    group.lastRequest = 0;
    group.coordinator = { heartbeat };
    return group;
  }

  it("makes kafkajs's own heartbeat to a dead coordinator the NOT_COORDINATOR answer on which its runner rejoins", async () => {
    rejoinWhenCoordinatorUnreachable();
    const refused = new kafkajsErrors.KafkaJSConnectionError!(
      'Connection error: connect ECONNREFUSED 127.0.0.1:39221',
    );
    const group = groupWhoseCoordinator(async () => {
      throw refused;
    });
    const err = await group.heartbeat({ interval: 3000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CoordinatorUnreachable);
    expect((err as CoordinatorUnreachable).cause).toBe(refused);
  });

  it("leaves a live coordinator's heartbeat, and kafkajs's interval, as they were", async () => {
    rejoinWhenCoordinatorUnreachable();
    const beat = vi.fn(async () => {});
    const group = groupWhoseCoordinator(beat);
    await group.heartbeat({ interval: 3000 });
    expect(beat).toHaveBeenCalledTimes(1);
    // Not due yet: kafkajs's own interval check still applies.
    await group.heartbeat({ interval: 3000 });
    expect(beat).toHaveBeenCalledTimes(1);
  });
});
