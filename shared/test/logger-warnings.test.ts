import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const logger = new URL('../dist/logger.js', import.meta.url).href;

describe('routeProcessWarnings', () => {
  // In a child process: it replaces the process's warning listeners, which the test runner must keep.
  it("logs process warnings as pino lines, a negative timer's at debug, and leaves stderr quiet", () => {
    const script = `import { createLogger, routeProcessWarnings } from ${JSON.stringify(logger)};
      routeProcessWarnings(createLogger({ level: 'debug' }));
      setTimeout(() => {}, -5);
      process.emitWarning('something to look at', 'DeprecationWarning');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { level: number; msg: string; warning?: string; err?: { message: string } },
      );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      level: 20,
      msg: 'process warning',
      warning: expect.stringContaining('-5'),
    });
    expect(lines[1]).toMatchObject({ level: 40, err: { message: 'something to look at' } });
  });
});
