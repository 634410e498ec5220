#!/usr/bin/env node
import {
  checkBrokers,
  createKafka,
  createLogger,
  ExitCodes,
  ensureTopics,
  flagsToEnv,
  type RideStarted,
  readTrips,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { loadProducerConfig, PRODUCER_FLAGS, USAGE } from './config.js';
import { createProgress } from './progress.js';
import { replay } from './replay.js';
import { RideProducer } from './ride-producer.js';
import { syntheticRides } from './synthetic-rides.js';
import { tripToRide } from './trip-to-ride.js';

function* take<T>(items: Iterable<T>, limit: number | undefined): Generator<T> {
  if (limit === undefined) return yield* items;
  let n = 0;
  for (const item of items) {
    if (n++ >= limit) return;
    yield item;
  }
}

async function main(): Promise<void> {
  requireSupportedNode('ride-producer');
  const argv = process.argv.slice(2);
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const config = loadProducerConfig(process.env, flagsToEnv(argv, PRODUCER_FLAGS));
  const logger = createLogger({ level: config.logLevel, name: 'ride-producer' });
  routeProcessWarnings(logger);
  const shutdown = new Shutdown(logger, config.shutdownTimeoutMs);
  shutdown.listen();
  const source = config.source;
  let rides: Iterable<RideStarted>;
  let total: number | undefined;
  if (source.kind === 'file') {
    const trips = await readTrips(source.path, { offset: source.offset, limit: source.limit });
    if (config.pace.kind === 'speedup') trips.sort((a, b) => a.pickupMs - b.pickupMs);
    rides = trips.map(tripToRide);
    total = trips.length;
  } else {
    rides = take(syntheticRides({ seed: source.seed }), source.limit);
    total = source.limit;
  }
  const kafka = createKafka(config.kafka, logger);
  await checkBrokers(kafka, config.kafka.brokers);
  if (config.createTopics) await ensureTopics(kafka, config.topics, logger);
  const producer = await RideProducer.connect({
    kafka: config.kafka,
    topic: config.topics.rides,
    compression: config.compression,
    format: config.format,
    schemaRegistryUrl: config.schemaRegistryUrl,
    wire: config.wire,
    logger,
  });
  shutdown.add('producer', () => producer.close());
  const progress = createProgress(total, process.stderr.isTTY === true, logger);
  logger.info(
    { source, pace: config.pace, topic: config.topics.rides, format: config.format },
    'replay starting',
  );
  const stop = new AbortController();
  const replaying = replay(rides, producer, {
    pace: config.pace,
    batchSize: config.batchSize,
    durationMs: config.durationMs,
    signal: stop.signal,
    onProgress: (s) => progress.update(s),
  });
  // A signal stops the replay after the batch in flight is acknowledged, before the producer closes; the replay
  // then ends as if done, below, and its outcome sets the exit code of the shutdown the signal began.
  shutdown.add('replay', async () => {
    stop.abort();
    await replaying;
  });
  const stats = await replaying;
  progress.stop();
  logger.info({ summary: { ...stats, rate: Math.round(stats.rate) } }, 'replay finished');
  await shutdown.run('replay done', stats.failed > 0 ? ExitCodes.FAILED : ExitCodes.OK);
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-producer'));
});
