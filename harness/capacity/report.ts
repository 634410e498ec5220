import type { DaySummary } from './day-summary.js';
import type { MinuteRow } from './simulate.js';
import type { SizingRow } from './sizing-table.js';

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** The per-minute trace, one CSV row a minute. */
export function traceCsv(rows: readonly MinuteRow[]): string {
  const header =
    'minute,time,offered_per_s,scored_per_s,mean_replicas,max_replicas,members,lag_end,max_lag,max_wait_s,capacity_per_s,scale_ups,scale_downs';
  const lines = rows.map((r) =>
    [
      r.minute,
      clock(r.minute),
      Math.round(r.offeredPerS),
      Math.round(r.scoredPerS),
      r.meanReplicas.toFixed(2),
      r.maxReplicas,
      r.members,
      Math.round(r.lagAtEnd),
      Math.round(r.maxLag),
      r.maxWaitS.toFixed(1),
      Math.round(r.capacityPerS),
      r.scaleUps,
      r.scaleDowns,
    ].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

/** The day in a few lines, then replicas per hour as a Markdown table. */
export function formatSummary(day: DaySummary, p99Ms: number): string {
  const saved = day.fixedPodHours === undefined ? undefined : 1 - day.kedaPodHours / day.fixedPodHours;
  const fixedFleet =
    day.fixedReplicas === undefined
      ? 'a fixed fleet cannot carry the peak with headroom on these partitions: raise --partitions'
      : `a fixed fleet of ${day.fixedReplicas} (the peak with headroom): ${fixed(day.fixedPodHours!)} pod-hours; ` +
        `KEDA uses ${fixed(100 * Math.abs(saved!), 0)} % ${saved! >= 0 ? 'fewer' : 'more'}`;
  const lines = [
    `rides: ${int(day.rides)}, peak ${int(day.peakOfferedPerS)} rides/s`,
    `max replicas: ${day.maxReplicas}; scaled up ${day.scaleUps} times, down ${day.scaleDowns} (a rebalance each)`,
    `peak lag: ${int(day.peakLag)} rides at ${clock(day.peakLagMinute)}, ` +
      `${fixed(day.peakLagDrainS)} s of scoring for the members then`,
    `longest wait in Kafka: ${fixed(day.maxWaitS)} s at ${clock(day.maxWaitMinute)} ` +
      `(end to end: add the scoring hop, p99 ${p99Ms} ms at the bench's sustained load)`,
    `minutes with a wait over 1 s / 10 s / 60 s: ${day.minutesWaitOver.over1s} / ` +
      `${day.minutesWaitOver.over10s} / ${day.minutesWaitOver.over60s}`,
    `pod-hours: KEDA ${fixed(day.kedaPodHours)}; ${fixedFleet}`,
    `lag at the day's end: ${int(day.lagAtEnd)}`,
    '',
    '| hour | mean replicas | max replicas | longest wait s |',
    '| --: | --: | --: | --: |',
    ...day.hours.map(
      (h) => `| ${clock(h.hour * 60)} | ${fixed(h.meanReplicas)} | ${h.maxReplicas} | ${fixed(h.maxWaitS)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** rides/s → replicas → partitions, as a Markdown table. */
export function formatSizingTable(rows: readonly SizingRow[], headroom: number): string {
  const lines = [
    `| rides/s | replicas (bare) | partitions | replicas (+${fixed(100 * headroom, 0)} %) | CPU cores | peak RSS GB |`,
    '| --: | --: | --: | --: | --: | --: |',
    ...rows.map(
      (r) =>
        `| ${int(r.ridesPerS)} | ${r.bareReplicas} | ${r.partitions} | ${r.replicas} | ` +
        `${fixed(r.cores)} | ${fixed(r.memoryGb)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
