// `npm run evaluate:live -- --file <tlc.parquet> [--candidate <model folder>] [--share 0.5] [--limit n]`: replays a
// TLC month's rides and completions through the stream scorer (1.0.0, or MODEL_PATH, as champion; the candidate on a
// canary share that is never rolled back, so both are measured on the same traffic) and the evaluator, as fast as
// they go, then prints each version's live error against what happened and the input drift of the month against
// each version's training rows. Kafka: KAFKA_BROKERS, or a broker started for the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createKafka, createLogger, type KafkaClient } from '@ride/shared';
import {
  exitOnOlderNode,
  MODEL_DIR,
  REPO_ROOT,
  startBroker,
  startEvaluator,
  startProducer,
  startStreamScorer,
  uniqueName,
  waitFor,
} from '../harness/index.js';
import { EvaluationStats } from './demo/evaluation-stats.js';
import { driftTable } from './live-evaluation/drift-table.js';

exitOnOlderNode('npm run evaluate:live');

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: join(REPO_ROOT, 'data/green_tripdata_2022-01.parquet') },
    candidate: { type: 'string' },
    share: { type: 'string', default: '0.5' },
    limit: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(
    'Usage: npm run evaluate:live -- [--file <tlc.parquet>] [--candidate <model folder>] [--share 0.5] [--limit n]\n',
  );
  process.exit(0);
}
const say = (line: string) => process.stdout.write(`${line}\n`);
const share = Number(values.share);
if (!(share > 0 && share < 1)) {
  console.error('--share must be between 0 and 1 (exclusive)');
  process.exit(2);
}
if (!existsSync(values.file!)) {
  // The TLC months live in the git-ignored data/: copied from ../shared/data, else downloaded.
  const month = /(\d{4}-\d{2})\.parquet$/.exec(values.file!)?.[1];
  const fetch = ['scripts/fetch-data.sh', ...(month ? ['--months', month] : [])];
  if (
    spawnSync('bash', fetch, { cwd: REPO_ROOT, stdio: 'inherit' }).status !== 0 ||
    !existsSync(values.file!)
  ) {
    console.error(`no trip file at ${values.file}, and scripts/fetch-data.sh could not fetch it (see above)`);
    process.exit(2);
  }
}
const champion = process.env.MODEL_PATH ?? MODEL_DIR;
const logDir = join(REPO_ROOT, '.cache/live-evaluation');
mkdirSync(logDir, { recursive: true });

const broker = await startBroker({ partitions: 6 });
const logger = createLogger({ level: 'warn', name: 'live-evaluation' });
const kafka = createKafka({ brokers: broker.brokers, clientId: 'live-evaluation' }, logger);
const prefix = uniqueName('live');
const topics = {
  rides: `${prefix}.rides`,
  predictions: `${prefix}.predictions`,
  deadLetters: `${prefix}.dead-letters`,
  partitions: 6,
};
const completions = `${prefix}.completions`;
const evaluations = `${prefix}.evaluations`;
const admin = kafka.admin();
await admin.connect();
await admin.createTopics(
  [topics.rides, topics.predictions, topics.deadLetters, completions, evaluations].map((topic) => ({
    topic,
    numPartitions: 6,
  })),
);

const started = Date.now();
const scorer = await startStreamScorer({
  brokers: broker.brokers,
  topics,
  groupId: `${prefix}.scorer`,
  env: {
    MODEL_PATH: champion,
    ...(values.candidate === undefined
      ? {}
      : {
          CANARY_MODEL_PATH: values.candidate,
          CANARY_SHARE: String(share),
          // A measurement, not a rollout: the candidate keeps its share whatever its error.
          CANARY_MARGIN_MINUTES: '1000000',
          CANARY_MAX_FAILURES: '1000000000',
          EVALUATIONS_TOPIC: evaluations,
        }),
  },
  output: { logFile: join(logDir, 'scorer.log') },
});
const evaluator = await startEvaluator({
  brokers: broker.brokers,
  predictionsTopic: topics.predictions,
  completionsTopic: completions,
  evaluationsTopic: evaluations,
  groupId: `${prefix}.evaluator`,
  env: { LOG_LEVEL: 'warn' },
});
let exitCode = 0;
try {
  await Promise.all([scorer.ready({ timeoutMs: 60_000 }), evaluator.ready({ timeoutMs: 60_000 })]);
  const limit = values.limit === undefined ? [] : ['--limit', values.limit];
  say(`replaying ${values.file} (rides and completions, as fast as the broker takes them)…`);
  const producer = startProducer({
    brokers: broker.brokers,
    ridesTopic: topics.rides,
    args: ['--file', values.file!, '--max', '--completions', ...limit],
    env: { COMPLETIONS_TOPIC: completions, LOG_LEVEL: 'warn' },
  });
  if ((await producer.exited) !== 0) throw new Error(`the producer failed:\n${producer.output()}`);
  await caughtUp(kafka, topics.rides, `${prefix}.scorer`, (p) => p.offset);
  await caughtUp(kafka, topics.predictions, `${prefix}.evaluator`, (p) => readTo(p.metadata));
  await caughtUp(kafka, completions, `${prefix}.evaluator`, (p) => readTo(p.metadata));
  say(`done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);

  const stats = new EvaluationStats();
  const reader = kafka.consumer({ groupId: `${prefix}.reader`, readCommitted: true });
  await reader.connect();
  await reader.subscribe(evaluations, { fromBeginning: true });
  let lastRecordAt = Date.now();
  await reader.run({
    eachBatch: async (batch) => {
      for (const m of batch.messages) stats.add(m.value);
      const last = batch.messages[batch.messages.length - 1];
      if (last) batch.resolveOffset(last.offset);
      lastRecordAt = Date.now();
    },
  });
  await waitFor(
    async () => Date.now() - lastRecordAt > 3000,
    60_000,
    () => 'the evaluations topic was not read',
  );
  await reader.disconnect();
  say(`Live error against ground truth (${values.file}; drop-off windows the evaluator closed):\n`);
  say('| version | rides paired | RMSE min | MAE min | bias min |');
  say('|---|--:|--:|--:|--:|');
  for (const f of stats.figures()) {
    say(`| ${f.version} | ${f.count} | ${f.rmse.toFixed(3)} | ${f.mae.toFixed(3)} | ${f.bias.toFixed(3)} |`);
  }
  const metrics = (await scorer.get('/metrics')).body;
  say(`\nInput drift of the rides each version scored, against its training rows (PSI):\n`);
  say(driftTable(metrics));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  exitCode = 1;
} finally {
  await Promise.all([scorer.run.stop(30_000), evaluator.run.stop(30_000)]);
  writeFileSync(join(logDir, 'evaluator.log'), evaluator.run.output());
  await admin.disconnect();
  await broker.stop();
}
process.exit(exitCode);

function readTo(metadata: string | null | undefined): bigint {
  if (!metadata) return -1n;
  return BigInt(JSON.parse(metadata).readTo);
}

/** Waits until a group's position (as `position` reads it) reaches every partition's end. */
async function caughtUp(
  client: KafkaClient,
  topic: string,
  group: string,
  position: (p: { offset: bigint; metadata: string | null }) => bigint,
): Promise<void> {
  const reader = client.admin();
  await reader.connect();
  try {
    await waitFor(
      async () => {
        const [ends, positions] = await Promise.all([
          reader.endOffsets(topic),
          reader.committedPositions(group, topic),
        ]);
        return [...ends].every(([p, end]) => {
          const at = positions.get(p);
          return end === 0n || (at !== undefined && position(at) >= end);
        });
      },
      30 * 60_000,
      () => `${group} did not read ${topic} to its end`,
    );
  } finally {
    await reader.disconnect();
  }
}
