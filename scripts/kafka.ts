// `npm run kafka`: a Kafka broker in the foreground for local development; Ctrl-C stops it and deletes its data.
import { parseArgs } from 'node:util';
import {
  dockerAvailable,
  exitOnOlderNode,
  type HarnessMode,
  KAFKA_VERSION,
  startBroker,
  startLocalCluster,
} from '../harness/index.js';

exitOnOlderNode('npm run kafka');

const usage = `Usage: npm run kafka -- [--port N] [--partitions N] [--brokers N [--controllers N]] [--mode local|container]
  --port        client port on 127.0.0.1 (default: a free one)
  --partitions  default partition count for new topics (default: 6)
  --brokers     a local cluster of N nodes, each broker and controller, topics at replication factor min(N, 3)
                and min ISR one less (default: 1, a single broker; --port and --mode apply to it only)
  --controllers with --brokers: N dedicated controller nodes form the KRaft quorum instead of the brokers
                (default: 0), so that brokers can go down to one without losing it
  --mode        local JVM from Maven jars, or a Docker container (default: RIDE_KAFKA_HARNESS, else container
                when Docker answers, else local)`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--${name} must be a positive integer, got ${value}\n${usage}`);
  return n;
}

async function chooseMode(flag: string | undefined): Promise<HarnessMode> {
  const wanted = flag ?? process.env.RIDE_KAFKA_HARNESS;
  if (wanted === 'local' || wanted === 'container') return wanted;
  if (wanted !== undefined && wanted !== '' && wanted !== 'auto')
    throw new Error(`unknown mode ${wanted}\n${usage}`);
  return (await dockerAvailable()) ? 'container' : 'local';
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    partitions: { type: 'string' },
    brokers: { type: 'string' },
    controllers: { type: 'string' },
    mode: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n`);
} else {
  const started = performance.now();
  const partitions = positiveInt('partitions', values.partitions) ?? 6;
  const nodes = positiveInt('brokers', values.brokers) ?? 1;
  if (nodes > 1 && (values.port !== undefined || values.mode !== undefined))
    throw new Error(`--port and --mode apply to a single broker, not to --brokers ${nodes}\n${usage}`);
  const controllers = positiveInt('controllers', values.controllers);
  if (controllers !== undefined && nodes === 1)
    throw new Error(`--controllers applies to a cluster: add --brokers 3\n${usage}`);
  const broker =
    nodes > 1
      ? await startLocalCluster({ nodes, partitions, controllers })
      : await startBroker({
          mode: await chooseMode(values.mode),
          port: positiveInt('port', values.port),
          partitions,
        });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Kafka ${KAFKA_VERSION} (${broker.kind}${nodes > 1 ? `, ${nodes} brokers` : ''}${controllers ? `, ${controllers} dedicated controller${controllers > 1 ? 's' : ''}` : ''}) ready at ${broker.brokers.join(',')} in ${seconds} s (Ctrl-C to stop)\n`,
  );
  // The broker process never keeps Node alive on its own; this timer does, until a signal arrives.
  const keepAlive = setInterval(() => {}, 60_000);
  let stopping = false;
  // Listening (not `once`) tells the harness that this script owns the exit; a second signal makes the harness
  // kill the broker at once.
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping Kafka…\n`);
    clearInterval(keepAlive);
    void broker.stop().then(() => {
      process.stdout.write('Kafka stopped\n');
      process.exitCode = signal === 'SIGINT' ? 130 : 143;
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
