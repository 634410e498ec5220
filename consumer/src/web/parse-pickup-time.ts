import { nycLocalToEpochMs, RequestError } from '@ride/shared';

// A naive timestamp, as the TLC files and the course notebooks write them: New York wall-clock time.
const NAIVE_LOCAL = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;
// An ISO 8601 instant with an explicit offset or Z.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The pickup instant (epoch ms) from a request's `pickup_datetime`: epoch milliseconds, an ISO instant with an
 * offset, or a naive local time taken as New York time. Missing means now.
 */
export function parsePickupTime(value: unknown, field: string, now: number): number {
  if (value === undefined || value === null) return now;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (NAIVE_LOCAL.test(text)) return nycLocalToEpochMs(text);
    if (ISO_INSTANT.test(text)) {
      const ms = Date.parse(text);
      if (Number.isFinite(ms)) return ms;
    }
  }
  throw new RequestError(
    `${field} ${JSON.stringify(value)} is not a time: give epoch milliseconds, an ISO instant ` +
      `('2021-02-01T13:15:00Z') or a New York local time ('2021-02-01T08:15:00')`,
    { details: { field } },
  );
}
