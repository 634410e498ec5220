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
  private started: Promise<void> | undefined;

  constructor(logger: Logger, timeoutMs: number) {
    this.log = logger;
    this.timeoutMs = timeoutMs;
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

  run(signal: string): Promise<void> {
    if (this.started) {
      this.log.warn({ signal }, 'second signal: forcing exit');
      process.exit(130);
    }
    this.log.info({ signal }, 'shutting down: finishing the batch in flight');
    const force = setTimeout(() => {
      this.log.error({ timeoutMs: this.timeoutMs }, 'shutdown timed out: forcing exit');
      process.exit(1);
    }, this.timeoutMs);
    force.unref();
    this.started = (async () => {
      for (const closer of this.closers.reverse()) await this.closeOne(closer);
      this.log.info('stopped cleanly');
      this.log.flush();
      process.exitCode = 0;
    })();
    return this.started;
  }

  private async closeOne({ name, close }: { name: string; close: () => Promise<void> }): Promise<void> {
    try {
      await close();
    } catch (err) {
      this.log.error({ err, resource: name }, 'error while closing');
      process.exitCode = 1;
    }
  }
}
