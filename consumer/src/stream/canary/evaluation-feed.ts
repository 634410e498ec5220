import type { WindowFigures } from './canary-judge.js';

/** A rollback as recorded on EVALUATIONS_TOPIC, so every member (and a restarted one) applies it. */
export interface RollbackDecision {
  kind: 'canary-rollback';
  model: string;
  /** The candidate rolled back. */
  version: string;
  champion: string;
  reason: RollbackReason;
  detail: string;
  decided_at: string;
}

export type RollbackReason = 'error' | 'failures';

export type FeedRecord =
  | { kind: 'window'; figures: WindowFigures }
  | { kind: 'rollback'; decision: RollbackDecision }
  | { kind: 'other' };

/**
 * Reads one record of EVALUATIONS_TOPIC: an evaluator window (consumer/src/evaluate/evaluation-record.ts) or a
 * rollback decision. Anything else (a record of a newer kind, a broken one) is `other`: the feed is advisory, and a
 * record it cannot read must not stop scoring.
 */
export function readFeedRecord(value: Buffer | null): FeedRecord {
  if (value === null) return { kind: 'other' };
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    return { kind: 'other' };
  }
  if (typeof data !== 'object' || data === null) return { kind: 'other' };
  if (data.kind === 'canary-rollback' && typeof data.version === 'string') {
    return { kind: 'rollback', decision: data as unknown as RollbackDecision };
  }
  const { version, window_start, partition, count, sum_squared_error, sum_error } = data;
  if (
    typeof version === 'string' &&
    typeof window_start === 'string' &&
    Number.isInteger(partition) &&
    Number.isFinite(count) &&
    Number.isFinite(sum_squared_error) &&
    Number.isFinite(sum_error)
  ) {
    return {
      kind: 'window',
      figures: {
        version,
        window: `${window_start}|${partition}`,
        count: count as number,
        sumSquaredError: sum_squared_error as number,
        sumError: sum_error as number,
      },
    };
  }
  return { kind: 'other' };
}

export function rollbackRecord(decision: RollbackDecision): { key: string; value: string } {
  return { key: `canary-rollback|${decision.version}`, value: JSON.stringify(decision) };
}
