export interface GroupSettings {
  partitions: number;
  /** Rides per second one member scores, whatever its share of partitions. */
  replicaRatePerS: number;
  /** Pod creation to its first prediction. */
  startupS: number;
  /** How long the whole group stops when a member joins or leaves (the classic protocol's eager rebalance). */
  rebalanceS: number;
}

/**
 * The highest load, spread evenly over the partitions, that a group keeps up with: its busiest member, with
 * ceil(partitions / members) of them, is the limit. A backlog on every partition is scored faster, by every member.
 */
export function groupCapacityPerS(members: number, partitions: number, replicaRatePerS: number): number {
  const active = Math.min(members, partitions);
  return active === 0 ? 0 : (partitions * replicaRatePerS) / Math.ceil(partitions / active);
}

interface Pod {
  readyAtS: number;
  joined: boolean;
}

/**
 * The scorer's consumer group as a fluid model: rides arrive spread evenly over the partitions (keyed rides in the
 * producer), each partition is a FIFO queue, a member scores its partitions at up to replicaRatePerS shared among
 * them, and partitions are assigned round-robin, so with m members of P the busiest member has ceil(P / m). A
 * member joins once its start-up is over; every join or leave stops all members for rebalanceS.
 */
export class ScorerGroup {
  private readonly settings: GroupSettings;
  private readonly podList: Pod[] = [];
  private readonly lag: Float64Array;
  /** Rides that have arrived on each partition, at the end of every second so far (index 0: time 0). */
  private readonly arrived: number[] = [0];
  private pausedUntilS = 0;
  private nowS = 0;
  private lastScoredPerS = 0;

  constructor(settings: GroupSettings, members: number) {
    this.settings = settings;
    this.lag = new Float64Array(settings.partitions);
    for (let i = 0; i < members; i++) this.podList.push({ readyAtS: 0, joined: true });
  }

  get pods(): number {
    return this.podList.length;
  }

  get members(): number {
    return this.podList.filter((p) => p.joined).length;
  }

  get totalLag(): number {
    return this.lag.reduce((sum, lag) => sum + lag, 0);
  }

  /** Rides per second scored in the last step. */
  get scoredPerS(): number {
    return this.lastScoredPerS;
  }

  get capacityPerS(): number {
    return groupCapacityPerS(this.members, this.settings.partitions, this.settings.replicaRatePerS);
  }

  /** How long the ride at the head of the most backed-up partition has waited in Kafka. */
  get headWaitS(): number {
    const worst = Math.max(...this.lag);
    if (worst <= 0) return 0;
    const target = this.arrived[this.arrived.length - 1]! - worst;
    let lo = 0;
    let hi = this.arrived.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (this.arrived[mid]! <= target) lo = mid;
      else hi = mid;
    }
    const span = this.arrived[hi]! - this.arrived[lo]!;
    const arrivedAtS = span > 0 ? lo + (target - this.arrived[lo]!) / span : lo;
    return this.nowS - arrivedAtS;
  }

  /** Sets the pods the Deployment runs: new ones start, removed ones are the not-ready first, then the newest. */
  scaleTo(replicas: number, nowS: number): void {
    while (this.podList.length < replicas)
      this.podList.push({ readyAtS: nowS + this.settings.startupS, joined: false });
    let memberLeft = false;
    while (this.podList.length > replicas) {
      const starting = this.podList.findLastIndex((p) => !p.joined);
      const [removed] = this.podList.splice(starting >= 0 ? starting : this.podList.length - 1, 1);
      memberLeft ||= removed!.joined;
    }
    if (memberLeft) this.rebalance(nowS);
  }

  /** One step of dtS seconds from nowS: members join, rides arrive, members score. Returns the rides scored. */
  step(nowS: number, dtS: number, arrivalsPerS: number): number {
    const joining = this.podList.filter((p) => !p.joined && p.readyAtS <= nowS);
    for (const pod of joining) pod.joined = true;
    if (joining.length > 0) this.rebalance(nowS);

    const { partitions } = this.settings;
    const perPartition = (arrivalsPerS * dtS) / partitions;
    for (let p = 0; p < partitions; p++) this.lag[p]! += perPartition;
    this.arrived.push(this.arrived[this.arrived.length - 1]! + perPartition);
    this.nowS = nowS + dtS;

    const scored = this.score(Math.min(dtS, Math.max(0, nowS + dtS - Math.max(nowS, this.pausedUntilS))));
    this.lastScoredPerS = scored / dtS;
    return scored;
  }

  /** Each member scores its partitions for activeS seconds, splitting its rate by their backlogs. */
  private score(activeS: number): number {
    const { partitions, replicaRatePerS } = this.settings;
    const members = this.members;
    if (activeS === 0 || members === 0) return 0;
    const backlog = new Float64Array(members);
    for (let p = 0; p < partitions; p++) backlog[p % members]! += this.lag[p]!;
    let scored = 0;
    for (let p = 0; p < partitions; p++) {
      const owner = backlog[p % members]!;
      if (owner <= 0) continue;
      const share = Math.min(1, (replicaRatePerS * activeS) / owner);
      scored += this.lag[p]! * share;
      this.lag[p]! -= this.lag[p]! * share;
    }
    return scored;
  }

  private rebalance(nowS: number): void {
    this.pausedUntilS = Math.max(this.pausedUntilS, nowS + this.settings.rebalanceS);
  }
}
