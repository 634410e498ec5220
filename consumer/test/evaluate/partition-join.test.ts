import { describe, expect, it } from 'vitest';
import type { WindowFigures } from '../../src/evaluate/error-windows.js';
import {
  type InputPosition,
  type JoinCommit,
  PartitionJoin,
  parseCheckpoint,
} from '../../src/evaluate/partition-join.js';

const MIN = 60_000;
const T0 = Date.UTC(2021, 1, 1, 0);
const SETTINGS = { windowMs: 60 * MIN, latenessMs: 5 * MIN, ttlMs: 3 * 60 * MIN, maxPending: 100_000 };

type Prediction = { offset: bigint; rideId: string; pickupMs: number; predictedMinutes: number; at: number };
type Completion = { offset: bigint; rideId: string; dropoffMs: number; at: number };

/** A deterministic day of rides on one partition: predictions arrive a little after pickup, completions at drop-off. */
function rides(count: number): { predictions: Prediction[]; completions: Completion[] } {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const predictions: Omit<Prediction, 'offset'>[] = [];
  const completions: Omit<Completion, 'offset'>[] = [];
  let pickupMs = T0;
  for (let i = 0; i < count; i++) {
    pickupMs += Math.floor(random() * 40_000);
    const actual = 0.5 + random() * 70; // some outside the trained 1..60
    const rideId = `r:${i}`;
    predictions.push({
      rideId,
      pickupMs,
      predictedMinutes: actual + (random() - 0.6) * 8,
      at: pickupMs + random() * 30_000,
    });
    if (i % 3 === 1) predictions.push({ ...predictions.at(-1)!, at: pickupMs + 45_000 }); // at-least-once duplicate
    if (i % 50 !== 7)
      completions.push({ rideId, dropoffMs: pickupMs + actual * MIN, at: pickupMs + actual * MIN }); // some never complete
  }
  const ordered = <T extends { at: number }>(xs: T[]) =>
    xs.sort((a, b) => a.at - b.at).map((x, i) => ({ ...x, offset: BigInt(i) }));
  return { predictions: ordered(predictions), completions: ordered(completions) };
}

type Batch = { side: 'prediction'; records: Prediction[] } | { side: 'completion'; records: Completion[] };

/** Both inputs as the consumer would hand them over: batches of up to 40 from whichever input is due first. */
function batchesFrom(p: Prediction[], c: Completion[]): Batch[] {
  const batches: Batch[] = [];
  let i = 0;
  let j = 0;
  while (i < p.length || j < c.length) {
    if (j >= c.length || (i < p.length && p[i]!.at <= c[j]!.at)) {
      batches.push({ side: 'prediction', records: p.slice(i, i + 40) });
      i += 40;
    } else {
      batches.push({ side: 'completion', records: c.slice(j, j + 40) });
      j += 40;
    }
  }
  return batches;
}

function feed(join: PartitionJoin, batch: Batch): void {
  if (batch.side === 'prediction') {
    for (const r of batch.records)
      join.addPrediction({ ...r, model: 'ride-duration', version: '1.0.0', rideId: r.rideId });
  } else {
    for (const r of batch.records) join.addCompletion(r);
  }
}

/** What a transaction per batch leaves behind: the windows published, and the offsets and checkpoints committed. */
interface Committed {
  windows: WindowFigures[];
  commits: Partial<Record<'prediction' | 'completion', JoinCommit>>;
}

function run(join: PartitionJoin, batches: Batch[], committed: Committed): void {
  for (const batch of batches) {
    feed(join, batch);
    committed.windows.push(...join.close());
    committed.commits = { ...committed.commits, ...join.commits() };
  }
}

const fresh = (): Record<'prediction' | 'completion', InputPosition> => ({
  prediction: { offset: -1n, checkpoint: undefined },
  completion: { offset: -1n, checkpoint: undefined },
});

// Figures to 1e-9 min: pairs added in another order after a restart sum their floats in another order.
const byWindow = (ws: WindowFigures[]) =>
  ws.map((w) => [
    w.windowStartMs,
    w.count,
    w.outOfRange,
    w.rmse.toFixed(9),
    w.mae.toFixed(9),
    w.bias.toFixed(9),
  ]);

describe('PartitionJoin', () => {
  const { predictions, completions } = rides(3000);

  it('publishes every window once, with figures equal to those computed from all the pairs at once', () => {
    const committed: Committed = { windows: [], commits: {} };
    run(new PartitionJoin(SETTINGS, fresh()), batchesFrom(predictions, completions), committed);
    const starts = committed.windows.map((w) => w.windowStartMs);
    expect(new Set(starts).size).toBe(starts.length);
    expect(committed.windows.length).toBeGreaterThan(10);
    // The reference: every ride with both halves, dropped into its window, outside 1..60 min counted apart.
    const complete = new Map(completions.map((c) => [c.rideId, c.dropoffMs]));
    const reference = new Map<number, number[]>();
    for (const p of new Map(predictions.map((x) => [x.rideId, x])).values()) {
      const dropoffMs = complete.get(p.rideId);
      if (dropoffMs === undefined) continue;
      const actual = (dropoffMs - p.pickupMs) / MIN;
      if (actual < 1 || actual > 60) continue;
      const start = Math.floor(dropoffMs / SETTINGS.windowMs) * SETTINGS.windowMs;
      reference.set(start, [...(reference.get(start) ?? []), p.predictedMinutes - actual]);
    }
    for (const w of committed.windows) {
      const errors = reference.get(w.windowStartMs) ?? [];
      expect(w.count).toBe(errors.length);
      expect(w.bias).toBeCloseTo(errors.reduce((s, e) => s + e, 0) / errors.length, 9);
      expect(w.rmse).toBeCloseTo(Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length), 9);
    }
  });

  it.each([5, 37, 120, 301])(
    'after a crash following batch %i, restarting from what it committed publishes the same windows, each once',
    (crashAfter) => {
      const batches = batchesFrom(predictions, completions);
      const whole: Committed = { windows: [], commits: {} };
      const wholeJoin = new PartitionJoin(SETTINGS, fresh());
      run(wholeJoin, batches, whole);

      const before: Committed = { windows: [], commits: {} };
      const crashed = new PartitionJoin(SETTINGS, fresh());
      run(crashed, batches.slice(0, crashAfter), before);
      // The restart reads each input again from its committed offset, with the checkpoint committed beside it.
      const resume = (side: 'prediction' | 'completion'): InputPosition => {
        const commit = before.commits[side];
        return { offset: commit?.offset ?? -1n, checkpoint: parseCheckpoint(commit?.metadata ?? null) };
      };
      const positions = { prediction: resume('prediction'), completion: resume('completion') };
      const from = (xs: { offset: bigint; at: number }[], at: bigint) =>
        xs.filter((x) => x.offset >= (at < 0n ? 0n : at));
      const after: Committed = { windows: [], commits: {} };
      const restarted = new PartitionJoin(SETTINGS, positions);
      run(
        restarted,
        batchesFrom(
          from(predictions, positions.prediction.offset) as Prediction[],
          from(completions, positions.completion.offset) as Completion[],
        ),
        after,
      );

      expect(byWindow([...before.windows, ...after.windows])).toEqual(byWindow(whole.windows));
      const total = (k: 'paired' | 'duplicates' | 'expiredPredictions' | 'expiredCompletions') =>
        crashed.counts[k] + restarted.counts[k];
      expect(total('paired')).toBe(wholeJoin.counts.paired);
      expect(total('duplicates')).toBe(wholeJoin.counts.duplicates);
      expect(total('expiredPredictions')).toBe(wholeJoin.counts.expiredPredictions);
      expect(total('expiredCompletions')).toBe(wholeJoin.counts.expiredCompletions);
    },
  );

  it('commits the oldest offset still needed, not the last read, while rides wait for their completion', () => {
    const join = new PartitionJoin(SETTINGS, fresh());
    join.addPrediction({
      offset: 0n,
      rideId: 'a',
      model: 'm',
      version: '1',
      predictedMinutes: 10,
      pickupMs: T0,
    });
    join.addPrediction({
      offset: 1n,
      rideId: 'b',
      model: 'm',
      version: '1',
      predictedMinutes: 10,
      pickupMs: T0 + MIN,
    });
    join.addCompletion({ offset: 0n, rideId: 'b', dropoffMs: T0 + 12 * MIN });
    const commits = join.commits();
    expect(commits.prediction?.offset).toBe(0n);
    expect(commits.completion?.offset).toBe(0n);
    expect(parseCheckpoint(commits.prediction!.metadata)).toEqual({
      closedBeforeMs: null,
      readTo: '2',
      // Swept on the sweep grid (a tenth of the TTL) once both inputs had an event.
      expiredBeforeMs:
        Math.floor((T0 + MIN) / (SETTINGS.ttlMs / 10)) * (SETTINGS.ttlMs / 10) - SETTINGS.ttlMs,
    });
  });

  it('reads no checkpoint from metadata it did not write', () => {
    expect(parseCheckpoint(null)).toBeUndefined();
    expect(parseCheckpoint('')).toBeUndefined();
    expect(parseCheckpoint('{"closedBeforeMs":"x","readTo":"1","expiredBeforeMs":null}')).toBeUndefined();
    expect(parseCheckpoint('{"closedBeforeMs":5,"readTo":"-3","expiredBeforeMs":null}')).toBeUndefined();
    expect(parseCheckpoint('{"closedBeforeMs":5,"readTo":"12"}')).toBeUndefined();
    expect(parseCheckpoint('{"closedBeforeMs":5,"readTo":"12","expiredBeforeMs":2}')).toEqual({
      closedBeforeMs: 5,
      readTo: '12',
      expiredBeforeMs: 2,
    });
    expect(parseCheckpoint('{"closedBeforeMs":null,"readTo":"0","expiredBeforeMs":null}')).toEqual({
      closedBeforeMs: null,
      readTo: '0',
      expiredBeforeMs: null,
    });
  });
});
