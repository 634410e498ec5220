export type { BrokerHandle, BrokerKind, BrokerOptions } from './broker/broker-handle.js';
export { HARNESS_MARKER, harnessMarker } from './broker/java-process.js';
export { KAFKA_IMAGE, KAFKA_VERSION } from './broker/kafka-version.js';
export { resolveKafkaJars } from './broker/maven-jars.js';
export { type HarnessMode, type StartBrokerOptions, startBroker } from './broker/start-broker.js';
export { type WaitOptions, waitFor } from './wait-for.js';
