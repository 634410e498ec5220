// A classic group member's own view of its session (session.timeout.ms, KIP-62): the coordinator drops a member it
// has not heard from for that long, so a member whose coordinator last answered it longer ago than that must take
// itself as fenced until the coordinator answers again. Without it a member frozen past its session (SIGSTOP, a long
// pause, a suspended VM) wakes and hands over what it had fetched, and fetches on for partitions already given to
// another member, until its client's next heartbeat has failed and the rejoin that follows has ended (librdkafka
// checks the same on its side: its "session timed out" local expiry).

/** The session timeout where the settings leave it unset: kafkajs's default. */
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

/** When the coordinator last answered this member, and whether that is longer ago than the session timeout. */
export class SessionLease {
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private answeredAt: number;

  constructor(timeoutMs: number, now: () => number = Date.now) {
    this.timeoutMs = timeoutMs;
    this.now = now;
    this.answeredAt = now();
  }

  /** The coordinator answered (a heartbeat, a join). True when the lease had lapsed before this answer. */
  renew(): boolean {
    const lapsed = this.lapsed();
    this.answeredAt = this.now();
    return lapsed;
  }

  lapsed(): boolean {
    return this.silentMs() > this.timeoutMs;
  }

  /** How long the coordinator has not answered. */
  silentMs(): number {
    return this.now() - this.answeredAt;
  }
}
