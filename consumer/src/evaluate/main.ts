#!/usr/bin/env node
import {
  checkBrokers,
  createKafka,
  createLogger,
  flagsToEnv,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { createHttpServer } from '../common/http-server.js';
import { Evaluator } from './evaluator.js';
import { loadEvaluatorConfig } from './evaluator-config.js';
import { EvaluatorMetrics } from './evaluator-metrics.js';

async function main(): Promise<void> {
  requireSupportedNode('ride-evaluator');
  const config = loadEvaluatorConfig(process.env, flagsToEnv(process.argv.slice(2)));
  const logger = createLogger({ level: config.logLevel, name: 'ride-evaluator' });
  routeProcessWarnings(logger);
  const shutdown = new Shutdown(logger, config.shutdownTimeoutMs);
  shutdown.listen();
  const kafka = createKafka(config.kafka, logger);
  await checkBrokers(kafka, config.kafka, logger);
  const metrics = new EvaluatorMetrics();
  const evaluator = new Evaluator({ config, client: kafka, metrics, logger });
  const http = createHttpServer(metrics, {
    ready: () => evaluator.ready,
    details: () => ({ group: config.groupId }),
  });
  const address = await http.listen({ host: config.httpHost, port: config.httpPort });
  shutdown.add('http server', () => http.close());
  logger.info({ http: address }, 'http server listening');
  shutdown.add('evaluator', () => evaluator.stop());
  try {
    await evaluator.start();
  } catch (err) {
    if (!shutdown.stopping) throw err;
  }
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-evaluator'));
});
