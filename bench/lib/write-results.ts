import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@ride/shared';
import { runChecked } from '../../harness/index.js';
import { PEERS_DIR, PEERS_PYTHON, RESULTS_DIR, timestampName } from './bench-paths.js';
import type { BenchResults } from './bench-results.js';
import { renderReport } from './report.js';

/** Writes <timestamp>.json, .md and (with the peers venv's matplotlib) .png; copies the last two to `publishDir`. */
export async function writeResults(results: BenchResults, publishDir: string | undefined, logger: Logger) {
  await mkdir(RESULTS_DIR, { recursive: true });
  const base = join(RESULTS_DIR, timestampName());
  const markdown = renderReport(results);
  const paths = [`${base}.json`, `${base}.md`];
  await writeFile(paths[0]!, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(paths[1]!, markdown);
  try {
    await runChecked(PEERS_PYTHON, [join(PEERS_DIR, 'chart.py'), paths[0]!, `${base}.png`]);
    paths.push(`${base}.png`);
  } catch (err) {
    logger.warn({ err }, 'no chart: bench/peers/.venv (matplotlib) is missing or failed');
  }
  if (publishDir !== undefined) {
    await mkdir(publishDir, { recursive: true });
    for (const [from, name] of [
      [paths[1], 'results.md'],
      [paths[2], 'latency.png'],
    ] as const) {
      if (from !== undefined) await copyFile(from, join(publishDir, name));
    }
  }
  return { markdown, paths };
}
