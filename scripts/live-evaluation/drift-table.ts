import { psi } from '../../consumer/src/stream/drift/psi.js';

const SERIES = /^(ride_input_feature_rides_total|ride_input_feature_reference_share)\{(.*)\} (\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

interface Bins {
  counts: Map<string, number>;
  shares: Map<string, number>;
}

/**
 * The month's drift as a markdown table: PSI per feature (rows) and model version (columns), from a scorer's
 * /metrics text (rides per version, feature and bin beside each bin's training share).
 */
export function driftTable(metricsText: string): string {
  const byKey = new Map<string, Bins>();
  for (const line of metricsText.split('\n')) {
    const match = SERIES.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[2]!.matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));
    const key = `${labels.model_version}\u0000${labels.feature}`;
    const bins = byKey.get(key) ?? { counts: new Map(), shares: new Map() };
    byKey.set(key, bins);
    const into = match[1] === 'ride_input_feature_rides_total' ? bins.counts : bins.shares;
    into.set(labels.bin!, Number(match[3]));
  }
  const versions = [...new Set([...byKey.keys()].map((k) => k.split('\u0000')[0]!))].sort();
  const features = [...new Set([...byKey.keys()].map((k) => k.split('\u0000')[1]!))];
  const rows = features.map((feature) => {
    const cells = versions.map((version) => {
      const bins = byKey.get(`${version}\u0000${feature}`);
      if (bins === undefined) return '–';
      const labels = [...bins.shares.keys()];
      const value = psi(
        labels.map((l) => bins.counts.get(l) ?? 0),
        labels.map((l) => bins.shares.get(l)!),
      );
      return Number.isNaN(value) ? '–' : value.toFixed(3);
    });
    return `| ${feature} | ${cells.join(' | ')} |`;
  });
  return [
    `| feature | ${versions.join(' | ')} |`,
    `|---|${versions.map(() => '--:').join('|')}|`,
    ...rows,
  ].join('\n');
}
