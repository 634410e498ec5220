import type { Zone } from '@ride/shared';
import type { DemoStats } from './demo-stats.js';
import type { EvaluationStats } from './evaluation-stats.js';

export interface ViewContext {
  title: string;
  source: string;
  durationS: number;
  zones: Map<number, Zone>;
  evaluation: {
    stats: EvaluationStats;
    /** What the figures are: the windows, the lateness. */
    about: string;
    /** Why there are none (a synthetic replay has no ground truth); unset when the evaluator runs. */
    off?: string;
    /** The model's offline RMSE on the month replayed, to compare with. */
    offlineRmse?: number;
  };
}

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

/** The evaluator's section: per model version, the rides paired so far and their error, in minutes. */
export function renderEvaluation(ev: ViewContext['evaluation']): string[] {
  const head = `live error from ground truth (ride-evaluator): ${ev.about}`;
  if (ev.off !== undefined) return [head, `  off: ${ev.off}`];
  const rows = ev.stats
    .figures()
    .map(
      (f) =>
        `  model ${f.version.padEnd(8)} rides ${String(f.count).padStart(6)}   RMSE ${f.rmse.toFixed(2)}   ` +
        `MAE ${f.mae.toFixed(2)}   bias ${signed(f.bias)} min   ${f.windows} windows, drop-off up to ` +
        `${f.through.slice(0, 16).replace('T', ' ')}` +
        (f.outOfRange > 0 ? `   (${f.outOfRange} rides outside 1–60 min not counted)` : ''),
    );
  const offline =
    ev.offlineRmse === undefined ? [] : [`  offline, on the whole month: RMSE ${ev.offlineRmse.toFixed(2)}`];
  return [head, ...(rows.length > 0 ? rows : ['  no window closed yet']), ...offline];
}

const zoneName = (zones: Map<number, Zone>, id: number) => {
  const z = zones.get(id);
  return z ? `${z.zone} (${z.borough})` : `zone ${id}`;
};

/** Renders the live summary as plain text lines (the caller decides whether to redraw in place). */
export function renderView(stats: DemoStats, ctx: ViewContext): string {
  const elapsed = Math.round((Date.now() - stats.startedAt) / 1000);
  const clock =
    elapsed <= ctx.durationS ? `elapsed ${elapsed}s / ${ctx.durationS}s` : 'replay done, draining';
  const ms = (p: number) => (Number.isNaN(stats.percentile(p)) ? '–' : `${stats.percentile(p).toFixed(0)}`);
  const maxBucket = Math.max(1, ...stats.histogram);
  const bars = stats.histogram.map((n, i) => {
    const label = i === 11 ? '55+    min' : `${String(i * 5).padStart(2)}–${String(i * 5 + 5).padEnd(2)} min`;
    return `  ${label} ${'█'.repeat(Math.round((n / maxBucket) * 40)).padEnd(40)} ${n}`;
  });
  const letters = [...stats.deadLetters].map(([reason, n]) => `${reason}=${n}`).join(', ') || 'none';
  const latest = stats.latest.map(
    (s) =>
      `  ${s.rideId.padEnd(30)} ${zoneName(ctx.zones, s.pu)} → ${zoneName(ctx.zones, s.do)}, ${s.distance.toFixed(2)} mi: ${s.minutes.toFixed(1)} min`,
  );
  return [
    ctx.title,
    `source: ${ctx.source}   ${clock}`,
    '',
    `rides sent ${stats.ridesSeen}   predictions ${stats.predictions}   rate ${stats.rate().toFixed(1)}/s   dead letters: ${letters}`,
    `end-to-end latency ms (last 10 s)   p50 ${ms(50)}   p90 ${ms(90)}   p99 ${ms(99)}   max ${ms(100)}`,
    '',
    ...renderEvaluation(ctx.evaluation),
    '',
    'predicted durations',
    ...bars,
    '',
    'latest predictions',
    ...latest,
  ].join('\n');
}
