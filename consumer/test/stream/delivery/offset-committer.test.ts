import { createLogger } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { OffsetCommitter, type PartitionOffset } from '../../../src/stream/delivery/offset-committer.js';

const logger = createLogger({ level: 'silent' });

describe('OffsetCommitter', () => {
  it('commits only the latest offset per partition, on flush', async () => {
    const commits: PartitionOffset[][] = [];
    const c = new OffsetCommitter(async (o) => void commits.push(o), 1000, logger);
    await c.processed({ topic: 't', partition: 0, offset: '10' });
    await c.processed({ topic: 't', partition: 0, offset: '20' });
    await c.processed({ topic: 't', partition: 1, offset: '5' });
    expect(commits).toEqual([]);
    await c.flush();
    expect(commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '20' },
        { topic: 't', partition: 1, offset: '5' },
      ],
    ]);
    await c.flush();
    expect(commits).toHaveLength(1);
  });

  it('commits at once with no interval, and on stop otherwise', async () => {
    const commits: PartitionOffset[][] = [];
    const now = new OffsetCommitter(async (o) => void commits.push(o), 0, logger);
    await now.processed({ topic: 't', partition: 2, offset: '7' });
    expect(commits).toEqual([[{ topic: 't', partition: 2, offset: '7' }]]);
    const later = new OffsetCommitter(async (o) => void commits.push(o), 60_000, logger);
    later.start();
    await later.processed({ topic: 't', partition: 3, offset: '9' });
    await later.stop();
    expect(commits.at(-1)).toEqual([{ topic: 't', partition: 3, offset: '9' }]);
  });

  it('drops progress of revoked partitions and survives a failed commit', async () => {
    const commits: PartitionOffset[][] = [];
    let fail = true;
    const c = new OffsetCommitter(
      async (o) => {
        if (fail) throw new Error('REBALANCE_IN_PROGRESS');
        commits.push(o);
      },
      1000,
      logger,
    );
    await c.processed({ topic: 't', partition: 0, offset: '1' });
    await c.processed({ topic: 't', partition: 1, offset: '1' });
    c.retainOnly('t', [1]);
    await c.flush();
    fail = false;
    await c.processed({ topic: 't', partition: 1, offset: '2' });
    await c.flush();
    expect(commits).toEqual([[{ topic: 't', partition: 1, offset: '2' }]]);
  });

  it('keeps the offsets of a failed commit for the next flush, newer progress winning', async () => {
    const commits: PartitionOffset[][] = [];
    let fail = true;
    const c = new OffsetCommitter(
      async (o) => {
        if (fail) throw new Error('COORDINATOR_NOT_AVAILABLE');
        commits.push(o);
      },
      1000,
      logger,
    );
    await c.processed({ topic: 't', partition: 0, offset: '130' });
    await c.processed({ topic: 't', partition: 1, offset: '7' });
    await c.flush();
    await c.processed({ topic: 't', partition: 1, offset: '9' });
    fail = false;
    // Partition 0 gets no more records: only the retry can move its committed offset.
    await c.flush();
    expect(commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '130' },
        { topic: 't', partition: 1, offset: '9' },
      ],
    ]);
  });

  it('never has two commits in flight: a slow, retried older commit cannot land after a newer one', async () => {
    // The client retries a commit for seconds across a broker restart; meanwhile the next interval's flush comes.
    const landed: PartitionOffset[][] = [];
    let inFlight = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const c = new OffsetCommitter(
      async (o) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // The first commit is slow; later ones answer at once.
        if (landed.length === 0 && releases.length === 0) await new Promise<void>((r) => releases.push(r));
        landed.push(o);
        inFlight -= 1;
      },
      1000,
      logger,
    );
    await c.processed({ topic: 't', partition: 0, offset: '88' });
    const older = c.flush();
    await c.processed({ topic: 't', partition: 0, offset: '134' });
    const newer = c.flush();
    await new Promise((r) => setTimeout(r, 10));
    releases[0]!();
    await Promise.all([older, newer]);
    expect(most).toBe(1);
    expect(landed.at(-1)).toEqual([{ topic: 't', partition: 0, offset: '134' }]);
  });
});
