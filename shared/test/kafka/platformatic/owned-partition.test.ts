import { describe, expect, it } from 'vitest';
import { handedBatch, type Job, type Owned } from '../../../src/kafka/platformatic/owned-partition.js';

function jobAt(position: bigint): { owned: Owned; job: Job } {
  const owned: Owned = { topic: 't', partition: 0, key: 't:0', position, epoch: 3, highWatermark: 20n };
  const record = (offset: number) => ({
    offset: String(offset),
    timestamp: '0',
    key: null,
    value: null,
    headers: {},
  });
  return { owned, job: { owned, epoch: 3, messages: [record(5), record(6)], next: 7n } };
}

const session = (state: { running?: boolean; owns?: boolean; lapsed?: boolean }) => ({
  running: () => state.running ?? true,
  owns: () => state.owns ?? true,
  lapsed: () => state.lapsed ?? false,
});

describe('handedBatch', () => {
  it('moves the position past a resolved offset, and reports the lag to the high watermark', () => {
    const { owned, job } = jobAt(5n);
    const batch = handedBatch(job, session({}));
    batch.resolveOffset('6');
    expect(owned.position).toBe(7n);
    expect(batch.lag()).toBe(13n);
    expect(batch.isStale()).toBe(false);
  });

  it('is stale while the coordinator is silent, yet keeps what the caller resolved meanwhile', () => {
    // The caller's transaction committed during the lapse: the partition must not be fetched again from before it.
    const { owned, job } = jobAt(5n);
    const batch = handedBatch(job, session({ lapsed: true }));
    expect(batch.isStale()).toBe(true);
    batch.resolveOffset('6');
    expect(owned.position).toBe(7n);
  });

  it('drops a resolve once the partition was reassigned or sought since the fetch, or the session stopped', () => {
    for (const state of [{ owns: false }, { running: false }]) {
      const { owned, job } = jobAt(5n);
      const batch = handedBatch(job, session(state));
      expect(batch.isStale()).toBe(true);
      batch.resolveOffset('6');
      expect(owned.position).toBe(5n);
    }
  });
});
