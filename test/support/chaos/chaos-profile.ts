import { inject } from 'vitest';
import type { Guarantee } from './fault-report.js';

/** How hard the chaos suite pushes: `short` inside `npm test`, `long` under `npm run test:chaos`. */
export interface ChaosProfile {
  name: 'short' | 'long';
  /** SIGKILLs of one consumer while another keeps running. */
  kills: number;
  /** Members added and removed during one stream. */
  rebalances: number;
  /** Broker restarts during one stream. */
  brokerRestarts: number;
  /** Stalls (SIGSTOP longer than the session timeout) and slow batches. */
  stalls: number;
  /** Producer rate, events per second. */
  rate: number;
}

const SHORT: ChaosProfile = {
  name: 'short',
  kills: 1,
  rebalances: 1,
  brokerRestarts: 1,
  stalls: 1,
  rate: 600,
};
const LONG: ChaosProfile = {
  name: 'long',
  kills: 3,
  rebalances: 2,
  brokerRestarts: 2,
  stalls: 2,
  rate: 1000,
};

export function chaosProfile(): ChaosProfile {
  return inject('chaosProfile') === 'long' ? LONG : SHORT;
}

/**
 * The guarantees a scenario runs under: `core` ones under both in every profile, `extra` ones under
 * exactly-once only in the long profile (to keep `npm test` short, or while a known exactly-once bug stands).
 */
export function guaranteesFor(kind: 'core' | 'extra'): Guarantee[] {
  return kind === 'core' || chaosProfile().name === 'long'
    ? ['at_least_once', 'exactly_once']
    : ['at_least_once'];
}
