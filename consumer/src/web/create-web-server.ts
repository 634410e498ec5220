import { ErrorCodes, type EventError, type Logger, RequestError, RideError } from '@ride/shared';
import type { ModelScorer } from '@ride/shared/model';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { parsePredictRequest } from './parse-predict-request.js';
import { keepRawJsonText, rawJsonBody } from './raw-json-body.js';
import type { WebMetrics } from './web-metrics.js';

export interface WebServerOptions {
  /** The model to answer with; asked once per request, so a live swap applies to the next request. */
  scorer: () => ModelScorer;
  /** Most rides one batch request may carry (one graph run). */
  maxBatch: number;
  /** Largest request body in bytes. */
  bodyLimit: number;
  logger: Logger;
  metrics?: WebMetrics;
  /** Clock for requests without pickup_datetime; injectable for tests. */
  now?: () => number;
}

/** One answer; a ride that gave a `ride_id` gets it back after these, as the same JSON (predictionJson). */
export interface Prediction {
  duration: number;
  model_version: string;
}

interface ErrorBody {
  error: { code: string; message: string; problems?: unknown[] };
}

/**
 * The model as a web service, with the course's contract: POST /predict takes
 * {"PULocationID", "DOLocationID", "trip_distance", "pickup_datetime"?, "ride_id"?} and answers
 * {"duration", "model_version", "ride_id"?}; an array in gives an array out, scored with one graph run. Every 4xx
 * carries a stable code in error.code.
 */
export function createWebServer(options: WebServerOptions): FastifyInstance {
  const now = options.now ?? Date.now;
  const { metrics, logger } = options;
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit });
  // JSON only: a text/plain body would otherwise reach the handler as a string.
  app.removeContentTypeParser('text/plain');
  keepRawJsonText(app);
  if (metrics) {
    app.addHook('onResponse', async (request, reply) => {
      if (request.url === '/predict') metrics.requests.inc({ status: String(reply.statusCode) });
    });
    app.get('/metrics', async (_req, reply) =>
      reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
    );
  }

  app.get('/healthz', async () => {
    const scorer = options.scorer();
    return { status: 'ok', model: { name: scorer.name, version: scorer.version } };
  });

  app.post('/predict', async (request, reply) => {
    const { rides, rideIds, refusedIds, batch } = parsePredictRequest(
      rawJsonBody(request.body),
      options.maxBatch,
      now(),
    );
    const scorer = options.scorer();
    const refused = rides
      .map((ride, index) => ({ index, err: refusedIds.get(index) ?? scorer.check(ride) }))
      .filter((r): r is { index: number; err: EventError } => r.err !== undefined);
    if (refused.length > 0) {
      const problems = refused.map(({ index, err }) => ({ index, code: err.code, message: err.message }));
      const first = refused[0]!.err;
      const message = batch ? `${refused.length} of ${rides.length} rides cannot be scored` : first.message;
      return reply.code(400).send(errorBody(first.code, message, batch ? problems : undefined));
    }
    const started = performance.now();
    const { durations } = await scorer.score(rides);
    metrics?.scoringSeconds.observe((performance.now() - started) / 1000);
    metrics?.predictions.inc({ model_version: scorer.version }, rides.length);
    const answers = Array.from(durations, (duration, i) =>
      predictionJson({ duration, model_version: scorer.version }, rideIds[i]),
    );
    return reply.type('application/json; charset=utf-8').send(batch ? `[${answers.join(',')}]` : answers[0]);
  });

  app.setErrorHandler((err: FastifyError | RideError, _request, reply) => {
    if (err instanceof RequestError) {
      const problems = err.details.problems as unknown[] | undefined;
      return reply.code(400).send(errorBody(err.code, err.message, problems));
    }
    if (err instanceof RideError) {
      logger.error({ err }, 'predict failed');
      return reply.code(500).send(errorBody(err.code, err.message));
    }
    if (httpStatus(err) >= 500) logger.error({ err }, 'request failed');
    return reply.code(httpStatus(err)).send(errorBody(clientCode(err), clientMessage(err)));
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        errorBody(ErrorCodes.REQUEST_INVALID, `no route ${request.method} ${request.url}: use POST /predict`),
      ),
  );
  return app;
}

// Written by hand so a ride id goes back as the JSON text it came as: a number id may outgrow a double's digits.
function predictionJson(p: Prediction, rideIdJsonText: string | undefined): string {
  const rideId = rideIdJsonText === undefined ? '' : `,"ride_id":${rideIdJsonText}`;
  return `{"duration":${JSON.stringify(p.duration)},"model_version":${JSON.stringify(p.model_version)}${rideId}}`;
}

function errorBody(code: string, message: string, problems?: unknown[]): ErrorBody {
  return { error: problems === undefined ? { code, message } : { code, message, problems } };
}

// Fastify's own body errors (bad JSON, wrong media type, too large) map onto our codes so callers match one set.
function httpStatus(err: FastifyError): number {
  return err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
}

function clientCode(err: FastifyError): string {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return ErrorCodes.UNSUPPORTED_CONTENT_TYPE;
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return ErrorCodes.MESSAGE_TOO_LARGE;
  if (httpStatus(err) < 500) return ErrorCodes.REQUEST_INVALID;
  return ErrorCodes.SCORING_FAILED;
}

function clientMessage(err: FastifyError): string {
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'send the request as application/json';
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'the request body is too large: split the batch';
  if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'the request body is empty: send a ride as JSON';
  if (httpStatus(err) < 500) return `the request body is not valid JSON: ${err.message}`;
  return 'internal error';
}
