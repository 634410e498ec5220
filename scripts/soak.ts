// `npm run soak`: the consumer under a steady synthetic stream for 10 minutes (--minutes to change), sampling
// its memory every 10 s and reporting the slope. Not part of CI: it proves the absence of a leak, which takes time.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, createLogger } from '@ride/shared';
import {
  REPO_ROOT,
  startBroker,
  startProducer,
  startStreamScorer,
  streamTopicNames,
  uniqueName,
  waitFor,
} from '../harness/index.js';

const usage = `Usage: npm run soak -- [--minutes N] [--rate N] [--sample-seconds N] [--guarantee at_least_once|exactly_once]
  --minutes         how long the stream runs (default 10)
  --rate            rides per second (default 500)
  --sample-seconds  sampling period (default 10)
  --guarantee       the consumer's PROCESSING_GUARANTEE (default at_least_once)`;

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    'sample-seconds': { type: 'string', default: '10' },
    guarantee: { type: 'string', default: 'at_least_once' },
    help: { type: 'boolean', short: 'h' },
  },
});
const minutes = Number(values.minutes);
const rate = Number(values.rate);
const sampleMs = Number(values['sample-seconds']) * 1000;
if (!values.help && !(minutes > 0 && rate > 0 && sampleMs > 0)) throw new Error(`bad arguments\n${usage}`);

interface Sample {
  minute: number;
  rssMb: number;
  heapMb: number | undefined;
  lag: number;
}

const MB = 1024 * 1024;
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Resident set size from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** The newest heapUsed the probe preload wrote, in MB. */
function heapMb(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const last = readFileSync(file, 'utf8').trimEnd().split('\n').pop();
  return last ? (JSON.parse(last) as { heapUsed: number }).heapUsed / MB : undefined;
}

/** Least-squares slope of y over x. */
function slope(points: ReadonlyArray<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function soak(): Promise<void> {
  const broker = await startBroker({ partitions: 6 });
  const base = uniqueName('soak');
  const topics = streamTopicNames(base);
  const groupId = `${base}.group`;
  const kafka = createKafka({ brokers: broker.brokers, clientId: 'soak' }, createLogger({ level: 'error' }));
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics(Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })));

  const probeFile = join(tmpdir(), `${base}.heap.jsonl`);
  // Their stderr comes through live, as a leak's warnings would.
  const echo = { echoStderr: true };
  const { run: consumer } = await startStreamScorer({
    brokers: broker.brokers,
    topics,
    groupId,
    env: {
      LOG_LEVEL: 'warn',
      PROCESSING_GUARANTEE: values.guarantee,
      NODE_OPTIONS: `--expose-gc --require ${join(REPO_ROOT, 'test/chaos/heap-probe-hook.cjs')}`,
      CHAOS_HEAP_PROBE_FILE: probeFile,
      CHAOS_HEAP_PROBE_MS: String(sampleMs),
    },
    output: echo,
  });
  const producer = startProducer({
    brokers: broker.brokers,
    ridesTopic: topics.rides,
    args: ['--synthetic', '--rate', String(rate), '--duration', String(minutes * 60)],
    env: { LOG_LEVEL: 'warn' },
    spawn: echo,
  });

  async function lag(): Promise<number> {
    const [committed, ends] = await Promise.all([
      admin.committedOffsets(groupId, topics.rides),
      admin.endOffsets(topics.rides),
    ]);
    let behind = 0n;
    for (const [partition, end] of ends) {
      const done = committed.get(partition) ?? 0n;
      behind += end - (done > 0n ? done : 0n);
    }
    return Number(behind);
  }

  const samples: Sample[] = [];
  const started = Date.now();
  const takeSample = async (pid: number): Promise<void> => {
    const sample: Sample = {
      minute: (Date.now() - started) / 60_000,
      rssMb: rssMb(pid),
      heapMb: heapMb(probeFile),
      lag: await lag(),
    };
    samples.push(sample);
    say(
      `${sample.minute.toFixed(2)} | ${sample.rssMb.toFixed(1)} | ${sample.heapMb?.toFixed(1) ?? '–'} | ${sample.lag}`,
    );
  };
  say(`soak: ${minutes} min at ${rate} rides/s (${values.guarantee}), consumer pid ${consumer.pid}`);
  say('minute | rss MB | heap MB | lag');
  try {
    // A sample every sampleMs, the first one a period in and the last one after the stream ended.
    let first = true;
    await waitFor(
      async () => {
        if (consumer.child.exitCode !== null || consumer.pid === -1) return true;
        if (!first) await takeSample(consumer.pid);
        first = false;
        return producer.child.exitCode !== null || consumer.child.exitCode !== null;
      },
      Number.POSITIVE_INFINITY,
      () => 'the stream never ended',
      { intervalMs: sampleMs },
    );
    if (consumer.child.exitCode !== null)
      throw new Error(`the consumer died (exit ${consumer.child.exitCode})`);
    // Past the first minute: JIT warm-up, ONNX arenas and kafkajs buffers settle there, a leak does not.
    const settled = samples.filter((s) => s.minute >= Math.min(1, minutes / 3));
    const rssSlope = slope(settled.map((s) => [s.minute, s.rssMb]));
    const heaps = settled
      .filter((s) => s.heapMb !== undefined)
      .map((s): [number, number] => [s.minute, s.heapMb!]);
    const heapSlope = heaps.length > 1 ? slope(heaps) : Number.NaN;
    say(
      `slope after warm-up (${settled.length} samples): rss ${rssSlope.toFixed(2)} MB/min, heap ${heapSlope.toFixed(2)} MB/min; ` +
        `rss ${Math.min(...settled.map((s) => s.rssMb)).toFixed(1)}..${Math.max(...settled.map((s) => s.rssMb)).toFixed(1)} MB; ` +
        `final lag ${samples.at(-1)?.lag ?? '?'}`,
    );
  } finally {
    producer.child.kill('SIGTERM');
    consumer.child.kill('SIGTERM');
    await Promise.all([producer.exited, consumer.exited]);
    await admin.disconnect();
    await broker.stop();
    rmSync(probeFile, { force: true });
  }
}

if (values.help) say(usage);
else await soak();
