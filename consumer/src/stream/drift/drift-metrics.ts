import { Counter, Gauge, type Registry } from 'prom-client';
import type { FeatureBins } from './feature-bins.js';

/** A chunk's rides of one model version, counted per feature and bin against that version's reference. */
export interface DriftCounts {
  version: string;
  bins: FeatureBins;
  counts: number[][];
}

/**
 * Input drift as counters: rides per model version, feature and bin, beside the gauge of the bin's share in the
 * version's training rows. PSI over any period is then a PromQL expression (deploy/prometheus/rules), summed over
 * every member. Every bin's series exists from 0, so a bin that live traffic never fills still counts.
 */
export class DriftMetrics {
  private readonly rides: Counter<'model_version' | 'feature' | 'bin'>;
  private readonly reference: Gauge<'model_version' | 'feature' | 'bin'>;
  private readonly shown = new Set<string>();

  constructor(registry: Registry) {
    this.rides = new Counter({
      name: 'ride_input_feature_rides_total',
      help: 'Rides scored, by model version, input feature and bin of its drift reference',
      labelNames: ['model_version', 'feature', 'bin'],
      registers: [registry],
    });
    this.reference = new Gauge({
      name: 'ride_input_feature_reference_share',
      help: "The bin's share of the model version's training rows (metadata.json drift_reference)",
      labelNames: ['model_version', 'feature', 'bin'],
      registers: [registry],
    });
  }

  record({ version, bins, counts }: DriftCounts): void {
    if (!this.shown.has(version)) this.show(version, bins);
    bins.features.forEach((feature, f) => {
      counts[f]!.forEach((n, b) => {
        if (n > 0)
          this.rides.inc({ model_version: version, feature: feature.name, bin: feature.labels[b]! }, n);
      });
    });
  }

  private show(version: string, bins: FeatureBins): void {
    this.shown.add(version);
    for (const feature of bins.features) {
      feature.labels.forEach((bin, b) => {
        const labels = { model_version: version, feature: feature.name, bin };
        this.reference.set(labels, feature.shares[b]!);
        this.rides.inc(labels, 0);
      });
    }
  }
}
