import { type Child, type NodeSpawnOptions, spawnNode } from '../child-process.js';

/** The producer CLI's entry point, compiled. */
export const PRODUCER_MAIN = 'producer/dist/main.js';

export interface ProducerOptions {
  brokers: readonly string[];
  /** Its command line (--synthetic, --rate, a trip file, …). */
  args: readonly string[];
  /** RIDES_TOPIC; the producer's default when omitted. */
  ridesTopic?: string;
  /** Settings over the broker and topic ones (LOG_LEVEL, WIRE_FORMAT, …). */
  env?: Record<string, string>;
  spawn?: NodeSpawnOptions;
}

/** Starts the producer CLI as a child process; it exits once its rides are sent (or on SIGTERM). */
export function startProducer(options: ProducerOptions): Child {
  const topic = options.ridesTopic === undefined ? {} : { RIDES_TOPIC: options.ridesTopic };
  const env = { KAFKA_BROKERS: options.brokers.join(','), ...topic, ...options.env };
  return spawnNode(PRODUCER_MAIN, options.args, env, options.spawn);
}
