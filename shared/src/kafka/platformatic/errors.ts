// How @platformatic/kafka reports failures, read for our callers and logs.

/**
 * True when the coordinator refused a request because the member's generation or id is no longer the group's
 * (the client's `needsRejoin`: ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS, …), however deep the
 * client nested it.
 */
export function needsRejoin(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const {
    needsRejoin: flag,
    errors,
    cause,
  } = err as { needsRejoin?: unknown; errors?: unknown; cause?: unknown };
  if (flag === true) return true;
  return (Array.isArray(errors) && errors.some(needsRejoin)) || needsRejoin(cause);
}

/**
 * True when a metadata request failed only because the cluster does not know yet what was asked: every innermost
 * error is one the client calls retriable (a leader not loaded yet), or the client's "Unknown topic <name>." — it
 * turns the broker's UNKNOWN_TOPIC_OR_PARTITION into that UserError (code PLT_KFK_USER, not retriable, no cause),
 * which a KRaft broker answers for a topic created a moment ago until its metadata cache catches up.
 */
export function notKnownYet(err: unknown): boolean {
  return innermostErrors(err).every((e) => {
    const { canRetry, code, message } = (e ?? {}) as {
      canRetry?: unknown;
      code?: unknown;
      message?: unknown;
    };
    if (canRetry === true) return true;
    return code === 'PLT_KFK_USER' && typeof message === 'string' && message.startsWith('Unknown topic ');
  });
}

/** The client's verdict on a failure it nested (MultipleErrors): a retry helps only if it can cure every reason. */
export function retriable(err: unknown): boolean {
  return innermostErrors(err).every((e) => (e as { canRetry?: unknown } | null)?.canRetry === true);
}

/** True when the client failed because its cached metadata lacks a node it was told to use. */
export function staleMetadata(err: unknown): boolean {
  return innermostErrors(err).some(
    (e) => (e as { hasStaleMetadata?: unknown } | null)?.hasStaleMetadata === true,
  );
}

/** The innermost errors of a failure the client nested (its `errors` lists), or the failure itself. */
export function innermostErrors(err: unknown): unknown[] {
  const nested = (err as { errors?: unknown } | null)?.errors;
  return Array.isArray(nested) && nested.length > 0 ? nested.flatMap(innermostErrors) : [err];
}

/**
 * The client reports a failed operation as "<operation> failed N times" with the reasons nested (AggregateError),
 * which logs and exit messages would not show: the reasons are spelled out in the message, the error kept as cause.
 */
export async function explained<T>(operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (err) {
    const reasons = [...new Set(nestedMessages(err))];
    if (reasons.length === 0) throw err;
    throw new Error(`${(err as Error).message} (${reasons.join('; ')})`, { cause: err });
  }
}

/** The messages of the innermost failures, each with its chain of causes ("connection failed: SASL …: …"). */
function nestedMessages(err: unknown): string[] {
  const nested = (err as { errors?: unknown[] }).errors;
  if (!Array.isArray(nested)) return [];
  return nested.flatMap((e) => {
    const inner = nestedMessages(e);
    return inner.length > 0 ? inner : [withCauses(e)];
  });
}

function withCauses(err: unknown): string {
  const parts: string[] = [];
  for (
    let e = err as Error | undefined;
    e !== undefined && parts.length < 5;
    e = e.cause as Error | undefined
  ) {
    const inner = nestedMessages(e);
    parts.push(inner.length > 0 ? inner.join('; ') : e.message);
    if (inner.length > 0) break;
  }
  return parts.join(': ');
}
