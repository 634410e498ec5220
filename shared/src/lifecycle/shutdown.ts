import type { Logger } from '../logger.js';
import { ExitCodes } from './exit-codes.js';

/**
 * One graceful shutdown for every program: resources register how to close as they are created, and the first
 * SIGTERM/SIGINT closes them in reverse order within a time bound (a second signal forces exit). Handlers are
 * installed before anything slow starts, so a signal during start-up (model load, group join) is honoured too.
 * A job ends the same way when its work is done: `run('done', code)`.
 */
export class Shutdown {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly exit: (code: number) => void;
  private exitCode: number = ExitCodes.OK;
  private started: Promise<void> | undefined;
  /** The resource being closed now: what a forced exit names. */
  private closing: string | undefined;

  /** `exit` is process.exit; a test passes a recorder. */
  constructor(
    logger: Logger,
    timeoutMs: number,
    exit: (code: number) => void = (code) => process.exit(code),
  ) {
    this.log = logger;
    this.timeoutMs = timeoutMs;
    this.exit = exit;
  }

  get stopping(): boolean {
    return this.started !== undefined;
  }

  listen(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => this.signal(signal));
  }

  /** What a SIGTERM/SIGINT does: the first shuts down, the next forces exit. */
  signal(signal: string): void {
    if (this.started) {
      this.log.warn({ signal }, 'second signal: forcing exit');
      this.exit(ExitCodes.INTERRUPTED);
      return;
    }
    void this.run(signal);
  }

  /** Registers a resource; if shutdown already began, it is closed right away. */
  add(name: string, close: () => Promise<void>): void {
    if (this.stopping) {
      void this.closeOne({ name, close });
      return;
    }
    this.closers.push({ name, close });
  }

  /**
   * Closes everything, then exits: with `exitCode`, or 1 if a resource failed to close. Called again while closing
   * (a job that finished because a signal stopped it, a fatal error during shutdown), it only raises the exit code.
   * The exit is explicit because a client library may keep a timer or socket alive after its close resolved (a
   * reconnect scheduled during a broker outage), which would hold the process until the forced exit.
   */
  run(reason: string, exitCode: number = ExitCodes.OK): Promise<void> {
    if (exitCode !== ExitCodes.OK) this.exitCode = exitCode;
    if (this.started) return this.started;
    this.log.info({ reason }, 'shutting down: finishing the work in flight');
    const force = setTimeout(() => {
      this.log.error(
        { timeoutMs: this.timeoutMs, closing: this.closing },
        'shutdown timed out: forcing exit',
      );
      this.exit(ExitCodes.FAILED);
    }, this.timeoutMs);
    force.unref();
    this.started = (async () => {
      let failed = false;
      for (const closer of this.closers.reverse()) failed = !(await this.closeOne(closer)) || failed;
      // What would still have held the process: worth a look when it is more than the usual timers.
      const leftover = process.getActiveResourcesInfo();
      if (failed) this.log.error({ leftover }, 'stopped, but a resource failed to close');
      else this.log.info({ leftover }, 'stopped cleanly');
      this.log.flush();
      clearTimeout(force);
      this.exit(failed ? ExitCodes.FAILED : this.exitCode);
    })();
    return this.started;
  }

  /** Closes one resource; false if it failed (logged). */
  private async closeOne({ name, close }: { name: string; close: () => Promise<void> }): Promise<boolean> {
    this.closing = name;
    try {
      await close();
      return true;
    } catch (err) {
      this.log.error({ err, resource: name }, 'error while closing');
      return false;
    }
  }
}
