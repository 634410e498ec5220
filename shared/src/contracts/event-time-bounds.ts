/**
 * The instants an event's time may take: a pickup, a drop-off. Outside 2000..2100 a time is treated as corrupt (the
 * scorer dead-letters such a ride, a completion with one is refused). Its own module, so a reader of completions does
 * not load onnxruntime with the scorer.
 */
export const MIN_EVENT_TIME_MS = Date.UTC(2000, 0, 1);
export const MAX_EVENT_TIME_MS = Date.UTC(2100, 0, 1);
