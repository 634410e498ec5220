import { chaosResults } from './chaos-global-setup.js';

/** `npm run test:chaos`: long profile, table printed and written to test/chaos/results.md. */
export default chaosResults('long');
