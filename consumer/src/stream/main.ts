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
import { validateModel } from '@ride/shared/model';
import { createHttpServer } from '../common/http-server.js';
import { watchModel } from '../common/model-watcher.js';
import { Canary } from './canary/canary.js';
import { EvaluationFollower } from './canary/evaluation-follower.js';
import { loadConsumerConfig } from './consumer-config.js';
import { ConsumerMetrics } from './consumer-metrics.js';
import { checkDriftReference } from './drift/feature-bins.js';
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
  checkDriftReference(scorer().metadata, scorer().dir);
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
  await checkBrokers(kafka, config.kafka, logger);
  if (config.createTopics) {
    const extra = shadow === undefined ? [] : [shadow.topic];
    await ensureTopics(kafka, config.topics, logger, extra);
  }

  let canary: Canary | undefined;
  if (config.canary !== undefined) {
    const settings = config.canary;
    const candidate = await watchModel(settings.source, {
      threads: config.onnxThreads,
      logger: logger.child({ canary: true }),
    });
    // A candidate of another model, or one that cannot score, stops the start like a bad MODEL_PATH.
    await validateModel(candidate.current, scorer().name);
    checkDriftReference(candidate.current.metadata, candidate.current.dir);
    shutdown.add('canary model', async () => {
      await candidate.stop();
      await candidate.current.close();
    });
    let follower: EvaluationFollower | undefined;
    canary = new Canary({
      settings,
      champion: scorer,
      candidate: () => candidate.current,
      publish: (decision) => follower?.publish(decision) ?? Promise.resolve(),
      metrics: metrics.canary,
      logger,
    });
    follower = new EvaluationFollower({
      client: kafka,
      topic: settings.evaluationsTopic,
      predictionsTopic: config.topics.predictions,
      groupId: config.groupId,
      canary,
      logger,
    });
    shutdown.add('evaluation follower', () => follower.stop());
    // Decisions already made (a rollback before this member started) apply before the first ride.
    await follower.start(config.sessionTimeoutMs);
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
    canary,
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
