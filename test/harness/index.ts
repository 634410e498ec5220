export type { BrokerHandle, BrokerKind, BrokerOptions } from './broker-handle.js';
export { HARNESS_MARKER, harnessMarker } from './java-process.js';
export { KAFKA_IMAGE, KAFKA_VERSION } from './kafka-version.js';
export { resolveKafkaJars } from './maven-jars.js';
export { type HarnessMode, type StartBrokerOptions, startBroker } from './start-broker.js';
