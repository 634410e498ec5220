#!/usr/bin/env node
import {
  createLogger,
  flagsToEnv,
  reportFatal,
  requireSupportedNode,
  routeProcessWarnings,
  Shutdown,
} from '@ride/shared';
import { watchModel } from '../common/model-watcher.js';
import { createWebServer } from './create-web-server.js';
import { loadWebConfig } from './web-config.js';
import { WebMetrics } from './web-metrics.js';

/** The ride-duration model as a web service: POST /predict, /healthz, /metrics. Configuration: web-config.ts. */
async function main(): Promise<void> {
  requireSupportedNode('ride-web');
  const config = loadWebConfig(process.env, flagsToEnv(process.argv.slice(2)));
  const logger = createLogger({ level: config.logLevel, name: 'ride-web' });
  routeProcessWarnings(logger);
  const shutdown = new Shutdown(logger, config.shutdownTimeoutMs);
  shutdown.listen();
  const metrics = new WebMetrics();
  const watcher = await watchModel(config.modelSource, { threads: config.onnxThreads, logger, metrics });
  shutdown.add('model', async () => {
    await watcher.stop();
    await watcher.current.close();
  });
  const app = createWebServer({
    scorer: () => watcher.current,
    maxBatch: config.maxBatch,
    bodyLimit: config.bodyLimitBytes,
    logger,
    metrics,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  shutdown.add('http server', () => app.close());
  logger.info({ http: address, model: watcher.current.version }, 'web service listening');
}

main().catch((err) => {
  process.exit(reportFatal(err, 'ride-web'));
});
