import { describe, expect, it } from 'vitest';
import { ErrorSums } from '../../src/evaluate/error-sums.js';

describe('ErrorSums', () => {
  it('gives RMSE, MAE and bias (predicted − actual) of the pairs added', () => {
    const sums = new ErrorSums();
    const pairs: [number, number][] = [
      [10, 12],
      [20, 17],
      [5, 5],
      [30, 36],
    ];
    for (const [predicted, actual] of pairs) sums.add(predicted, actual);
    const errors = pairs.map(([p, a]) => p - a);
    const figures = sums.figures();
    expect(figures.count).toBe(4);
    expect(figures.bias).toBeCloseTo(errors.reduce((s, e) => s + e, 0) / 4, 12);
    expect(figures.mae).toBeCloseTo(errors.reduce((s, e) => s + Math.abs(e), 0) / 4, 12);
    expect(figures.rmse).toBeCloseTo(Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / 4), 12);
    expect(figures.bias).toBeLessThan(0);
  });

  it('gives the same figures whatever the order of the pairs', () => {
    const a = new ErrorSums();
    const b = new ErrorSums();
    const pairs = Array.from({ length: 100 }, (_, i) => [(i * 7) % 61, (i * 13) % 59] as const);
    for (const [p, x] of pairs) a.add(p, x);
    for (const [p, x] of [...pairs].reverse()) b.add(p, x);
    expect(b.figures().rmse).toBeCloseTo(a.figures().rmse, 9);
    expect(b.figures().bias).toBeCloseTo(a.figures().bias, 9);
  });

  it('has no figures before the first pair', () => {
    const figures = new ErrorSums().figures();
    expect(figures.count).toBe(0);
    expect(figures.rmse).toBeNaN();
  });
});
