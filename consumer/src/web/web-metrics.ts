import { Counter, Histogram, Registry } from 'prom-client';
import { createModelMetrics } from '../common/model-metrics.js';

/** The web service's Prometheus metrics, on a registry of its own. */
export class WebMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'ride_web_requests_total',
    help: 'POST /predict requests, by HTTP status',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly predictions = new Counter({
    name: 'ride_web_predictions_total',
    help: 'Rides scored through POST /predict, by model version',
    labelNames: ['model_version'],
    registers: [this.registry],
  });
  readonly scoringSeconds = new Histogram({
    name: 'ride_web_scoring_seconds',
    help: 'Model run time per request',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1],
    registers: [this.registry],
  });
  private readonly model = createModelMetrics(this.registry);
  readonly modelInfo = this.model.modelInfo;
  readonly modelSwaps = this.model.modelSwaps;
}
