import { afterEach, describe, expect, it } from 'vitest';
import { nameAfter, uniqueName } from '../unique-name.js';

describe('uniqueName', () => {
  afterEach(() => nameAfter(() => ''));

  it('is the prefix and a random suffix, different every time', () => {
    const [a, b] = [uniqueName('g'), uniqueName('g')];
    expect(a).toMatch(/^g-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('carries what runs now, in the characters Kafka accepts in a topic name, at most 40 of them', () => {
    nameAfter(() => 'Chaos: SIGKILL a consumer (at_least_once) > loses no ride');
    expect(uniqueName('s')).toMatch(/^s-chaos-sigkill-a-consumer-at-least-once-l-[0-9a-f]{8}$/);
  });
});
