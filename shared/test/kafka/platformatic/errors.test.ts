import { describe, expect, it } from 'vitest';
import { explained, innermostErrors, needsRejoin } from '../../../src/kafka/platformatic/errors.js';

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

  it('spells out the nested reasons in the message and keeps the failure as cause', async () => {
    const failure = nested(new Error('connection refused'), new Error('connection refused'));
    const err = await explained(Promise.reject(failure)).catch((e: Error) => e);
    expect(err.message).toBe('createTopics failed 2 times. (connection refused)');
    expect(err.cause).toBe(failure);
  });
});
