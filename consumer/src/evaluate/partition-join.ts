import { ErrorWindows, type WindowFigures } from './error-windows.js';
import { type PairCounts, type RideOutcome, RidePairs, type ScoredRide } from './ride-pairs.js';

/**
 * What the evaluator keeps in the metadata of each input partition's committed offset, as Kafka Streams keeps a
 * partition's stream time there: written with the offsets in the same transaction as the windows it published.
 */
export interface JoinCheckpoint {
  /** Windows before this instant were published; null before the first was. */
  closedBeforeMs: number | null;
  /** The offset read up to when committed: records before it, read again after a restart, are a replay. */
  readTo: string;
  /** The expiry cutoff reached (RidePairs): what was older and read was given up and counted; null before any. */
  expiredBeforeMs: number | null;
}

/** The checkpoint in a committed offset's metadata; undefined for none, or for metadata this program did not write. */
export function parseCheckpoint(metadata: string | null): JoinCheckpoint | undefined {
  if (metadata === null) return undefined;
  try {
    const value = JSON.parse(metadata) as Partial<JoinCheckpoint>;
    const { closedBeforeMs, expiredBeforeMs, readTo } = value;
    if (!isInstantOrNull(closedBeforeMs) || !isInstantOrNull(expiredBeforeMs)) return undefined;
    if (typeof readTo !== 'string' || !/^\d+$/.test(readTo)) return undefined;
    return { closedBeforeMs, readTo, expiredBeforeMs };
  } catch {
    return undefined;
  }
}

const isInstantOrNull = (t: unknown): t is number | null => t === null || typeof t === 'number';

/** A finite instant, or null for none (JSON has no -Infinity). */
const instantOrNull = (t: number): number | null => (Number.isFinite(t) ? t : null);

const latest = (...ts: (number | null | undefined)[]): number =>
  ts
    .filter((t): t is number => typeof t === 'number')
    .reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);

export interface JoinSettings {
  windowMs: number;
  latenessMs: number;
  ttlMs: number;
  maxPending: number;
}

/** Where one input partition stands: its committed offset (-1 for none) and the checkpoint beside it. */
export interface InputPosition {
  offset: bigint;
  checkpoint: JoinCheckpoint | undefined;
}

/** An offset to commit with its checkpoint, for one input. */
export interface JoinCommit {
  offset: bigint;
  metadata: string;
}

type Side = 'prediction' | 'completion';

/** One input's read position, replay boundary and event-time progress. */
class InputCursor {
  /** Next offset to read; -1 until something is read where nothing was committed. */
  next: bigint;
  readonly replayTo: bigint;
  maxEventMs = Number.NEGATIVE_INFINITY;

  constructor(position: InputPosition) {
    this.next = position.offset;
    this.replayTo = BigInt(position.checkpoint?.readTo ?? '-1');
  }

  read(offset: bigint, eventMs: number): boolean {
    if (offset + 1n > this.next) this.next = offset + 1n;
    if (eventMs > this.maxEventMs) this.maxEventMs = eventMs;
    return offset < this.replayTo;
  }

  /** The offset to commit: the oldest still needed, else the next to read; undefined while nothing is known. */
  commitAt(oldestNeeded: bigint | undefined): bigint | undefined {
    if (oldestNeeded !== undefined) return oldestNeeded;
    return this.next >= 0n ? this.next : undefined;
  }

  /** How far reading has ever got: the later of this run's position and the last checkpoint's. */
  readToAfter(): bigint {
    if (this.next > this.replayTo) return this.next;
    return this.replayTo;
  }
}

/**
 * The join of one partition number of the predictions and completions topics (co-partitioned: a ride's records are
 * on the same number of each), and the windows built from it. Its state is rebuilt after a restart or rebalance by
 * reading again from the offsets it commits: the oldest prediction and completion still waiting or in a window not
 * yet published. The checkpoint says which windows were published (none is published twice) and where reading had
 * got to (what is read again counts nothing twice).
 */
export class PartitionJoin {
  private readonly pairs: RidePairs;
  private readonly windows: ErrorWindows;
  private readonly cursors: Record<Side, InputCursor>;

  constructor(settings: JoinSettings, resume: Record<Side, InputPosition>) {
    const [p, c] = [resume.prediction.checkpoint, resume.completion.checkpoint];
    this.pairs = new RidePairs({
      ttlMs: settings.ttlMs,
      maxPending: settings.maxPending,
      expiredBeforeMs: latest(p?.expiredBeforeMs, c?.expiredBeforeMs),
    });
    this.windows = new ErrorWindows({
      windowMs: settings.windowMs,
      latenessMs: settings.latenessMs,
      closedBeforeMs: latest(p?.closedBeforeMs, c?.closedBeforeMs),
    });
    this.cursors = {
      prediction: new InputCursor(resume.prediction),
      completion: new InputCursor(resume.completion),
    };
  }

  addPrediction(ride: Omit<ScoredRide, 'replayed'>): void {
    const replayed = this.cursors.prediction.read(ride.offset, ride.pickupMs);
    const pair = this.pairs.addPrediction({ ...ride, replayed });
    if (pair !== undefined) this.windows.add(pair);
  }

  addCompletion(outcome: Omit<RideOutcome, 'replayed'>): void {
    const replayed = this.cursors.completion.read(outcome.offset, outcome.dropoffMs);
    const pair = this.pairs.addCompletion({ ...outcome, replayed });
    if (pair !== undefined) this.windows.add(pair);
  }

  /**
   * The windows that became final: both inputs have passed their end by the lateness. The slower input holds them
   * open, so a window does not close while the predictions for its rides are still on their way.
   */
  close(): WindowFigures[] {
    const watermark = Math.min(this.cursors.prediction.maxEventMs, this.cursors.completion.maxEventMs);
    return Number.isFinite(watermark) ? this.windows.close(watermark) : [];
  }

  /** What to commit for each input with the windows close() returned (an input with nothing known is left out). */
  commits(): Partial<Record<Side, JoinCommit>> {
    const held = this.pairs.oldestHeld();
    const open = this.windows.oldestOpen();
    const out: Partial<Record<Side, JoinCommit>> = {};
    for (const side of ['prediction', 'completion'] as const) {
      const cursor = this.cursors[side];
      const offset = cursor.commitAt(minOf(held[side], open[side]));
      if (offset === undefined) continue;
      const checkpoint: JoinCheckpoint = {
        closedBeforeMs: instantOrNull(this.windows.closedBefore),
        readTo: cursor.readToAfter().toString(),
        expiredBeforeMs: instantOrNull(this.pairs.expiredBefore),
      };
      out[side] = { offset, metadata: JSON.stringify(checkpoint) };
    }
    return out;
  }

  get counts(): Readonly<PairCounts> & { late: number } {
    return { ...this.pairs.counts, late: this.windows.late };
  }

  get pending(): { predictions: number; completions: number } {
    return this.pairs.pending;
  }
}

function minOf(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
