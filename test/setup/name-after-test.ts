import { expect } from 'vitest';
import { nameAfter } from '../../harness/index.js';

// Every uniqueName in a test carries the test's name, so broker logs say which test made a topic or group.
nameAfter(() => expect.getState().currentTestName ?? '');
