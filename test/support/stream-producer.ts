import { type StreamTopics, startProducer } from '../../harness/index.js';
import { killAfterTest } from './kill-after-test.js';

export interface ProducerSummary {
  code: number | null;
  output: string;
  /** The CLI's own count of acknowledged rides (`replay finished` log line), if it got that far. */
  sent?: number;
  failed?: number;
}

export interface StreamProducer {
  /** SIGTERM: the CLI flushes the batch in flight and reports. */
  stop(): Promise<ProducerSummary>;
  done: Promise<ProducerSummary>;
}

/** Reads the summary the CLI logs last (`{"summary":{"sent":…,"failed":…}}`). */
export function parseSummary(output: string): { sent?: number; failed?: number } {
  for (const line of output.split('\n').reverse()) {
    if (!line.includes('replay finished')) continue;
    try {
      const { summary } = JSON.parse(line) as { summary?: { sent: number; failed: number } };
      if (summary) return { sent: summary.sent, failed: summary.failed };
    } catch {
      // not a JSON log line
    }
  }
  return {};
}

/**
 * The real producer CLI as a long-running stream against any broker (the chaos tests' own brokers too),
 * stopped by the test once its faults are done; killed at the end of the test if still running.
 */
export function startStream(
  brokers: readonly string[],
  topics: StreamTopics,
  args: string[],
  env: Record<string, string> = {},
): StreamProducer {
  const run = killAfterTest(
    startProducer({ brokers, ridesTopic: topics.rides, args, env: { LOG_LEVEL: 'info', ...env } }),
  );
  const { child } = run;
  const done = run.exited.then((code): ProducerSummary => {
    const output = run.output();
    return { code, output, ...parseSummary(output) };
  });
  return {
    done,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return done;
    },
  };
}
