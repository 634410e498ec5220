import { deferred } from '../common/deferred.js';

export type JoinWait = 'joined' | 'abandoned' | 'timeout';

/** This member's place in the group as its client reports it: in or out, the partitions of one topic it owns. */
export class GroupMembership {
  private readonly topic: string;
  private inGroup = false;
  private owned: number[] = [];
  private join = deferred();

  constructor(topic: string) {
    this.topic = topic;
  }

  get joined(): boolean {
    return this.inGroup;
  }

  /** The partitions of the topic this member owns since its last join (kept while the client is out after a crash). */
  get partitions(): readonly number[] {
    return this.owned;
  }

  /** A group join: returns the partitions this member lost with it. */
  joinedWith(assignment: Record<string, number[]>): number[] {
    const previous = this.owned;
    this.inGroup = true;
    this.owned = [...(assignment[this.topic] ?? [])].sort((a, b) => a - b);
    this.join.resolve();
    this.join = deferred();
    return previous.filter((p) => !this.owned.includes(p));
  }

  /** The client's run ended (a crash): out of the group until it joins again, its last partitions remembered. */
  left(): void {
    this.inGroup = false;
  }

  /** The client stopped: no group, no partitions. */
  stopped(): void {
    this.inGroup = false;
    this.owned = [];
  }

  /** Waits for the next join, at most `timeoutMs`, or until `abandoned` resolves. */
  async nextJoin(timeoutMs: number, abandoned: Promise<void>): Promise<JoinWait> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<JoinWait>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      return await Promise.race([
        this.join.promise.then((): JoinWait => 'joined'),
        abandoned.then((): JoinWait => 'abandoned'),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
