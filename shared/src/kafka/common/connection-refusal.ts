import type { ConnectionRefusal } from '../port/kafka-port.js';

/** A chain's refusal given the client's own test for an authentication failure (its error classes). */
export function connectionRefusal(
  err: unknown,
  isAuthentication: (e: Record<string, unknown>) => boolean,
): ConnectionRefusal | undefined {
  for (const e of errorChain(err)) if (isAuthentication(e)) return 'authentication';
  return tlsRefusal(err) ? 'tls' : undefined;
}

/** Node's TLS verification failures (the peer's certificate is not trusted or not for this host). */
const TLS_REFUSALS = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The error and everything it wraps (causes, aggregated errors), each once. */
export function* errorChain(err: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const record = e as Record<string, unknown>;
    yield record;
    queue.push(record.cause);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
}

/** A TLS verification failure anywhere in the chain, as Node reports it whatever the client. */
export function tlsRefusal(err: unknown): boolean {
  for (const e of errorChain(err)) if (TLS_REFUSALS.has(String(e.code))) return true;
  return false;
}
