import { defineConfig } from 'vitest/config';

// Unit tests run without a broker; integration suites share one broker started by the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,producer,consumer,harness}/test/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          // The control-plane profile is `npm run test:k8s`.
          exclude: ['**/node_modules/**', 'test/k8s/control-plane/**'],
          // The chaos setup only collects the fault table the short chaos suite prints at the end.
          globalSetup: ['test/setup/kafka-global-setup.ts', 'test/setup/chaos-global-setup.ts'],
          setupFiles: ['test/setup/name-after-test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
