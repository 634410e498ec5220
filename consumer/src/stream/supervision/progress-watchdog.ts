import type { Logger } from '@ride/shared';

/** Where one owned partition stands: the group's committed offset and the log end (-1 committed: none yet). */
export interface PartitionOffsets {
  partition: number;
  committed: bigint;
  end: bigint;
}

/** A partition the group is behind on while no batch of it finished for at least the stall timeout. */
export interface Stall {
  topic: string;
  partition: number;
  committed: string;
  end: string;
  stalledMs: number;
}

export interface ProgressWatchdogOptions {
  topic: string;
  stallTimeoutMs: number;
  /** How often offsets are read; defaults to a quarter of the stall timeout, at most 5 s. */
  checkIntervalMs?: number;
  /** The partitions of `topic` this member owns now. */
  assigned(): readonly number[];
  /** Committed and end offsets of `partitions` (two admin requests, whatever the client). */
  readOffsets(partitions: readonly number[]): Promise<PartitionOffsets[]>;
  /** Called once per detection with every partition stalled at that check. */
  onStall(stalls: Stall[]): void;
  /** Each check's view, for the `ride_partition_stalled` gauge: every owned partition, stalled or not. */
  onCheck?(stalled: ReadonlyMap<number, boolean>): void;
  now?: () => number;
  logger: Logger;
}

/**
 * Notices a partition that stopped moving while the group is behind on it, whatever the cause inside the client
 * (issue #11: after a broker restart one partition went unanswered for minutes while /healthz said ok). The clock
 * of a partition starts again at each finished batch of it, at each check that finds it caught up, and at each
 * reset (recovery, broker unreachable, process frozen): an idle partition never counts. A group join starts the
 * clocks of the partitions it newly assigns and keeps those of the partitions the member already owned: a member
 * that rejoins in a loop (its session expiring while it is stuck) does not hide a stall behind its joins.
 */
export class ProgressWatchdog {
  private readonly options: ProgressWatchdogOptions;
  private readonly now: () => number;
  private readonly log: Logger;
  /** Per owned partition: when the clock last started (progress, assignment or first seen behind). */
  private readonly since = new Map<number, number>();
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private lastCheckAt: number | undefined;
  /** When the clocks were last started again; a partition first seen after that counts from it. */
  private resetAt: number | undefined;

  constructor(options: ProgressWatchdogOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.log = options.logger.child({ component: 'progress-watchdog' });
    this.intervalMs = options.checkIntervalMs ?? Math.min(5000, options.stallTimeoutMs / 4);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.checking ??= this.check().finally(() => {
        this.checking = undefined;
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  /** A batch of `partition` finished (its outputs acknowledged): its clock starts again. */
  progressed(partition: number): void {
    this.since.set(partition, this.now());
  }

  /**
   * A group join assigned `partitions`: the newly assigned ones get a full timeout; the ones this member kept go on
   * counting, since a join hands a kept partition nothing new to work with.
   */
  joined(partitions: readonly number[]): void {
    const now = this.now();
    for (const p of [...this.since.keys()]) if (!partitions.includes(p)) this.since.delete(p);
    for (const p of partitions) if (!this.since.has(p)) this.since.set(p, now);
  }

  /** Every clock starts again: after a recovery the client gets a full timeout. */
  reset(): void {
    this.since.clear();
    this.resetAt = this.now();
  }

  /** One look at the owned partitions; exported for tests, run by the timer otherwise. */
  async check(): Promise<void> {
    const owned = [...this.options.assigned()];
    for (const p of [...this.since.keys()]) if (!owned.includes(p)) this.since.delete(p);
    // A process that was frozen (SIGSTOP, a long GC, a suspended VM) has not watched: its clocks say nothing.
    const previous = this.lastCheckAt;
    this.lastCheckAt = this.now();
    if (previous !== undefined && this.lastCheckAt - previous > 3 * this.intervalMs) this.reset();
    if (owned.length === 0) this.resetAt = undefined;
    if (owned.length === 0) return;
    let offsets: PartitionOffsets[];
    try {
      offsets = await this.options.readOffsets(owned);
    } catch (err) {
      // The broker is away, which the client is riding out: no verdict, and a full timeout once it is back.
      this.log.debug({ err }, 'could not read offsets; no stall verdict this time');
      this.reset();
      return;
    }
    const now = this.now();
    const stalls: Stall[] = [];
    const view = new Map<number, boolean>();
    for (const { partition, committed, end } of offsets) {
      if (!owned.includes(partition)) continue;
      // Nothing committed yet counts from the log start: any record at all is work to do.
      if (end <= (committed < 0n ? 0n : committed)) {
        // Caught up: idle is not stalled; the clock starts again, so work arriving later gets a full timeout.
        this.since.set(partition, now);
        view.set(partition, false);
        continue;
      }
      if (!this.since.has(partition)) this.since.set(partition, this.resetAt ?? now);
      const stalledMs = now - this.since.get(partition)!;
      const stalled = stalledMs >= this.options.stallTimeoutMs;
      view.set(partition, stalled);
      if (stalled) {
        stalls.push({
          topic: this.options.topic,
          partition,
          committed: String(committed),
          end: String(end),
          stalledMs,
        });
      }
    }
    this.options.onCheck?.(view);
    if (stalls.length > 0) this.options.onStall(stalls);
  }
}
