import type { Guarantee } from './fault-report.js';

/** Processing guarantees every fault runs under (PROCESSING_GUARANTEE of the consumer). */
export const GUARANTEES: readonly Guarantee[] = ['at_least_once', 'exactly_once'];
