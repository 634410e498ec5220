#!/usr/bin/env node
import {
  ConfigError,
  createKafka,
  createLogger,
  ensureTopics,
  type RideStarted,
  readTrips,
  routeProcessWarnings,
} from '@ride/shared';
import { loadProducerConfig } from './config.js';
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

async function main(): Promise<number> {
  let config: ReturnType<typeof loadProducerConfig>;
  try {
    config = loadProducerConfig(process.env, process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, name: 'ride-producer' });
  routeProcessWarnings(logger);
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
  if (config.createTopics) await ensureTopics(createKafka(config.kafka, logger), config.topics, logger);
  const producer = await RideProducer.connect({
    kafka: config.kafka,
    topic: config.topics.rides,
    compression: config.compression,
    format: config.format,
    schemaRegistryUrl: config.schemaRegistryUrl,
    wire: config.wire,
    logger,
  });
  const stop = new AbortController();
  const onSignal = (signal: string) => {
    if (stop.signal.aborted) process.exit(130); // a second signal forces exit
    logger.info({ signal }, 'stopping: flushing the batch in flight');
    stop.abort();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const progress = createProgress(total, process.stderr.isTTY === true, logger);
  logger.info(
    { source, pace: config.pace, topic: config.topics.rides, format: config.format },
    'replay starting',
  );
  const stats = await replay(rides, producer, {
    pace: config.pace,
    batchSize: config.batchSize,
    durationMs: config.durationMs,
    signal: stop.signal,
    onProgress: (s) => progress.update(s),
  });
  progress.stop();
  await producer.close();
  logger.info({ summary: { ...stats, rate: Math.round(stats.rate) } }, 'replay finished');
  return stats.failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
