export { loadProducerConfig, type ProducerConfig } from './config.js';
export {
  completionRecord,
  type EventEncoding,
  eventRecords,
  rideRecord,
  toCourseJson,
} from './event-records.js';
export {
  type BatchSender,
  type Pace,
  type ReplayEvent,
  type ReplayOptions,
  type ReplayStats,
  replay,
  replayEvents,
} from './replay.js';
export { RideProducer, type RideProducerOptions, type SendResult } from './ride-producer.js';
export { seededRandom, syntheticRides } from './synthetic-rides.js';
export { tripTimeline, tripToCompletion } from './trip-timeline.js';
export { tripToRide } from './trip-to-ride.js';
