#!/usr/bin/env node
import {
  createLogger,
  ExitCodes,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { watchModel } from '../common/model-watcher.js';
import { loadBatchConfig } from './batch-config.js';
import { createBatchProgress } from './batch-progress.js';
import { formatSummary } from './format-summary.js';
import { scoreFile } from './score-file.js';

/** Batch scoring of a TLC parquet file into the course's prediction parquet; see batch-config.ts for usage. */
async function main(): Promise<void> {
  requireSupportedNode('ride-batch');
  const config = loadBatchConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ level: config.logLevel, name: 'ride-batch' }, process.stderr);
  routeProcessWarnings(logger);
  const shutdown = new Shutdown(logger, config.shutdownTimeoutMs);
  shutdown.listen();
  // One model for the whole file: a batch run never swaps (poll interval ignored).
  const watcher = await watchModel(
    { ...config.modelSource, pollIntervalMs: 0 },
    { threads: config.onnxThreads, logger },
  );
  const scorer = watcher.current;
  shutdown.add('model', () => scorer.close());
  const progress = createBatchProgress(process.stderr.isTTY === true);
  const stop = new AbortController();
  const scoring = scoreFile({
    input: config.input,
    output: config.output,
    scorer,
    chunkSize: config.chunkSize,
    onProgress: (p) => progress.update(p),
    signal: stop.signal,
  });
  // A signal stops after the chunk in flight; the rows scored so far are written and summed up, exit 130.
  shutdown.add('scoring', async () => {
    stop.abort();
    await scoring.catch(() => {}); // a failure is main's to report
  });
  try {
    const summary = await scoring;
    progress.stop();
    logger.info({ summary }, summary.complete ? 'batch scored' : 'batch stopped before the end');
    process.stdout.write(`${config.json ? JSON.stringify(summary) : formatSummary(summary)}\n`);
    await shutdown.run('batch done', summary.complete ? ExitCodes.OK : ExitCodes.INTERRUPTED);
  } finally {
    progress.stop();
  }
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-batch'));
});
