export const MINUTES_PER_DAY = 1440;
const DAY_MS = 86_400_000;

/** The day to take from a TLC month: the mean of its weekdays (Monday to Friday), or one date (YYYY-MM-DD). */
export type DaySelection = { kind: 'weekday-average' } | { kind: 'date'; date: string };

export interface PickupProfile {
  /** Pickups in each minute of the day, New York time. */
  perMinute: number[];
  /** What the profile is: "weekdays of 2021-01 (21 days)" or "2021-01-12". */
  label: string;
}

/**
 * Pickups per minute of one day from TLC pickup times (New York wall-clock milliseconds, as if UTC, which is how
 * TLC files store them). Rides outside the file's month (the TLC files carry a few stray years) are left out.
 */
export function pickupProfile(pickupWallMs: readonly number[], selection: DaySelection): PickupProfile {
  const month = commonestMonth(pickupWallMs);
  const perMinute = new Array<number>(MINUTES_PER_DAY).fill(0);
  const inDay =
    selection.kind === 'date'
      ? (d: Date) => d.toISOString().startsWith(selection.date)
      : (d: Date) => d.toISOString().startsWith(month) && isWeekday(d);
  let rides = 0;
  for (const ms of pickupWallMs) {
    const d = new Date(ms);
    if (Number.isNaN(ms) || !inDay(d)) continue;
    perMinute[Math.floor((ms % DAY_MS) / 60_000)]! += 1;
    rides++;
  }
  if (rides === 0) {
    const what = selection.kind === 'date' ? `on ${selection.date}` : `on a weekday of ${month}`;
    throw new Error(`no pickups ${what} in this file (its month is ${month})`);
  }
  if (selection.kind === 'date') return { perMinute, label: selection.date };
  const days = weekdaysIn(month);
  return { perMinute: perMinute.map((n) => n / days), label: `weekdays of ${month} (${days} days)` };
}

/** A centred moving average over `window` minutes, wrapping around midnight (the day repeats). */
export function smooth(perMinute: readonly number[], window: number): number[] {
  const n = perMinute.length;
  const before = Math.floor((window - 1) / 2);
  return perMinute.map((_, i) => {
    let sum = 0;
    for (let k = i - before; k < i - before + window; k++) sum += perMinute[((k % n) + n) % n]!;
    return sum / window;
  });
}

/** Rides per second in each minute, scaled so the busiest minute offers peakPerS; and the factor applied. */
export function scaleToPeak(
  perMinute: readonly number[],
  peakPerS: number,
): { perS: number[]; factor: number } {
  const busiest = Math.max(...perMinute) / 60;
  const factor = peakPerS / busiest;
  return { perS: perMinute.map((n) => (n / 60) * factor), factor };
}

function commonestMonth(pickupWallMs: readonly number[]): string {
  const counts = new Map<string, number>();
  for (const ms of pickupWallMs) {
    if (Number.isNaN(ms)) continue;
    const month = new Date(ms).toISOString().slice(0, 7);
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  const [best] = [...counts].sort((x, y) => y[1] - x[1]);
  if (best === undefined) throw new Error('the file has no pickup times');
  return best[0];
}

function isWeekday(d: Date): boolean {
  const day = d.getUTCDay();
  return day >= 1 && day <= 5;
}

function weekdaysIn(month: string): number {
  let days = 0;
  for (
    let d = new Date(`${month}-01T00:00:00Z`);
    d.toISOString().startsWith(month);
    d = new Date(d.getTime() + DAY_MS)
  )
    if (isWeekday(d)) days++;
  return days;
}
