import { Counter, Gauge, type Registry } from 'prom-client';

/** The canary's metrics (see Canary). */
export interface CanaryMetrics {
  share: Gauge<'model_version'>;
  rollbacks: Counter<'model_version' | 'reason'>;
  failures: Counter<'model_version'>;
}

export function createCanaryMetrics(registry: Registry): CanaryMetrics {
  return {
    share: new Gauge({
      name: 'ride_canary_share',
      help: 'Share of ride ids routed to the candidate: CANARY_SHARE while live, 0 once rolled back or promoted',
      labelNames: ['model_version'],
      registers: [registry],
    }),
    rollbacks: new Counter({
      name: 'ride_canary_rollbacks_total',
      help: 'Candidates rolled back, by reason: error (live error worse than the champion by the margin), failures',
      labelNames: ['model_version', 'reason'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'ride_canary_failures_total',
      help: 'Rides the candidate refused or failed on while the champion answered them',
      labelNames: ['model_version'],
      registers: [registry],
    }),
  };
}
