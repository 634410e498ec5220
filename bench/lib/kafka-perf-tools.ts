import { runKafkaTool } from '../../harness/index.js';

export interface PerfToolResult {
  tool: string;
  records: number;
  records_per_s: number;
  mb_per_s: number;
  /** The tool's own summary line, kept for the record. */
  summary: string;
}

/** ProducerPerformance: `records` records of `recordSize` bytes, unthrottled, acks=all like our producer. */
export async function producerPerformance(
  brokers: readonly string[],
  topic: string,
  records: number,
  recordSize: number,
): Promise<PerfToolResult> {
  const stdout = await runKafkaTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${brokers.join(',')}`,
    'acks=all',
  ]);
  // "1000000 records sent, 412371.1 records/sec (23.60 MB/sec), 55.1 ms avg latency, ..."
  const summary =
    stdout
      .trim()
      .split('\n')
      .filter((l) => l.includes('records sent'))
      .at(-1) ?? '';
  const match = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\)/.exec(summary);
  if (match === null) throw new Error(`ProducerPerformance printed no summary:\n${stdout.slice(-2000)}`);
  return {
    tool: 'ProducerPerformance',
    records,
    records_per_s: Math.round(Number(match[1])),
    mb_per_s: Number(match[2]),
    summary,
  };
}

/** ConsumerPerformance: reads `records` records of `topic` from the start in a fresh group. */
export async function consumerPerformance(
  brokers: readonly string[],
  topic: string,
  records: number,
  group: string,
): Promise<PerfToolResult> {
  const stdout = await runKafkaTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    brokers.join(','),
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--group',
    group,
    '--timeout',
    '60000',
  ]);
  // Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...", then values.
  const lines = stdout.trim().split('\n');
  const headerAt = lines.findIndex((l) => l.startsWith('start.time'));
  if (headerAt < 0 || lines[headerAt + 1] === undefined) {
    throw new Error(`ConsumerPerformance printed no stats:\n${stdout.slice(-2000)}`);
  }
  const header = lines[headerAt]!.split(',').map((h) => h.trim());
  const values = lines[headerAt + 1]!.split(',').map((v) => v.trim());
  const field = (name: string) => Number(values[header.indexOf(name)]);
  return {
    tool: 'ConsumerPerformance',
    records: field('data.consumed.in.nMsg'),
    // fetch.* exclude the group join (rebalance.time.ms), as our own figures start at the first output.
    records_per_s: Math.round(field('fetch.nMsg.sec')),
    mb_per_s: field('fetch.MB.sec'),
    summary: `${lines[headerAt]}\n${lines[headerAt + 1]}`,
  };
}
