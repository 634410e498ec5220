/** Shares below this count as this (an empty bin would make the logarithm infinite); as in the Prometheus rules. */
export const PSI_FLOOR = 1e-4;

/**
 * Population stability index of observed bin counts against reference shares: Σ (p − q)·ln(p / q) over the bins,
 * p the observed share, q the reference one, both floored at PSI_FLOOR. 0 is identical; the usual reading is < 0.1
 * stable, 0.1–0.25 moving, > 0.25 shifted. NaN when nothing was observed.
 */
export function psi(counts: readonly number[], reference: readonly number[]): number {
  if (counts.length !== reference.length) {
    throw new RangeError(`psi: ${counts.length} bins observed against ${reference.length} in the reference`);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return Number.NaN;
  let sum = 0;
  counts.forEach((n, i) => {
    const p = n / total;
    const q = reference[i]!;
    sum += (p - q) * Math.log(Math.max(p, PSI_FLOOR) / Math.max(q, PSI_FLOOR));
  });
  return sum;
}
