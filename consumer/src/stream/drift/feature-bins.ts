import { type DecodedRide, ErrorCodes, ModelError } from '@ride/shared';
import { type ModelMetadata, nycTimeParts } from '@ride/shared/model';

/** The features drift is measured on: the model's inputs, as models/pipeline/drift_reference.py bins them. */
export const DRIFT_FEATURES = [
  'PULocationID',
  'DOLocationID',
  'trip_distance',
  'pickup_hour',
  'pickup_dow',
] as const;
export type DriftFeature = (typeof DRIFT_FEATURES)[number];

export type TimedRide = DecodedRide & { pickupMs: number };

interface FeatureReference {
  name: DriftFeature;
  /** Bin labels, for metrics; the reference share of each. */
  labels: string[];
  shares: number[];
  binOf(value: number): number;
}

/**
 * A model's reference distributions (metadata.json `drift_reference`, written at training from its training rows)
 * and the binning that puts a live ride's features beside them. Categorical features have one bin per category plus
 * "other"; zone ids are first mapped to their borough through `zone_borough_codes`; numeric ones have edges, bin i
 * holding values above i edges.
 */
export class FeatureBins {
  readonly features: readonly FeatureReference[];

  private constructor(features: FeatureReference[]) {
    this.features = features;
  }

  /** The model's reference, or a list of what is wrong with it; undefined when the model has none. */
  static fromMetadata(metadata: ModelMetadata): FeatureBins | string[] | undefined {
    const reference = metadata.drift_reference as { features?: unknown } | undefined;
    if (reference === undefined) return undefined;
    const problems: string[] = [];
    const features: FeatureReference[] = [];
    const list = Array.isArray(reference.features) ? reference.features : [];
    for (const name of DRIFT_FEATURES) {
      const spec = list.find((f: { name?: unknown }) => f?.name === name) as
        | Record<string, unknown>
        | undefined;
      if (spec === undefined) {
        problems.push(`drift_reference has no feature "${name}"`);
        continue;
      }
      const feature = featureReference(name, spec, metadata, problems);
      if (feature !== undefined) features.push(feature);
    }
    return problems.length > 0 ? problems : new FeatureBins(features);
  }

  /** Per feature (in `features` order), the count of rides in each bin. No allocation per ride: this runs per chunk. */
  count(rides: readonly TimedRide[]): number[][] {
    const counts = this.features.map((f) => new Array<number>(f.shares.length).fill(0));
    for (const ride of rides) {
      const { hour, dow } = nycTimeParts(ride.pickupMs);
      for (let i = 0; i < this.features.length; i++) {
        const feature = this.features[i]!;
        counts[i]![feature.binOf(featureValue(feature.name, ride, hour, dow))]! += 1;
      }
    }
    return counts;
  }
}

function featureValue(name: DriftFeature, ride: TimedRide, hour: number, dow: number): number {
  switch (name) {
    case 'PULocationID':
      return ride.puLocationId;
    case 'DOLocationID':
      return ride.doLocationId;
    case 'trip_distance':
      return ride.tripDistance;
    case 'pickup_hour':
      return hour;
    case 'pickup_dow':
      return dow;
  }
}

function featureReference(
  name: DriftFeature,
  spec: Record<string, unknown>,
  metadata: ModelMetadata,
  problems: string[],
): FeatureReference | undefined {
  const shares = spec.shares;
  if (!Array.isArray(shares) || !shares.every((s) => Number.isFinite(s) && s >= 0)) {
    problems.push(`drift_reference feature "${name}": "shares" must be a list of numbers >= 0`);
    return undefined;
  }
  if (Array.isArray(spec.edges)) {
    const edges = spec.edges as number[];
    if (!edges.every(Number.isFinite) || shares.length !== edges.length + 1) {
      problems.push(
        `drift_reference feature "${name}": ${edges.length} edges need ${edges.length + 1} shares`,
      );
      return undefined;
    }
    const labels = edges.map((e) => `<=${e}`).concat(`>${edges[edges.length - 1] ?? '-inf'}`);
    return { name, labels, shares, binOf: (v) => edgeBin(edges, v) };
  }
  if (Array.isArray(spec.categories)) {
    const categories = spec.categories as number[];
    if (!categories.every(Number.isInteger) || shares.length !== categories.length + 1) {
      problems.push(
        `drift_reference feature "${name}": ${categories.length} categories need ${categories.length + 1} shares (the last is "other")`,
      );
      return undefined;
    }
    const index = new Map(categories.map((c, i) => [c, i]));
    const other = categories.length;
    if (spec.map === 'zone_borough_codes') {
      const boroughOf = zoneBoroughs(metadata);
      if (boroughOf === undefined) {
        problems.push(
          `drift_reference feature "${name}" maps through zone_borough_codes, which metadata lacks`,
        );
        return undefined;
      }
      const names = (metadata.boroughs as string[] | undefined) ?? [];
      const labels = categories.map((c) => names[c] ?? String(c)).concat('other');
      return { name, labels, shares, binOf: (v) => index.get(boroughOf.get(v) ?? -1) ?? other };
    }
    if (spec.map !== undefined) {
      problems.push(`drift_reference feature "${name}": unknown map ${JSON.stringify(spec.map)}`);
      return undefined;
    }
    const labels = categories.map(String).concat('other');
    return { name, labels, shares, binOf: (v) => index.get(v) ?? other };
  }
  problems.push(`drift_reference feature "${name}" has neither "edges" nor "categories"`);
  return undefined;
}

/** Bin i holds the values above exactly i edges: v <= edges[0] is bin 0, v > the last edge the last bin. */
function edgeBin(edges: readonly number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function zoneBoroughs(metadata: ModelMetadata): Map<number, number> | undefined {
  const codes = metadata.zone_borough_codes;
  if (Array.isArray(codes) && Array.isArray(metadata.zones)) {
    return new Map(metadata.zones.map((z, i) => [z, codes[i] as number]));
  }
  if (codes !== null && typeof codes === 'object') {
    return new Map(Object.entries(codes as Record<string, number>).map(([z, c]) => [Number(z), c]));
  }
  return undefined;
}

/** Stops a start whose model has a broken drift reference (a model without one serves, with no drift figures). */
export function checkDriftReference(metadata: ModelMetadata, dir: string): void {
  const read = FeatureBins.fromMetadata(metadata);
  if (Array.isArray(read)) {
    throw new ModelError(
      ErrorCodes.MODEL_METADATA_INVALID,
      `model ${dir} has a broken drift_reference in metadata.json (${read.join('; ')}): re-export it with models/train.py`,
    );
  }
}
