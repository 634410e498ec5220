#!/usr/bin/env node
import { ConfigError, createLogger, ModelError } from '@ride/shared';
import { watchModel } from './model-watcher.js';
import { createWebServer } from './web/create-web-server.js';
import { loadWebConfig } from './web/web-config.js';
import { WebMetrics } from './web/web-metrics.js';

/** The ride-duration model as a web service: POST /predict, /healthz, /metrics. Configuration: web-config.ts. */
async function main(): Promise<void> {
  const config = loadWebConfig(process.env);
  const logger = createLogger({ level: config.logLevel, name: 'ride-web' });
  const metrics = new WebMetrics();
  const watcher = await watchModel(config.modelSource, { threads: config.onnxThreads, logger, metrics });
  const app = createWebServer({
    scorer: () => watcher.current,
    maxBatch: config.maxBatch,
    bodyLimit: config.bodyLimitBytes,
    logger,
    metrics,
  });
  const address = await app.listen({ host: config.host, port: config.port });
  logger.info({ http: address, model: watcher.current.version }, 'web service listening');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) process.exit(130);
    stopping = true;
    logger.info({ signal }, 'shutting down: answering the requests in flight');
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs).unref();
    await app.close();
    await watcher.stop();
    await watcher.current.close();
    logger.info('stopped cleanly');
    logger.flush();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  if (err instanceof ModelError) {
    console.error(`Cannot serve the model (${err.code}): ${err.message}`);
    process.exit(3);
  }
  console.error(err);
  process.exit(1);
});
