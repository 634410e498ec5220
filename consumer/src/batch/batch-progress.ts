import cliProgress from 'cli-progress';
import type { BatchProgress } from './score-file.js';

export interface ProgressBar {
  update(progress: BatchProgress): void;
  stop(): void;
}

/** A bar on an interactive terminal (stderr), nothing otherwise: the summary says how it went. */
export function createBatchProgress(isTty: boolean): ProgressBar {
  if (!isTty) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: 'rides |{bar}| {value}/{total} read · {rate} rows/s · eta {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let begun = false;
  return {
    update({ read, total }) {
      if (!begun) bar.start(total, 0, { rate: 0 });
      begun = true;
      bar.update(read, { rate: Math.round(read / ((performance.now() - started) / 1000)) });
    },
    stop: () => bar.stop(),
  };
}
