// The one place that names the Kafka release: the local broker's Maven jars and the container image follow it.
export const KAFKA_VERSION = '4.4.0';

/** Official Apache image (KRaft by default); the same release as the Maven jars. */
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;

// Kafka 4.x logs through log4j2 and slf4j 1.7 but its POM brings no slf4j binding (the distribution ships
// log4j-slf4j-impl in libs/); this must match the log4j-core version that kafka_2.13 pulls in.
export const LOG4J_VERSION = '2.25.5';
