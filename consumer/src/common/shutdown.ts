import type { Logger } from '@ride/shared';

/**
 * One graceful shutdown for a service: resources register how to close as they are created, and the first
 * SIGTERM/SIGINT closes them in reverse order within a time bound (a second signal forces exit). Handlers are
 * installed before anything slow starts, so a signal during start-up (model load, group join) is honoured too.
 */
export class Shutdown {
  private readonly closers: Array<{ name: string; close: () => Promise<void> }> = [];
  private readonly log: Logger;
  private readonly timeoutMs: number;
  private readonly exit: (code: number) => void;
  private started: Promise<void> | undefined;

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
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void this.run(signal));
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
   * Closes everything, then exits: with `exitCode`, or 1 if a resource failed to close. The exit is explicit
   * because a client library may keep a timer or socket alive after its close resolved (a reconnect scheduled
   * during a broker outage), which would hold the process until the forced exit and fail a clean stop.
   */
  run(signal: string, exitCode = 0): Promise<void> {
    if (this.started) {
      this.log.warn({ signal }, 'second signal: forcing exit');
      this.exit(130);
      return this.started;
    }
    this.log.info({ signal }, 'shutting down: finishing the batch in flight');
    const force = setTimeout(() => {
      this.log.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out: forcing exit');
      this.exit(1);
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
      this.exit(failed ? 1 : exitCode);
    })();
    return this.started;
  }

  /** Closes one resource; false if it failed (logged). */
  private async closeOne({ name, close }: { name: string; close: () => Promise<void> }): Promise<boolean> {
    try {
      await close();
      return true;
    } catch (err) {
      this.log.error({ err, resource: name }, 'error while closing');
      return false;
    }
  }
}
