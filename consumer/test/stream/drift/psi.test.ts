import { describe, expect, it } from 'vitest';
import { psi } from '../../../src/stream/drift/psi.js';

describe('psi', () => {
  it('is 0 for the reference itself and grows with the shift', () => {
    expect(psi([25, 25, 50], [0.25, 0.25, 0.5])).toBeCloseTo(0, 12);
    // (0.5 − 0.25)·ln(2) + (0.25 − 0.25)·0 + (0.25 − 0.5)·ln(0.5) = 0.5·ln 2
    expect(psi([50, 25, 25], [0.25, 0.25, 0.5])).toBeCloseTo(0.5 * Math.log(2), 12);
  });

  it('floors empty bins instead of going infinite, and refuses mismatched bins', () => {
    // (0 − 0.5)·ln(1e-4 / 0.5) + (1 − 0.5)·ln(1 / 0.5)
    expect(psi([0, 10], [0.5, 0.5])).toBeCloseTo(-0.5 * Math.log(1e-4 / 0.5) + 0.5 * Math.log(2), 12);
    expect(psi([0, 0], [0.5, 0.5])).toBeNaN();
    expect(() => psi([1], [0.5, 0.5])).toThrow(/1 bins observed against 2/);
  });
});
