import type { MinuteRow } from './simulate.js';
import { replicasFor } from './sizing-table.js';

export interface HourReplicas {
  hour: number;
  meanReplicas: number;
  maxReplicas: number;
  maxWaitS: number;
}

export interface DaySummary {
  rides: number;
  peakOfferedPerS: number;
  maxReplicas: number;
  hours: HourReplicas[];
  peakLag: number;
  peakLagMinute: number;
  /** The peak lag over what that minute's members score when each has a backlog: the delay it means. */
  peakLagDrainS: number;
  maxWaitS: number;
  maxWaitMinute: number;
  /** Minutes in which some ride waited longer than 1, 10 and 60 s. */
  minutesWaitOver: { over1s: number; over10s: number; over60s: number };
  scaleUps: number;
  scaleDowns: number;
  kedaPodHours: number;
  /** A fixed Deployment sized for the peak with headroom; undefined when the partitions cannot carry it. */
  fixedReplicas: number | undefined;
  fixedPodHours: number | undefined;
  lagAtEnd: number;
}

export function summarise(
  rows: readonly MinuteRow[],
  fleet: { partitions: number; replicaRatePerS: number; headroom: number },
): DaySummary {
  const peakOfferedPerS = Math.max(...rows.map((r) => r.offeredPerS));
  const peakLagRow = rows.reduce((best, r) => (r.maxLag > best.maxLag ? r : best));
  const maxWaitRow = rows.reduce((best, r) => (r.maxWaitS > best.maxWaitS ? r : best));
  const fixedReplicas = replicasFor(
    peakOfferedPerS * (1 + fleet.headroom),
    fleet.partitions,
    fleet.replicaRatePerS,
  );
  const hours: HourReplicas[] = [];
  for (let start = 0; start < rows.length; start += 60) {
    const hour = rows.slice(start, start + 60);
    hours.push({
      hour: start / 60,
      meanReplicas: hour.reduce((sum, r) => sum + r.meanReplicas, 0) / hour.length,
      maxReplicas: Math.max(...hour.map((r) => r.maxReplicas)),
      maxWaitS: Math.max(...hour.map((r) => r.maxWaitS)),
    });
  }
  const hoursSimulated = rows.length / 60;
  return {
    rides: rows.reduce((sum, r) => sum + r.offeredPerS * 60, 0),
    peakOfferedPerS,
    maxReplicas: Math.max(...rows.map((r) => r.maxReplicas)),
    hours,
    peakLag: peakLagRow.maxLag,
    peakLagMinute: peakLagRow.minute,
    peakLagDrainS:
      peakLagRow.maxLag /
      (Math.max(1, Math.min(peakLagRow.members, fleet.partitions)) * fleet.replicaRatePerS),
    maxWaitS: maxWaitRow.maxWaitS,
    maxWaitMinute: maxWaitRow.minute,
    minutesWaitOver: {
      over1s: rows.filter((r) => r.maxWaitS > 1).length,
      over10s: rows.filter((r) => r.maxWaitS > 10).length,
      over60s: rows.filter((r) => r.maxWaitS > 60).length,
    },
    scaleUps: rows.reduce((sum, r) => sum + r.scaleUps, 0),
    scaleDowns: rows.reduce((sum, r) => sum + r.scaleDowns, 0),
    kedaPodHours: rows.reduce((sum, r) => sum + r.meanReplicas, 0) / 60,
    fixedReplicas,
    fixedPodHours: fixedReplicas === undefined ? undefined : fixedReplicas * hoursSimulated,
    lagAtEnd: rows[rows.length - 1]?.lagAtEnd ?? 0,
  };
}
