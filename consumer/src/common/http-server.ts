import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

export interface HealthState {
  /** In the consumer group with partitions assigned (or waiting for them) and a model loaded. */
  ready(): boolean;
  /** Extra facts /readyz reports: model version, assigned partitions. */
  details(): Record<string, unknown>;
}

/** /healthz (process alive), /readyz (in the group; the scorer: with a model loaded), /metrics (Prometheus text). */
export function createHttpServer(metrics: { registry: Registry }, health: HealthState): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const ready = health.ready();
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', ...health.details() });
  });
  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return app;
}
