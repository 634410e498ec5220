import { groupCapacityPerS } from './scorer-group.js';

/** Partition counts with many divisors, so most replica counts get an even share (6 has 1, 2, 3, 6; 60 has 12). */
export const PARTITION_CHOICES = [6, 12, 24, 36, 48, 60, 72, 96, 120, 180, 240, 360, 480, 720] as const;

export interface ReplicaModel {
  replicaRatePerS: number;
  /** Spare capacity over the load: 0.25 sizes for 125 % of it. */
  headroom: number;
  cpuSecondsPerMillion: number;
  peakRssMb: number;
}

export interface SizingRow {
  ridesPerS: number;
  /** Replicas that just keep up, with no headroom and an even split. */
  bareReplicas: number;
  partitions: number;
  /** Replicas for the load with headroom on those partitions (an uneven split counts its busiest member). */
  replicas: number;
  cores: number;
  memoryGb: number;
}

/** The fewest members of `partitions` that score ridesPerS, or undefined when even one per partition cannot. */
export function replicasFor(
  ridesPerS: number,
  partitions: number,
  replicaRatePerS: number,
): number | undefined {
  for (let n = 1; n <= partitions; n++)
    if (groupCapacityPerS(n, partitions, replicaRatePerS) >= ridesPerS) return n;
  return undefined;
}

/**
 * Partitions for a load needing `needed` rides/s: at least twice the replicas it takes, so the load can double before
 * the topic must grow (growing it moves keys between partitions), and of the counts with many divisors up to 8×, the
 * smallest that needs the fewest replicas (an uneven split wastes members: 4 or 5 on 6 partitions score like 3).
 */
export function suggestedPartitions(needed: number, replicaRatePerS: number): number {
  const bare = Math.ceil(needed / replicaRatePerS);
  const candidates = PARTITION_CHOICES.filter((p) => p >= 2 * bare && p <= 8 * bare);
  if (candidates.length === 0) return Math.ceil((2 * bare) / 60) * 60;
  const cost = (p: number): number => replicasFor(needed, p, replicaRatePerS)!;
  return candidates.reduce((best, p) => (cost(p) < cost(best) ? p : best));
}

export function sizingRow(ridesPerS: number, model: ReplicaModel): SizingRow {
  const needed = ridesPerS * (1 + model.headroom);
  const partitions = suggestedPartitions(needed, model.replicaRatePerS);
  const replicas = replicasFor(needed, partitions, model.replicaRatePerS)!;
  return {
    ridesPerS,
    bareReplicas: Math.ceil(ridesPerS / model.replicaRatePerS),
    partitions,
    replicas,
    cores: (ridesPerS * model.cpuSecondsPerMillion) / 1e6,
    memoryGb: (replicas * model.peakRssMb) / 1024,
  };
}
