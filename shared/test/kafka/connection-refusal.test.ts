import { describe, expect, it } from 'vitest';
import { connectionRefusal, errorChain } from '../../src/kafka/common/connection-refusal.js';

const tagged = (message: string, props: Record<string, unknown>) => Object.assign(new Error(message), props);

describe('connectionRefusal', () => {
  const isAuth = (e: Record<string, unknown>) => e.code === 'AUTH';

  it('finds an authentication failure wrapped in causes and aggregates, as the clients wrap it', () => {
    const auth = tagged('SASL authentication failed.', { code: 'AUTH' });
    const network = tagged('Connection to 127.0.0.1:9093 failed.', { code: 'NET', cause: auth });
    const many = new AggregateError([network, network], 'metadata failed 11 times.');
    expect(connectionRefusal(many, isAuth)).toBe('authentication');
    expect([...errorChain(many)]).toHaveLength(3);
  });

  it("finds Node's TLS verification failures whatever the client, and nothing in a plain network failure", () => {
    const tls = tagged('self-signed certificate in certificate chain', { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    expect(connectionRefusal(tagged('Connection failed', { cause: tls }), isAuth)).toBe('tls');
    const refused = tagged('connect ECONNREFUSED 127.0.0.1:9092', { code: 'ECONNREFUSED' });
    expect(connectionRefusal(new AggregateError([refused], 'failed'), isAuth)).toBeUndefined();
    expect(connectionRefusal('a string', isAuth)).toBeUndefined();
  });

  it('walks a cycle once', () => {
    const a = tagged('a', {});
    const b = tagged('b', { cause: a });
    a.cause = b;
    expect([...errorChain(a)]).toHaveLength(2);
  });
});
