import { Counter, Gauge, type Registry } from 'prom-client';

/** The model metrics every service that serves a model exports (the watcher updates them). */
export interface ModelMetrics {
  /** 1 for the model being served, 0 for one it replaced. */
  modelInfo: Gauge<'model' | 'version'>;
  /** Live model swap (model-watcher.ts): swapped, refused (failed load or validation), unreachable (poll failed). */
  modelSwaps: Counter<'result'>;
}

export function createModelMetrics(registry: Registry): ModelMetrics {
  return {
    modelInfo: new Gauge({
      name: 'ride_model_info',
      help: 'The model being served (value 1)',
      labelNames: ['model', 'version'],
      registers: [registry],
    }),
    modelSwaps: new Counter({
      name: 'ride_model_swaps_total',
      help: 'Model source polls that found a new model, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}
