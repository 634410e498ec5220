/**
 * The evaluator's figures as the demo shows them: every window record read from the evaluations topic, merged per
 * model version from the sums each carries (RMSE = √(Σ squared / Σ count), never an average of averages).
 */
export interface VersionFigures {
  version: string;
  count: number;
  rmse: number;
  mae: number;
  bias: number;
  outOfRange: number;
  /** Window records merged (one per version, input partition and window). */
  windows: number;
  /** The latest end of a merged window: how far in drop-off time the figures reach. */
  through: string;
}

interface Sums {
  count: number;
  error: number;
  absError: number;
  squaredError: number;
  outOfRange: number;
  windows: number;
  through: string;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export class EvaluationStats {
  private readonly versions = new Map<string, Sums>();
  /** Records on the topic that are not window figures (other writers share it), skipped. */
  skipped = 0;

  /** One record's value from the evaluations topic (JSON); anything else is counted as skipped. */
  add(value: Buffer | string | null | undefined): void {
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(String(value ?? ''));
    } catch {
      this.skipped++;
      return;
    }
    const { version, window_end, count, sum_error, sum_abs_error, sum_squared_error, out_of_range } = r ?? {};
    if (
      typeof version !== 'string' ||
      typeof window_end !== 'string' ||
      ![count, sum_error, sum_abs_error, sum_squared_error].every(isNumber)
    ) {
      this.skipped++;
      return;
    }
    const s = this.versions.get(version) ?? {
      count: 0,
      error: 0,
      absError: 0,
      squaredError: 0,
      outOfRange: 0,
      windows: 0,
      through: '',
    };
    s.count += count as number;
    s.error += sum_error as number;
    s.absError += sum_abs_error as number;
    s.squaredError += sum_squared_error as number;
    s.outOfRange += isNumber(out_of_range) ? out_of_range : 0;
    s.windows++;
    if (window_end > s.through) s.through = window_end;
    this.versions.set(version, s);
  }

  /** Per model version, by version; versions with no paired ride yet have no figures. */
  figures(): VersionFigures[] {
    return [...this.versions]
      .filter(([, s]) => s.count > 0)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([version, s]) => ({
        version,
        count: s.count,
        rmse: Math.sqrt(s.squaredError / s.count),
        mae: s.absError / s.count,
        bias: s.error / s.count,
        outOfRange: s.outOfRange,
        windows: s.windows,
        through: s.through,
      }));
  }
}
