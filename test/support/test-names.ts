import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';

/**
 * A topic or group id unique to this test run and readable in broker logs: prefix, the current test's name,
 * random suffix. Only characters Kafka accepts in topic names ([a-zA-Z0-9._-]).
 */
export function uniqueName(prefix: string): string {
  const testName = expect.getState().currentTestName ?? '';
  const slug = testName
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return [prefix, slug, randomBytes(4).toString('hex')].filter(Boolean).join('-');
}
