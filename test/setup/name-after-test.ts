import { createLogger, routeProcessWarnings } from '@ride/shared';
import { expect } from 'vitest';
import { nameAfter } from '../../harness/index.js';

// Every uniqueName in a test carries the test's name, so broker logs say which test made a topic or group.
nameAfter(() => expect.getState().currentTestName ?? '');

// The test files' own Kafka clients (kafkajs on Node 24) warn like the programs do: as log lines, not raw stderr.
routeProcessWarnings(createLogger({ level: 'warn', name: 'test' }));
