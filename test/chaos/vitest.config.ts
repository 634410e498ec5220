import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: the fault-injection suite in its long form (more repetitions, faster streams, both
// guarantees everywhere). A config of its own, so `npm test` keeps running only the short form.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../', import.meta.url)),
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    globalSetup: ['test/setup/kafka-global-setup.ts', 'test/setup/chaos-long-setup.ts'],
    setupFiles: ['test/setup/name-after-test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
