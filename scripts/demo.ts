// `npm run demo`: the whole pipeline on an embedded broker. Starts Kafka (or uses KAFKA_BROKERS), creates the
// topics, starts the scoring consumer and the evaluator, replays real TLC rides and their completions through the
// producer CLI at a visible pace, shows predictions and the model's live error arriving, then shuts everything down.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createKafka,
  createLogger,
  DEFAULT_COMPLETIONS_TOPIC,
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
  type EvaluatorProcess,
  exitOnOlderNode,
  KAFKA_VERSION,
  MODEL_DIR,
  REPO_ROOT,
  startBroker,
  startEvaluator,
  startProducer,
  startStreamScorer,
  waitFor,
} from '../harness/index.js';
import { DemoStats } from './demo/demo-stats.js';
import { EvaluationStats } from './demo/evaluation-stats.js';
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
// A TLC file has each ride's drop-off: the producer sends its completion then, and the evaluator has ground truth.
const groundTruth = source[0] === '--file';
// The evaluator's defaults are 1-hour windows published once both inputs are 10 minutes past them; the demo
// replays ~50 rides/s, a day of February 2021's green taxis a minute, so shorter windows show the error moving.
const EVAL_WINDOW_MIN = 10;
const EVAL_LATENESS_MIN = 2;
const EVALUATIONS_TOPIC = 'ride-evaluations'; // the evaluator's default
say(`Starting Kafka ${KAFKA_VERSION}…`);
const broker = await startBroker({ partitions: 6 });
const brokers = broker.brokers.join(',');
say(`Kafka (${broker.kind}) at ${brokers}`);
const logger = createLogger({ level: 'warn', name: 'demo' });
// The demo's own Kafka clients: their process warnings become log lines, never raw text across the live view.
routeProcessWarnings(logger);
const kafka = createKafka({ brokers: broker.brokers, clientId: 'demo' }, logger);
const topics = DEFAULT_TOPICS;
// All with one partition count: the evaluator joins predictions and completions by partition number.
await ensureTopics(kafka, topics, logger, [DEFAULT_COMPLETIONS_TOPIC, EVALUATIONS_TOPIC]);
say(
  `Topics ${topics.rides}, ${topics.predictions}, ${topics.deadLetters}, ${DEFAULT_COMPLETIONS_TOPIC}, ` +
    `${EVALUATIONS_TOPIC} ready (${topics.partitions} partitions)`,
);

// The scorer's own defaults, spelled out: the demo runs it as deployed, on the default topics and group.
const consumer = await startStreamScorer({
  brokers: broker.brokers,
  topics,
  groupId: 'ride-scorer',
  env: { FROM_BEGINNING: 'false' },
  output: { logFile: join(logDir, 'consumer.log') },
});
// The evaluator with its own defaults but the windows, in its default group, as deployed.
const evaluator: EvaluatorProcess | undefined = groundTruth
  ? await startEvaluator({
      brokers: broker.brokers,
      predictionsTopic: topics.predictions,
      completionsTopic: DEFAULT_COMPLETIONS_TOPIC,
      evaluationsTopic: EVALUATIONS_TOPIC,
      groupId: 'ride-evaluator',
      env: {
        EVAL_WINDOW_MS: String(EVAL_WINDOW_MIN * 60_000),
        EVAL_LATENESS_MS: String(EVAL_LATENESS_MIN * 60_000),
      },
    })
  : undefined;
const stats = new DemoStats();
const evaluations = new EvaluationStats();
const zones = await readZones(join(REPO_ROOT, 'data/taxi_zone_lookup.csv')).catch(() => new Map());
// read_committed: the evaluator publishes its windows in transactions.
const tap = kafka.consumer({ groupId: `demo-view-${process.pid}`, readCommitted: true });
let producer: Child | undefined;
let stopping = false;

/** The evaluator's output so far into its log file (it is captured, not streamed). */
function saveEvaluatorLog(): void {
  if (evaluator) writeFileSync(join(logDir, 'evaluator.log'), evaluator.run.output());
}

/** The model's RMSE on its validation month, from its metadata: what the live figures compare with. */
function offlineRmse(): number | undefined {
  try {
    const metadata = JSON.parse(readFileSync(join(MODEL_DIR, 'metadata.json'), 'utf8'));
    const rmse = metadata.metrics?.validation_rmse;
    return typeof rmse === 'number' && metadata.validation?.file === 'green_tripdata_2021-02.parquet'
      ? rmse
      : undefined;
  } catch {
    return undefined;
  }
}

async function shutdown(reason: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(redraw);
  say(`\n${reason}: stopping producer, consumer, evaluator and Kafka…`);
  if (producer && producer.child.exitCode === null) producer.child.kill('SIGTERM');
  if (producer) await producer.exited;
  // Both leave their groups; 30 s is above their 25 s shutdown bound.
  const [code, evaluatorCode] = await Promise.all([consumer.run.stop(30_000), evaluator?.run.stop(30_000)]);
  saveEvaluatorLog();
  await tap.disconnect().catch(() => undefined);
  await broker.stop();
  const seconds = Math.max(0.001, (stats.lastPredictionAt - stats.firstPredictionAt) / 1000);
  const letters = [...stats.deadLetters.values()].reduce((a, b) => a + b, 0);
  say(
    `consumer exited with ${code}${evaluator ? `, evaluator with ${evaluatorCode}` : ''}; logs in ${logDir}`,
  );
  say(
    `sent ${stats.ridesSeen} rides, ${stats.predictions} predictions, ${letters} dead letters; ` +
      `${(stats.predictions / seconds).toFixed(1)} predictions/s from first to last prediction (${seconds.toFixed(1)} s)`,
  );
  for (const f of evaluations.figures())
    say(
      `model ${f.version} against ground truth: ${f.count} rides, RMSE ${f.rmse.toFixed(2)}, MAE ${f.mae.toFixed(2)}, ` +
        `bias ${f.bias.toFixed(2)} min (drop-off up to ${f.through})`,
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
if (evaluator) {
  try {
    await evaluator.ready({ cancelled: () => stopping, intervalMs: 200 });
  } catch {
    console.error(`the evaluator did not start; see ${join(logDir, 'evaluator.log')}`);
    await shutdown('evaluator failed');
    process.exit(1);
  }
  say(`Evaluator ready (metrics at http://127.0.0.1:${evaluator.port}/metrics)`);
}

await tap.connect();
for (const topic of [topics.rides, topics.predictions, topics.deadLetters, EVALUATIONS_TOPIC])
  await tap.subscribe(topic);
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
      } else if (batch.topic === EVALUATIONS_TOPIC) {
        evaluations.add(m.value);
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
  source: groundTruth
    ? `${source.join(' ')} at ${rate} rides/s, with each ride's completion at its drop-off`
    : `${source.join(' ')} at ${rate} rides/s`,
  durationS,
  zones,
  evaluation: {
    stats: evaluations,
    about:
      `predicted vs actual minutes per model version, rides of 1–60 min, over ${EVAL_WINDOW_MIN}-min windows of ` +
      `drop-off time, each counted once the rides and completions are ${EVAL_LATENESS_MIN} min past it`,
    ...(groundTruth
      ? { offlineRmse: offlineRmse() }
      : { off: 'synthetic rides have no drop-off time, so no ground truth (replay a TLC file)' }),
  },
};
const tty = process.stdout.isTTY === true;
let ticks = 0;
const redraw = setInterval(() => {
  ticks++;
  if (tty) process.stdout.write(`\x1b[H\x1b[2J${renderView(stats, ctx)}\n`);
  else if (ticks % 5 === 0)
    say(
      `rides ${stats.ridesSeen} predictions ${stats.predictions} rate ${stats.rate().toFixed(1)}/s p99 ${stats.percentile(99).toFixed(0)} ms` +
        evaluations
          .figures()
          .map(
            (f) =>
              ` | ${f.version} paired ${f.count} rmse ${f.rmse.toFixed(2)} mae ${f.mae.toFixed(2)} bias ${f.bias.toFixed(2)}`,
          )
          .join(''),
    );
}, 1000);

// The producer's rate counts events: with completions, about two per ride.
const pace = groundTruth ? ['--completions', '--rate', String(2 * rate)] : ['--rate', String(rate)];
producer = startProducer({
  brokers: broker.brokers,
  args: [...source, ...pace, '--duration', String(durationS)],
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
