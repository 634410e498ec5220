import { randomBytes } from 'node:crypto';

let context: () => string = () => '';

/**
 * Names what runs now in every later uniqueName: the integration suites' setup passes the current test's name
 * (test/setup/name-after-test.ts), the bench its own.
 */
export function nameAfter(source: () => string): void {
  context = source;
}

/**
 * A topic or group id unique to this run and readable in broker logs: prefix, what runs now (see nameAfter),
 * random suffix. Only characters Kafka accepts in topic names ([a-zA-Z0-9._-]).
 */
export function uniqueName(prefix: string): string {
  const slug = context()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return [prefix, slug, randomBytes(4).toString('hex')].filter(Boolean).join('-');
}
