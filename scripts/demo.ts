// `npm run demo`: the whole pipeline on an embedded broker. Starts Kafka (or uses KAFKA_BROKERS), creates the
// topics, starts the scoring consumer, replays real TLC rides through the producer CLI at a visible pace,
// shows predictions arriving, then shuts everything down.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  DEFAULT_TOPICS,
  decodePrediction,
  decodeRide,
  ensureTopics,
  Headers,
  readZones,
  routeProcessWarnings,
} from '@ride/shared';
import {
  type Child,
  exitOnOlderNode,
  KAFKA_VERSION,
  REPO_ROOT,
  startBroker,
  startProducer,
  startStreamScorer,
  waitFor,
} from '../harness/index.js';
import { DemoStats } from './demo/demo-stats.js';
import { renderView } from './demo/live-view.js';

exitOnOlderNode('npm run demo');

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '50' },
    duration: { type: 'string', default: '60' },
    file: { type: 'string', default: join(REPO_ROOT, 'data/green_tripdata_2021-02.parquet') },
    synthetic: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run demo -- [--rate <rides/s>=50] [--duration <s>=60] [--file <tlc.parquet> | --synthetic]\n',
  );
  process.exit(0);
}
const rate = Number(values.rate);
const durationS = Number(values.duration);
if (!(rate > 0) || !(durationS > 0)) {
  console.error('--rate and --duration must be positive numbers');
  process.exit(2);
}

const logDir = join(REPO_ROOT, '.cache/demo');
mkdirSync(logDir, { recursive: true });
const say = (line: string) => process.stdout.write(`${line}\n`);

function tripSource(): string[] {
  if (values.synthetic) return ['--synthetic'];
  if (!existsSync(values.file!)) {
    try {
      execFileSync('bash', [join(REPO_ROOT, 'scripts/fetch-data.sh')], { stdio: 'ignore' });
    } catch {
      // offline and no ../shared: fall through to the synthetic stream
    }
  }
  if (existsSync(values.file!)) return ['--file', values.file!];
  say(`No trip file at ${values.file} (offline, no ../shared/data): replaying a synthetic stream instead.`);
  return ['--synthetic'];
}

const source = tripSource();
say(`Starting Kafka ${KAFKA_VERSION}…`);
const broker = await startBroker({ partitions: 6 });
const brokers = broker.brokers.join(',');
say(`Kafka (${broker.kind}) at ${brokers}`);
const logger = createLogger({ level: 'warn', name: 'demo' });
// The demo's own Kafka clients: their process warnings become log lines, never raw text across the live view.
routeProcessWarnings(logger);
const kafka = createKafka({ brokers: broker.brokers, clientId: 'demo' }, logger);
const topics = DEFAULT_TOPICS;
await ensureTopics(kafka, topics, logger);
say(
  `Topics ${topics.rides}, ${topics.predictions}, ${topics.deadLetters} ready (${topics.partitions} partitions)`,
);

// The scorer's own defaults, spelled out: the demo runs it as deployed, on the default topics and group.
const consumer = await startStreamScorer({
  brokers: broker.brokers,
  topics,
  groupId: 'ride-scorer',
  env: { FROM_BEGINNING: 'false' },
  output: { logFile: join(logDir, 'consumer.log') },
});
const stats = new DemoStats();
const zones = await readZones(join(REPO_ROOT, 'data/taxi_zone_lookup.csv')).catch(() => new Map());
const tap = kafka.consumer({ groupId: `demo-view-${process.pid}` });
let producer: Child | undefined;
let stopping = false;

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(redraw);
  say(`\n${reason}: stopping producer, consumer and Kafka…`);
  if (producer && producer.child.exitCode === null) producer.child.kill('SIGTERM');
  if (producer) await producer.exited;
  consumer.run.child.kill('SIGTERM');
  const code = await consumer.run.exited;
  await tap.disconnect().catch(() => undefined);
  await broker.stop();
  const seconds = Math.max(0.001, (stats.lastPredictionAt - stats.firstPredictionAt) / 1000);
  const letters = [...stats.deadLetters.values()].reduce((a, b) => a + b, 0);
  say(`consumer exited with ${code}; logs in ${logDir}`);
  say(
    `sent ${stats.ridesSeen} rides, ${stats.predictions} predictions, ${letters} dead letters; ` +
      `${(stats.predictions / seconds).toFixed(1)} predictions/s from first to last prediction (${seconds.toFixed(1)} s)`,
  );
}
process.on('SIGINT', () => void shutdown('Ctrl-C'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

// Wait for the consumer to join its group before replaying, so the first rides are not waiting on a rebalance.
// A signal meanwhile ends the wait too: shutdown() is under way.
try {
  await consumer.ready({ cancelled: () => stopping, intervalMs: 200 });
} catch {
  console.error(`the consumer did not start; see ${join(logDir, 'consumer.log')}`);
  await shutdown('consumer failed');
  process.exit(1);
}
say(`Consumer ready (metrics at http://127.0.0.1:${consumer.port}/metrics)`);

await tap.connect();
for (const topic of [topics.rides, topics.predictions, topics.deadLetters]) await tap.subscribe(topic);
await tap.run({
  eachBatch: async (batch) => {
    for (const m of batch.messages) {
      const contentType = m.headers?.[Headers.contentType]?.toString();
      if (batch.topic === topics.rides) {
        try {
          const ride = decodeRide(m.value, contentType);
          stats.ride(ride.rideId, ride.puLocationId, ride.doLocationId, ride.tripDistance);
        } catch {
          stats.ridesSeen++;
        }
      } else if (batch.topic === topics.predictions) {
        // A prediction carries its ride event's record timestamp: end to end is now minus that.
        const p = decodePrediction(m.value!, contentType);
        stats.prediction(p.ride_id, p.ride_duration, Date.now() - Number(m.timestamp));
      } else {
        stats.deadLetter(m.headers?.[Headers.errorCode]?.toString() ?? 'unknown');
      }
      batch.resolveOffset(m.offset);
    }
  },
});

const ctx = {
  title: `ride-duration demo · Kafka ${KAFKA_VERSION} (${broker.kind}) at ${brokers}`,
  source: `${source.join(' ')} at ${rate} rides/s`,
  durationS,
  zones,
};
const tty = process.stdout.isTTY === true;
let ticks = 0;
const redraw = setInterval(() => {
  ticks++;
  if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderView(stats, ctx)}\n`);
  else if (ticks % 5 === 0)
    say(
      `rides ${stats.ridesSeen} predictions ${stats.predictions} rate ${stats.rate().toFixed(1)}/s p99 ${stats.percentile(99).toFixed(0)} ms`,
    );
}, 1000);

producer = startProducer({
  brokers: broker.brokers,
  args: [...source, '--rate', String(rate), '--duration', String(durationS)],
  spawn: { logFile: join(logDir, 'producer.log') },
});
await producer.exited;
// Up to 15 s for the last rides' outcomes; after that the demo shows what it has.
await waitFor(
  () =>
    stopping ||
    stats.predictions + [...stats.deadLetters.values()].reduce((a, b) => a + b, 0) >= stats.ridesSeen,
  15_000,
  () => 'rides still unanswered after 15 s',
  { intervalMs: 200 },
).catch(() => undefined);
if (!stopping) {
  say(`\n${renderView(stats, ctx)}`);
  await shutdown('replay finished');
}
