export * from './errors.js';
export * from './kafka/kafka-client.js';
export * from './logger.js';
