#!/usr/bin/env node
import {
  checkBrokers,
  createKafka,
  createLogger,
  ExitCodes,
  ensureTopics,
  flagsToEnv,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { loadProducerConfig, PRODUCER_FLAGS, USAGE } from './config.js';
import { createProgress } from './progress.js';
import { replayEvents } from './replay.js';
import { replaySource } from './replay-source.js';
import { RideProducer } from './ride-producer.js';

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
  const { events, total, unit } = await replaySource(config);
  const kafka = createKafka(config.kafka, logger);
  await checkBrokers(kafka, config.kafka, logger);
  const extraTopics = config.completionsTopic === undefined ? [] : [config.completionsTopic];
  if (config.createTopics) await ensureTopics(kafka, config.topics, logger, extraTopics);
  const producer = await RideProducer.connect({
    kafka: config.kafka,
    topic: config.topics.rides,
    compression: config.compression,
    format: config.format,
    schemaRegistryUrl: config.schemaRegistryUrl,
    wire: config.wire,
    completionsTopic: config.completionsTopic,
    logger,
  });
  shutdown.add('producer', () => producer.close());
  const progress = createProgress(total, process.stderr.isTTY === true, logger, unit);
  logger.info(
    {
      source: config.source,
      pace: config.pace,
      topic: config.topics.rides,
      completionsTopic: config.completionsTopic,
      format: config.format,
    },
    'replay starting',
  );
  const stop = new AbortController();
  const replaying = replayEvents(events, producer, {
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
