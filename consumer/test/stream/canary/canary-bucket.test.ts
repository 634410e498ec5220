import { describe, expect, it } from 'vitest';
import { canaryBucket, routesToCanary } from '../../../src/stream/canary/canary-bucket.js';

describe('canaryBucket', () => {
  it('is FNV-1a over the id: known values, stable, in [0, 1)', () => {
    // FNV-1a 32-bit: "" → 0x811c9dc5, "a" → 0xe40c292c (the published test vectors).
    expect(canaryBucket('')).toBe(0x811c9dc5 / 2 ** 32);
    expect(canaryBucket('a')).toBe(0xe40c292c / 2 ** 32);
    expect(canaryBucket('256')).toBe(canaryBucket('256'));
  });

  it('sends about the share of ids to the candidate, and a larger share keeps every id of a smaller one', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `green_tripdata_2021-02.parquet:${i}`);
    const at20 = ids.filter((id) => routesToCanary(id, 0.2));
    expect(at20.length / ids.length).toBeGreaterThan(0.19);
    expect(at20.length / ids.length).toBeLessThan(0.21);
    expect(at20.every((id) => routesToCanary(id, 0.5))).toBe(true);
    expect(ids.some((id) => routesToCanary(id, 0))).toBe(false);
  });
});
