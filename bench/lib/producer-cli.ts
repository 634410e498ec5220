import { startProducer, tail } from '../../harness/index.js';

export interface ProducerCliResult {
  source: string;
  sent: number;
  failed: number;
  seconds: number;
  events_per_s: number;
}

/** Runs the producer CLI (compiled) and reads its final `summary` log line. */
export async function runProducerCli(
  brokers: readonly string[],
  topic: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<ProducerCliResult> {
  const run = startProducer({
    brokers,
    ridesTopic: topic,
    args,
    env: { LOG_LEVEL: 'info' },
    spawn: { baseEnv: env },
  });
  const code = await run.exited;
  if (code !== 0) throw new Error(`producer CLI exited with ${code}:\n${tail(run.output())}`);
  const stdout = run.stdout();
  const line = stdout
    .split('\n')
    .filter((l) => l.includes('"summary"'))
    .at(-1);
  if (line === undefined) throw new Error(`producer CLI logged no summary:\n${stdout.slice(-2000)}`);
  const summary = (JSON.parse(line) as { summary: { sent: number; failed: number; elapsedMs: number } })
    .summary;
  return {
    source: args.join(' '),
    sent: summary.sent,
    failed: summary.failed,
    seconds: Number((summary.elapsedMs / 1000).toFixed(3)),
    events_per_s: Math.round((summary.sent * 1000) / summary.elapsedMs),
  };
}
