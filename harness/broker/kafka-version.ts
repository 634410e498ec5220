// The one place that names the Kafka release: the local broker's Maven jars and the container image follow it.
// 4.2.2 is the newest release that writes a committed transaction's marker to a partition that had no leader at
// commit time; 4.3.0 to 4.4.0 skip it and leave a hanging transaction (KAFKA-20734, apache/kafka#22680).
// test/cluster/transaction-markers.test.ts fails on a release that skips it: run it before moving this.
export const KAFKA_VERSION = '4.2.2';

/** Official Apache image (KRaft by default); the same release as the Maven jars. */
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;

// Kafka 4.x logs through log4j2 and slf4j 1.7 but its POM brings no slf4j binding (the distribution ships
// log4j-slf4j-impl in libs/); this must match the log4j-core version that kafka_2.13 pulls in.
export const LOG4J_VERSION = '2.25.5';
