import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:k8s`: the chart against a Kubernetes control plane and KEDA built from the Go module proxy (the
// first run builds them: see docs/testing.md), the scorer pod under podman. A profile of its own, outside `npm test`.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../../../', import.meta.url)),
    name: 'k8s',
    include: ['test/k8s/control-plane/**/*.test.ts'],
    globalSetup: ['test/setup/kafka-global-setup.ts'],
    setupFiles: ['test/setup/name-after-test.ts'],
    testTimeout: 900_000,
    hookTimeout: 40 * 60_000,
    fileParallelism: false,
  },
});
