#!/usr/bin/env node
import { createLogger, routeProcessWarnings } from '@ride/shared';
import { reportFatal } from '../common/exit-code.js';
import { watchModel } from '../common/model-watcher.js';
import { loadBatchConfig } from './batch-config.js';
import { createBatchProgress } from './batch-progress.js';
import { formatSummary } from './format-summary.js';
import { scoreFile } from './score-file.js';

/** Batch scoring of a TLC parquet file into the course's prediction parquet; see batch-config.ts for usage. */
async function main(): Promise<void> {
  const config = loadBatchConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ level: config.logLevel, name: 'ride-batch' }, process.stderr);
  routeProcessWarnings(logger);
  // One model for the whole file: a batch run never swaps (poll interval ignored).
  const watcher = await watchModel(
    { ...config.modelSource, pollIntervalMs: 0 },
    { threads: config.onnxThreads, logger },
  );
  const scorer = watcher.current;
  const progress = createBatchProgress(process.stderr.isTTY === true);
  try {
    const summary = await scoreFile({
      input: config.input,
      output: config.output,
      scorer,
      chunkSize: config.chunkSize,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    logger.info({ summary }, 'batch scored');
    process.stdout.write(`${config.json ? JSON.stringify(summary) : formatSummary(summary)}\n`);
  } finally {
    progress.stop();
    await scorer.close();
  }
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-batch'));
});
