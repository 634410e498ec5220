import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The drift_reference train.py writes into metadata.json (format: models/README.md, "Drift reference"). */
interface CategoricalFeature {
  name: string;
  map?: string;
  categories: number[];
  shares: number[];
}
interface BinnedFeature {
  name: string;
  edges: number[];
  shares: number[];
}
interface DriftReference {
  data: string;
  rows: number;
  features: Array<CategoricalFeature | BinnedFeature>;
}

const ROOT = fileURLToPath(new URL('../../../models/ride-duration/', import.meta.url));
const VERSIONS = readdirSync(ROOT).filter((entry) => statSync(join(ROOT, entry)).isDirectory());
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function readMetadata(version: string) {
  return JSON.parse(readFileSync(join(ROOT, version, 'metadata.json'), 'utf8'));
}

describe('drift_reference in the committed model folders', () => {
  it('is in 1.0.0 and every other committed version', () => {
    expect(VERSIONS).toContain('1.0.0');
    for (const version of VERSIONS)
      expect({ version, has: 'drift_reference' in readMetadata(version) }).toEqual({
        version,
        has: true,
      });
  });

  describe.each(VERSIONS)('%s', (version) => {
    const metadata = readMetadata(version);
    const reference: DriftReference = metadata.drift_reference;
    const feature = (name: string) => reference.features.find((f) => f.name === name)!;

    it('names the training file and its cleaned row count', () => {
      expect(reference.data).toBe(`${metadata.training.file}, cleaned training rows`);
      expect(reference.rows).toBe(metadata.training.rows_clean);
    });

    it('has the five model inputs in order, each with shares in [0, 1] summing to 1', () => {
      expect(reference.features.map((f) => f.name)).toEqual(
        metadata.inputs.map((i: { name: string }) => i.name),
      );
      for (const f of reference.features) {
        expect(
          f.shares.every((s) => s >= 0 && s <= 1),
          f.name,
        ).toBe(true);
        expect(Math.abs(sum(f.shares) - 1), f.name).toBeLessThan(1e-5);
      }
    });

    it('maps zones to borough codes: one category per borough plus "other"', () => {
      expect(metadata.zone_borough_codes).toHaveLength(metadata.zones.length);
      for (const name of ['PULocationID', 'DOLocationID']) {
        const f = feature(name) as CategoricalFeature;
        expect(f.map).toBe('zone_borough_codes');
        expect(f.categories).toEqual(range(metadata.boroughs.length));
        expect(f.shares).toHaveLength(f.categories.length + 1);
        // Every training zone is in the lookup, so no training ride is "other".
        expect(f.shares.at(-1)).toBe(0);
      }
    });

    it('bins trip_distance at ascending deciles: about a tenth of the rows in each bin', () => {
      const f = feature('trip_distance') as BinnedFeature;
      expect(f.edges.length).toBeGreaterThan(0);
      expect(f.edges.length).toBeLessThanOrEqual(9);
      expect(
        f.edges.slice(1).every((edge, i) => edge > f.edges[i]!),
        `${f.edges}`,
      ).toBe(true);
      expect(f.shares).toHaveLength(f.edges.length + 1);
      if (f.edges.length === 9)
        for (const share of f.shares) expect(Math.abs(share - 0.1)).toBeLessThan(0.02);
    });

    it('counts every hour 0..23 and weekday 0..6 (Monday = 0), none outside', () => {
      for (const [name, n] of [
        ['pickup_hour', 24],
        ['pickup_dow', 7],
      ] as const) {
        const f = feature(name) as CategoricalFeature;
        expect(f.map).toBeUndefined();
        expect(f.categories).toEqual(range(n));
        expect(f.shares).toHaveLength(n + 1);
        expect(f.shares.at(-1)).toBe(0);
        expect(f.shares.slice(0, n).every((s) => s > 0)).toBe(true);
      }
    });
  });
});
