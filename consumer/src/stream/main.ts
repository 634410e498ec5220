#!/usr/bin/env node
import {
  checkBrokers,
  createKafka,
  createLogger,
  ensureTopics,
  flagsToEnv,
  openSchemaCatalog,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { createHttpServer } from '../common/http-server.js';
import { watchModel } from '../common/model-watcher.js';
import { loadConsumerConfig } from './consumer-config.js';
import { ConsumerMetrics } from './consumer-metrics.js';
import { ScoringConsumer } from './scoring-consumer.js';

async function main(): Promise<void> {
  requireSupportedNode('ride-scorer');
  const config = loadConsumerConfig(process.env, flagsToEnv(process.argv.slice(2)));
  const logger = createLogger({ level: config.logLevel, name: 'ride-scorer' });
  routeProcessWarnings(logger);
  const shutdown = new Shutdown(logger, config.shutdownTimeoutMs);
  shutdown.listen();
  const metrics = new ConsumerMetrics();
  // The model is loaded before touching Kafka: a bad model never joins the group nor commits an offset.
  // The watcher follows MODEL_PATH (folder, URL or models:/ alias) and swaps models between batches.
  const watcher = await watchModel(config.modelSource, { threads: config.onnxThreads, logger, metrics });
  const scorer = () => watcher.current;
  shutdown.add('model', async () => {
    await watcher.stop();
    await scorer().close();
  });
  const shadow = config.shadow && {
    watcher: await watchModel(config.shadow.source, {
      threads: config.onnxThreads,
      logger: logger.child({ shadow: true }),
    }),
    topic: config.shadow.topic,
  };
  if (shadow !== undefined) {
    logger.info(
      { shadow: { version: shadow.watcher.current.version, topic: shadow.topic } },
      'shadow model loaded',
    );
    shutdown.add('shadow model', async () => {
      await shadow.watcher.stop();
      await shadow.watcher.current.close();
    });
  }
  const kafka = createKafka(config.kafka, logger);
  await checkBrokers(kafka, config.kafka.brokers);
  if (config.createTopics) {
    const extra = shadow === undefined ? [] : [shadow.topic];
    await ensureTopics(kafka, config.topics, logger, extra);
  }

  const catalog = await openSchemaCatalog(config.schemaRegistryUrl, {
    'ride-prediction':
      shadow === undefined ? [config.topics.predictions] : [config.topics.predictions, shadow.topic],
  });
  if (config.schemaRegistryUrl !== undefined) logger.info('Avro schemas registered with the schema registry');
  const consumer = new ScoringConsumer({
    ...config,
    client: kafka,
    catalog,
    scorer,
    shadow: shadow && { scorer: () => shadow.watcher.current, topic: shadow.topic },
    metrics,
    logger,
    // A consumer its client and our supervision gave up on consumes nothing: exit, let the process supervisor restart it.
    onFatal: (err) => {
      logger.fatal({ err }, 'the consumer stopped for good; exiting');
      void shutdown.run('fatal consumer error', 1);
    },
  });
  const http = createHttpServer(metrics, {
    ready: () => consumer.ready,
    details: () => ({
      model: { name: scorer().name, version: scorer().version },
      partitions: consumer.assignedPartitions,
    }),
  });
  const address = await http.listen({ host: config.httpHost, port: config.httpPort });
  shutdown.add('http server', () => http.close());
  logger.info({ http: address }, 'http server listening');
  shutdown.add('consumer', () => consumer.stop());
  try {
    await consumer.start();
  } catch (err) {
    // A signal during start-up closes the clients under start(); that failure is the shutdown, not an error.
    if (!shutdown.stopping) throw err;
  }
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-scorer'));
});
