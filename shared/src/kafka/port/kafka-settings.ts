import type { KafkaClientName } from './kafka-port.js';

export interface KafkaSasl {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** How to reach the cluster, whichever client does it. */
export interface KafkaSettings {
  brokers: readonly string[];
  clientId: string;
  /** The client behind the port (KAFKA_CLIENT); DEFAULT_KAFKA_CLIENT where unset. */
  client?: KafkaClientName;
  ssl?: boolean | { ca?: string; rejectUnauthorized?: boolean };
  sasl?: KafkaSasl;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Retries of a failed request before it is reported failed (default 10: rides out a broker restart). */
  retries?: number;
}
