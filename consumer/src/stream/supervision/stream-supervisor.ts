import { type Logger, StallError } from '@ride/shared';
import { type PartitionOffsets, ProgressWatchdog, type Stall } from './progress-watchdog.js';
import { RecoveryEpoch } from './recovery-epoch.js';
import { RerunBackoff } from './rerun-backoff.js';

/** Stall recoveries in a row with no batch finished in between before the process is told to exit. */
const MAX_STALL_RECOVERIES = 3;

/** What the supervisor does to the client and the outputs; the stream loop owns both. */
export interface SupervisedRun {
  /** Runs the client's fetch loop again from the committed offsets. */
  run(): Promise<void>;
  /** Stops the client's run. */
  stop(): Promise<void>;
  /** Commits acknowledged progress now, while still a group member. */
  flush(): Promise<void>;
  /** Drops the producers: one may hold a send that never settles. */
  resetOutputs(): void;
}

export interface StreamSupervisorOptions {
  topic: string;
  /** See ConsumerConfig.stallTimeoutMs and ProgressWatchdog. */
  stallTimeoutMs: number;
  /** How long a client may take to stop during a recovery. */
  stopTimeoutMs: number;
  /** The partitions of `topic` this member owns (its last assignment, also while its client is out of the group). */
  assigned(): readonly number[];
  readOffsets(partitions: readonly number[]): Promise<PartitionOffsets[]>;
  run: SupervisedRun;
  /** Each watchdog check's verdict per owned partition (the `ride_partition_stalled` gauge). */
  onCheck(partition: number, stalled: boolean): void;
  onRecovery(outcome: 'recovered' | 'failed'): void;
  /** Neither re-runs nor recoveries help: the process should exit and its supervisor decide. */
  onFatal(err: Error): void;
  logger: Logger;
}

/**
 * Keeps the stream moving: notices a partition that stopped (ProgressWatchdog) and runs the client again from the
 * committed offsets, runs it again with a backoff when it gave up (RerunBackoff), and owns the recovery epoch that
 * tells a batch in flight it was given up. When neither helps, `onFatal`.
 */
export class StreamSupervisor {
  readonly epoch = new RecoveryEpoch();
  private readonly options: StreamSupervisorOptions;
  private readonly log: Logger;
  private readonly watchdog: ProgressWatchdog;
  private readonly reruns = new RerunBackoff();
  private rerunTimer: NodeJS.Timeout | undefined;
  private recovering = false;
  private stalledPartitions = 0;
  /** Stall recoveries since a batch last finished (see recoverStall). */
  private stallRecoveries = 0;
  private stopping = false;

  constructor(options: StreamSupervisorOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'stream-supervisor' });
    this.watchdog = new ProgressWatchdog({
      topic: options.topic,
      stallTimeoutMs: options.stallTimeoutMs,
      // The last assignment, also while the client is out of the group after a crash: a member that crashes and
      // rejoins in a loop, or never comes back, without finishing a batch is stalled too. A recovery starts over.
      assigned: () => (this.recovering ? [] : options.assigned()),
      readOffsets: options.readOffsets,
      onCheck: (view) => {
        this.stalledPartitions = 0;
        for (const [partition, stalled] of view) {
          if (stalled) this.stalledPartitions += 1;
          options.onCheck(partition, stalled);
        }
      },
      onStall: (stalls) => void this.recoverStall(stalls),
      logger: options.logger,
    });
  }

  /** Not recovering, and no owned partition stalled at the last check. */
  get healthy(): boolean {
    return !this.recovering && this.stalledPartitions === 0;
  }

  start(): void {
    this.watchdog.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.rerunTimer);
    await this.watchdog.stop();
  }

  /** A group join: the client is back, and the newly assigned partitions get a full stall timeout. */
  joined(partitions: readonly number[]): void {
    this.reruns.reset();
    this.watchdog.joined(partitions);
  }

  /** A batch of `partition` finished: its stall clock starts again. */
  progressed(partition: number): void {
    this.stallRecoveries = 0;
    this.watchdog.progressed(partition);
  }

  /**
   * The client's run ended. Its batches in flight are given up: a request that never settles must not hold the
   * client's restart, which waits for the run's batches to return. A client that will not restart itself is run
   * again after a backoff.
   */
  crashed(err: Error, restart: boolean): void {
    this.epoch.abandon();
    if (!restart) this.clientGaveUp(err);
  }

  /**
   * A client restarts after errors it deems retriable but gives up on others, among them "group coordinator not
   * found" when a broker restart outlasts its retries. Most of those pass once the broker is back, so the client
   * runs again after a backoff (1, 2, 4, 8, 16 s) without a group join in between; then `onFatal`.
   */
  private clientGaveUp(err: Error): void {
    if (this.stopping) return;
    const delayMs = this.reruns.next();
    if (delayMs === undefined) {
      this.options.onFatal(err);
      return;
    }
    this.log.warn(
      { err, attempt: this.reruns.attempts, delayMs },
      'the client gave up on the consumer: running it again',
    );
    this.rerunTimer = setTimeout(() => {
      if (!this.stopping) this.options.run.run().catch((e: Error) => this.clientGaveUp(e));
    }, delayMs);
  }

  /**
   * A partition stopped moving while the group is behind on it (see ProgressWatchdog): whatever holds it inside
   * the client (a request that never settles, a partition left out of every fetch), running the client again from
   * the committed offsets clears it. Acknowledged progress is committed first; the batches in flight are abandoned
   * (their late results ignored, their records redelivered from the committed offset) and the producers replaced.
   * When stalls come back MAX_STALL_RECOVERIES times with no batch finished in between, or the client cannot be
   * stopped, `onFatal`: the supervisor restarts the process.
   */
  private async recoverStall(stalls: Stall[]): Promise<void> {
    if (this.recovering || this.stopping) return;
    this.recovering = true;
    const { run, stallTimeoutMs, stopTimeoutMs } = this.options;
    this.stallRecoveries += 1;
    this.log.warn(
      { stalls, stallTimeoutMs, attempt: this.stallRecoveries },
      'partition stalled: no batch finished while the group is behind; running the client again from committed offsets',
    );
    try {
      if (this.stallRecoveries > MAX_STALL_RECOVERIES) {
        throw new StallError(`partitions stalled again after ${MAX_STALL_RECOVERIES} recoveries`, { stalls });
      }
      await run.flush();
      const stopped = run.stop();
      this.epoch.abandon();
      await withTimeout(stopped, stopTimeoutMs, 'the client did not stop after a stall');
      run.resetOutputs();
      this.watchdog.reset();
      if (this.stopping) return;
      await run.run();
      this.options.onRecovery('recovered');
      this.log.info({ partitions: stalls.map((s) => s.partition) }, 'client running again after a stall');
    } catch (err) {
      this.options.onRecovery('failed');
      this.log.error({ err }, 'stall recovery failed');
      this.options.onFatal(err as Error);
    } finally {
      this.recovering = false;
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StallError(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
