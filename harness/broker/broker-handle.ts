export const BrokerKinds = ['external', 'container', 'local'] as const;
export type BrokerKind = (typeof BrokerKinds)[number];

export interface BrokerHandle {
  /** Bootstrap addresses, `host:port`. */
  readonly brokers: string[];
  readonly kind: BrokerKind;
  /** Stops the broker and removes its data; a no-op for an external cluster. */
  stop(): Promise<void>;
  /**
   * Stops and starts again on the same ports and data (fault tests); absent for an external cluster. `downMs` keeps
   * a local broker down that long in between (a container restarts at once).
   */
  restart?(options?: { downMs?: number }): Promise<void>;
}

export interface BrokerOptions {
  /** Default partition count for topics created without one. */
  partitions?: number;
  /** Client port for a local broker; a free one when omitted. */
  port?: number;
  autoCreateTopics?: boolean;
  readyTimeoutMs?: number;
}
