/**
 * What one scorer replica does, from the published bench (BENCHMARKS.md, bench/figures/results.md: full run
 * 2026-12-06 at 7e069d3, 2 cores, Kafka 4.2.2, Node 24, @platformatic/kafka, the Confluent wire format) and the chaos
 * suite (test/chaos/results.md). Each figure names its row; a new bench run updates them here and nowhere else.
 */
export const REPLICA_FIGURES = {
  source: 'bench full run 2026-12-06 at 7e069d3 (bench/figures/results.md)',
  /** Highest offered load one process sustained without a growing backlog (the latency search). */
  sustainedRidesPerS: 45_000,
  /** One process through a 1,000,000-ride backlog, one broker; 44,738 on the 3-broker cluster (RF 3, acks=all). */
  backlogRidesPerS: 49_507,
  clusterBacklogRidesPerS: 44_738,
  cpuSecondsPerMillion: 22.2,
  peakRssMb: 513,
  /** p99 end to end at the sustained point (45k ev/s offered): the processing part of a ride's delay. */
  p99AtSustainedMs: 82,
} as const;

/**
 * A member joining or leaving stops the classic group until every partition commits again: 1.2 s median, 3.1 s
 * max over 4 add/remove rounds (at-least-once; 0.9 / 3.0 s exactly-once) in the long chaos profile of 2026-12-05
 * (test/chaos/results.md at 89dc70e; the later runs there are cluster-only). The simulator's default is the max.
 */
export const REBALANCE_PAUSE_S = 3;

/**
 * Pod creation to the first prediction: scheduling on a node with room and the image cached, container start,
 * Node and the model loaded, the readiness probe (every 5 s) and the group join. An assumption, not a measurement:
 * a new node from a cluster autoscaler takes minutes, which is what --startup is for.
 */
export const STARTUP_S = 10;
