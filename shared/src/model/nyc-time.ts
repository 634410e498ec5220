/**
 * Ride times in New York local time, the clock the TLC records and the model was trained on.
 * DST transitions in America/New_York fall on whole hours, so the UTC offset is cached per UTC hour:
 * one Intl call per distinct hour instead of one per event.
 */
export const NYC_TIME_ZONE = 'America/New_York';
const HOUR_MS = 3_600_000;

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: NYC_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const offsetCache = new Map<number, number>();

/** Milliseconds to add to a UTC instant to get New York wall-clock time at that instant. */
export function nycOffsetMs(epochMs: number): number {
  const hourKey = Math.floor(epochMs / HOUR_MS);
  let offset = offsetCache.get(hourKey);
  if (offset === undefined) {
    const at = hourKey * HOUR_MS;
    const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
    const wall = Date.UTC(
      +parts.year!,
      +parts.month! - 1,
      +parts.day!,
      +parts.hour!,
      +parts.minute!,
      +parts.second!,
    );
    offset = wall - at;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(hourKey, offset);
  }
  return offset;
}

export interface LocalTimeParts {
  /** 0..23 */
  hour: number;
  /** 0 = Monday .. 6 = Sunday (pandas' dayofweek). */
  dow: number;
}

export function nycTimeParts(epochMs: number): LocalTimeParts {
  const local = new Date(epochMs + nycOffsetMs(epochMs));
  return { hour: local.getUTCHours(), dow: (local.getUTCDay() + 6) % 7 };
}

/**
 * Interprets a naive local timestamp ('2021-02-01T08:15:00', as in TLC files) as New York time.
 * In the repeated hour when clocks fall back the earlier instant wins; a wall time skipped when clocks
 * spring forward maps one hour later (02:30 becomes 03:30 EDT), as java.time and pandas' 'shift_forward' do.
 */
export function nycLocalToEpochMs(local: string): number {
  return nycWallToEpochMs(Date.parse(`${local.replace(' ', 'T')}Z`));
}

/** Same as nycLocalToEpochMs for a wall-clock time given as milliseconds (parquet readers give naive times so). */
export function nycWallToEpochMs(wall: number): number {
  if (!Number.isFinite(wall)) return Number.NaN;
  // The offsets in force a day before and a day after cover both sides of any transition near this date.
  const candidates = [wall - nycOffsetMs(wall - 24 * HOUR_MS), wall - nycOffsetMs(wall + 24 * HOUR_MS)];
  const exact = candidates.filter((t) => t + nycOffsetMs(t) === wall);
  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}
