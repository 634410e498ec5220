export { loadProducerConfig, type ProducerConfig } from './config.js';
export { type BatchSender, type Pace, type ReplayOptions, type ReplayStats, replay } from './replay.js';
export { RideProducer, type RideProducerOptions, type SendResult, toCourseJson } from './ride-producer.js';
export { seededRandom, syntheticRides } from './synthetic-rides.js';
export { tripToRide } from './trip-to-ride.js';
