import type { OutRecord, TopicRecords } from './port/kafka-port.js';

interface Group {
  byTopic: Map<string, OutRecord[]>;
  resolve: () => void;
  reject: (err: unknown) => void;
  settled: Promise<void>;
}

/**
 * Sends one request at a time, merging every send asked for while one is in flight into the next request. An
 * idempotent kafkajs producer has one request in flight per broker (maxInFlightRequests: 1), so concurrent sends
 * of several partitions' batches would queue one round trip each; merged, they share one. Each caller's promise
 * settles with the request that carried its records, so "resolved" still means "acknowledged". Records keep their
 * order: groups go out in arrival order and a group keeps each caller's records in the order given.
 */
export class SendCoalescer {
  private readonly send: (topicMessages: TopicRecords[]) => Promise<void>;
  private next: Group | undefined;
  private inFlight = false;

  constructor(send: (topicMessages: TopicRecords[]) => Promise<void>) {
    this.send = send;
  }

  /** Resolves once the request carrying `topicMessages` was acknowledged; rejects with that request's error. */
  enqueue(topicMessages: readonly TopicRecords[]): Promise<void> {
    const group = this.next ?? this.open();
    for (const { topic, messages } of topicMessages) {
      const list = group.byTopic.get(topic);
      if (list === undefined) group.byTopic.set(topic, [...messages]);
      else list.push(...messages);
    }
    return group.settled;
  }

  private open(): Group {
    let resolve = () => {};
    let reject: (err: unknown) => void = () => {};
    const settled = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const group: Group = { byTopic: new Map(), resolve, reject, settled };
    this.next = group;
    // Sends asked for in the same turn of the event loop join this group before it goes.
    if (!this.inFlight) queueMicrotask(() => this.flush());
    return group;
  }

  private flush(): void {
    const group = this.next;
    if (group === undefined || this.inFlight) return;
    this.next = undefined;
    this.inFlight = true;
    const topicMessages = [...group.byTopic].map(([topic, messages]) => ({ topic, messages }));
    this.send(topicMessages)
      .then(group.resolve, group.reject)
      .finally(() => {
        this.inFlight = false;
        this.flush();
      });
  }
}
