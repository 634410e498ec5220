/** The parts of the chart's ScaledObject trigger that KEDA's Kafka scaler reads. */
export interface KafkaTrigger {
  lagThreshold: number;
  activationLagThreshold: number;
  /** The input topic's partitions. */
  partitions: number;
  /** `ensureEvenDistributionOfPartitions`: ask only for member counts that divide the partitions (off in the chart). */
  evenPartitions?: boolean;
}

/**
 * The group's lag as KEDA's Kafka scaler reports it to the HPA. With `allowIdleConsumers: "false"` (the chart's
 * setting) the *total* lag is capped, not each partition's: when totalLag / lagThreshold (integer division) exceeds
 * the partition count, KEDA reports partitions × lagThreshold (kedacore/keda pkg/scalers/kafka_scaler.go,
 * getTotalLag). The integer division lets a lag just under (partitions + 1) × lagThreshold through, for which the
 * HPA asks one member more; maxReplicaCount, the partitions in the chart, holds that one back.
 */
export function reportedLag(totalLag: number, trigger: KafkaTrigger): number {
  let lag = Math.floor(totalLag);
  if (trigger.evenPartitions) {
    // The smallest divisor of the partitions whose share covers the lag (getNextFactorThatBalancesConsumersToTopicPartitions).
    const factor =
      divisors(trigger.partitions).find((f) => f * trigger.lagThreshold >= lag) ?? trigger.partitions;
    lag = factor * trigger.lagThreshold;
  }
  return Math.floor(lag / trigger.lagThreshold) > trigger.partitions
    ? trigger.partitions * trigger.lagThreshold
    : lag;
}

/** Whether KEDA counts the trigger active: what takes a ScaledObject from 0 to 1 replica and keeps it off 0. */
export function isActive(totalLag: number, trigger: KafkaTrigger): boolean {
  return Math.floor(totalLag) > trigger.activationLagThreshold;
}

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}
