import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type FaultRow, renderFaultTable } from '../support/chaos/fault-report.js';

const RESULTS_MD = new URL('../chaos/results.md', import.meta.url);

/**
 * Collects the chaos scenarios' rows (they run in workers) through a JSON-lines file and prints the closing
 * table when the run ends; the long profile (`npm run test:chaos`) also writes it to test/chaos/results.md.
 */
export function chaosResults(profile: 'short' | 'long') {
  return (project: TestProject): (() => void) => {
    const file = join(tmpdir(), `ride-chaos-${process.pid}-${Date.now()}.jsonl`);
    writeFileSync(file, '');
    project.provide('chaosProfile', profile);
    project.provide('chaosResultsFile', file);
    return () => {
      const rows = existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as FaultRow)
        : [];
      rmSync(file, { force: true });
      if (rows.length === 0) return;
      const table = renderFaultTable(rows);
      console.warn(`\nchaos (${profile} profile):\n${table}\n`);
      if (profile === 'long') {
        const when = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        writeFileSync(
          RESULTS_MD,
          `# Fault injection results\n\n\`npm run test:chaos\` (long profile), ${when}. Recovery: from the fault until every partition commits again. A scenario adds its row once its stream is checked; a test that failed before that adds none (see the run's output).\n\n${table}\n`,
        );
      }
    };
  };
}

/** The `npm test` form: short profile, table printed at the end. */
export default chaosResults('short');
