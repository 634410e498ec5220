import type { Logger } from '@ride/shared';
import cliProgress from 'cli-progress';
import type { ReplayStats } from './replay.js';

export interface Progress {
  update(stats: ReplayStats): void;
  stop(): void;
}

const LOG_EVERY_MS = 5000;

/**
 * A progress bar on a terminal; plain structured log lines every few seconds otherwise. `unit` names what is
 * counted: rides, or events when completions go with them.
 */
export function createProgress(
  total: number | undefined,
  isTty: boolean,
  logger: Logger,
  unit: 'rides' | 'events' = 'rides',
): Progress {
  if (isTty && total !== undefined) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${unit} |{bar}| {value}/{total} sent · {failed} failed · {rate} ev/s · eta {eta_formatted}`,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { failed: 0, rate: 0 });
    return {
      update: (s) => bar.update(s.sent + s.failed, { failed: s.failed, rate: Math.round(s.rate) }),
      stop: () => bar.stop(),
    };
  }
  let lastLog = 0;
  return {
    update(stats) {
      if (stats.elapsedMs - lastLog < LOG_EVERY_MS) return;
      lastLog = stats.elapsedMs;
      logger.info({ progress: { ...stats, rate: Math.round(stats.rate), total } }, 'replay progress');
    },
    stop() {},
  };
}
