import { createLogger, routeProcessWarnings } from '@ride/shared';
import type { TestProject } from 'vitest/node';
import { startBroker } from '../../harness/index.js';

/** Starts one broker for the integration project; tests reach it via inject('kafkaBrokers'). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The suite's own Kafka clients (kafkajs on Node 24) warn like the programs do: as log lines, not raw stderr.
  routeProcessWarnings(createLogger({ level: 'warn', name: 'test' }));
  const started = performance.now();
  const broker = await startBroker({ partitions: 3 });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.warn(`[kafka-global-setup] ${broker.kind} broker at ${broker.brokers.join(',')} in ${seconds} s`);
  project.provide('kafkaBrokers', broker.brokers);
  project.provide('kafkaKind', broker.kind);
  // Child processes that tests spawn (the producer/consumer binaries) find the broker the usual way.
  const previous = process.env.KAFKA_BROKERS;
  process.env.KAFKA_BROKERS = broker.brokers.join(',');
  return async () => {
    if (previous === undefined) delete process.env.KAFKA_BROKERS;
    else process.env.KAFKA_BROKERS = previous;
    await broker.stop();
  };
}
