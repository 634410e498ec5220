import { type ErrorFigures, ErrorSums } from './error-sums.js';
import type { RidePair } from './ride-pairs.js';

/**
 * The durations the model is trained and validated on (metadata.json `target.cleaning`: keep 1 <= duration <= 60).
 * Pairs outside them are counted but kept out of the error figures, so live figures compare with the offline ones.
 */
export const EVALUATED_MINUTES = { min: 1, max: 60 } as const;

/** One model version's figures over one event-time window (by drop-off instant). */
export interface WindowFigures extends ErrorFigures {
  model: string;
  version: string;
  windowStartMs: number;
  windowEndMs: number;
  /** Pairs whose actual duration is outside EVALUATED_MINUTES. */
  outOfRange: number;
}

interface OpenWindow {
  model: string;
  version: string;
  startMs: number;
  sums: ErrorSums;
  outOfRange: number;
  /** The oldest prediction and completion offsets among its pairs: a restart reads again from there to rebuild it. */
  oldestPrediction: bigint;
  oldestCompletion: bigint;
}

/**
 * Error figures per model version and tumbling window of drop-off time. A window is final once the watermark is past
 * its end by the allowed lateness: pairs that arrive later for it are counted as late and not added.
 */
export class ErrorWindows {
  private readonly open = new Map<string, OpenWindow>();
  private readonly windowMs: number;
  private readonly latenessMs: number;
  private closedBeforeMs = Number.NEGATIVE_INFINITY;
  private lateCount = 0;

  /** `closedBeforeMs`: where windows were final at the last checkpoint (a restart publishes none of those again). */
  constructor(settings: { windowMs: number; latenessMs: number; closedBeforeMs?: number }) {
    this.windowMs = settings.windowMs;
    this.latenessMs = settings.latenessMs;
    this.closedBeforeMs = settings.closedBeforeMs ?? Number.NEGATIVE_INFINITY;
  }

  /** Windows before this instant are final: published, or to be published with the next close. */
  get closedBefore(): number {
    return this.closedBeforeMs;
  }

  /** Adds a pair to its version's window; false when that window is already final (a late pair). */
  add(pair: RidePair): boolean {
    const { ride, outcome } = pair;
    const startMs = Math.floor(outcome.dropoffMs / this.windowMs) * this.windowMs;
    if (startMs < this.closedBeforeMs) {
      // Both halves read before a restart: a pair of a window published then, not a late one.
      if (!(ride.replayed && outcome.replayed)) this.lateCount += 1;
      return false;
    }
    const key = `${ride.version}\u0000${startMs}`;
    let window = this.open.get(key);
    if (window === undefined) {
      window = {
        model: ride.model,
        version: ride.version,
        startMs,
        sums: new ErrorSums(),
        outOfRange: 0,
        oldestPrediction: ride.offset,
        oldestCompletion: outcome.offset,
      };
      this.open.set(key, window);
    }
    if (ride.offset < window.oldestPrediction) window.oldestPrediction = ride.offset;
    if (outcome.offset < window.oldestCompletion) window.oldestCompletion = outcome.offset;
    if (pair.actualMinutes < EVALUATED_MINUTES.min || pair.actualMinutes > EVALUATED_MINUTES.max) {
      window.outOfRange += 1;
    } else {
      window.sums.add(pair.ride.predictedMinutes, pair.actualMinutes);
    }
    return true;
  }

  /** Pairs that arrived for a window already final. */
  get late(): number {
    return this.lateCount;
  }

  /** Finalises and returns the windows that end at or before `watermarkMs` minus the lateness, oldest first. */
  close(watermarkMs: number): WindowFigures[] {
    const before = Math.floor((watermarkMs - this.latenessMs) / this.windowMs) * this.windowMs;
    if (before <= this.closedBeforeMs) return [];
    this.closedBeforeMs = before;
    return this.take((w) => w.startMs < before);
  }

  /** The oldest prediction and completion offsets among the open windows' pairs (undefined when none is open). */
  oldestOpen(): { prediction: bigint | undefined; completion: bigint | undefined } {
    let prediction: bigint | undefined;
    let completion: bigint | undefined;
    for (const w of this.open.values()) {
      if (prediction === undefined || w.oldestPrediction < prediction) prediction = w.oldestPrediction;
      if (completion === undefined || w.oldestCompletion < completion) completion = w.oldestCompletion;
    }
    return { prediction, completion };
  }

  /** Every window still open, as it stands (at shutdown, or for a live view). */
  peek(): WindowFigures[] {
    return [...this.open.values()].map((w) => this.figures(w)).sort(byStart);
  }

  private take(isFinal: (w: OpenWindow) => boolean): WindowFigures[] {
    const out: WindowFigures[] = [];
    for (const [key, window] of this.open) {
      if (!isFinal(window)) continue;
      this.open.delete(key);
      out.push(this.figures(window));
    }
    return out.sort(byStart);
  }

  private figures(w: OpenWindow): WindowFigures {
    return {
      model: w.model,
      version: w.version,
      windowStartMs: w.startMs,
      windowEndMs: w.startMs + this.windowMs,
      outOfRange: w.outOfRange,
      ...w.sums.figures(),
    };
  }
}

const byStart = (a: WindowFigures, b: WindowFigures): number =>
  a.windowStartMs - b.windowStartMs || a.version.localeCompare(b.version);
