import { UserError } from '@platformatic/kafka';
import { describe, expect, it } from 'vitest';
import {
  explained,
  innermostErrors,
  needsRejoin,
  notKnownYet,
  staleMetadata,
} from '../../../src/kafka/platformatic/errors.js';

/** A failure nested as the client nests one: "<operation> failed N times" around the broker's answers. */
const nested = (...errors: unknown[]) => Object.assign(new Error('createTopics failed 2 times.'), { errors });
const protocol = (apiId: string, extra: object = {}) => Object.assign(new Error(apiId), { apiId, ...extra });

describe('platformatic errors', () => {
  it('finds the innermost errors however deep the client nested them', () => {
    const exists = protocol('TOPIC_ALREADY_EXISTS');
    const unknown = protocol('UNKNOWN_TOPIC_OR_PARTITION');
    expect(innermostErrors(nested(nested(exists), unknown))).toEqual([exists, unknown]);
    expect(innermostErrors(exists)).toEqual([exists]);
  });

  it('sees a refusal that asks the member to rejoin at any depth, through errors and causes', () => {
    const refused = protocol('ILLEGAL_GENERATION', { needsRejoin: true });
    expect(needsRejoin(nested(new Error('other'), new Error('wrapped', { cause: refused })))).toBe(true);
    expect(needsRejoin(nested(protocol('NOT_COORDINATOR')))).toBe(false);
  });

  it('sees a node missing from the cached metadata among the reasons of a failure', () => {
    const missing = Object.assign(new Error('the broker is not available'), { hasStaleMetadata: true });
    expect(staleMetadata(nested(protocol('NOT_COORDINATOR'), missing))).toBe(true);
    expect(staleMetadata(missing)).toBe(true);
    expect(staleMetadata(nested(protocol('NOT_COORDINATOR', { hasStaleMetadata: false })))).toBe(false);
    expect(staleMetadata(undefined)).toBe(false);
  });

  it('spells out the nested reasons in the message and keeps the failure as cause', async () => {
    const failure = nested(new Error('connection refused'), new Error('connection refused'));
    const err = await explained(Promise.reject(failure)).catch((e: Error) => e);
    expect(err.message).toBe('createTopics failed 2 times. (connection refused)');
    expect(err.cause).toBe(failure);
  });

  it('reads a topic the broker does not know yet as "not yet", and any other failure as a failure', () => {
    // What the client throws for a metadata request naming a topic created a moment ago (the broker's
    // UNKNOWN_TOPIC_OR_PARTITION): a UserError that says it cannot be retried.
    const unknownTopic = new UserError('Unknown topic s-1.dlq.');
    expect(notKnownYet(unknownTopic)).toBe(true);
    expect(notKnownYet(nested(protocol('LEADER_NOT_AVAILABLE', { canRetry: true }), unknownTopic))).toBe(
      true,
    );
    expect(notKnownYet(new UserError('Cannot connect to any broker.'))).toBe(false);
    expect(notKnownYet(nested(protocol('TOPIC_AUTHORIZATION_FAILED', { canRetry: false })))).toBe(false);
  });
});
