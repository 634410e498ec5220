// Test-only preload (NODE_OPTIONS=--require) for `npm run soak`: appends the process's memory figures as a JSON
// line to CHAOS_HEAP_PROBE_FILE every CHAOS_HEAP_PROBE_MS, so heap growth is visible without touching the
// consumer (its /metrics registry carries no default Node metrics). With --expose-gc it collects first, so
// heapUsed is the live heap (what a leak grows), not wherever the sawtooth of garbage happens to be.
const { appendFileSync } = require('node:fs');

const file = process.env.CHAOS_HEAP_PROBE_FILE;
const everyMs = Number(process.env.CHAOS_HEAP_PROBE_MS ?? '10000');
if (file) {
  const sample = () => {
    globalThis.gc?.();
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ at: Date.now(), rss, heapUsed, heapTotal, external, arrayBuffers })}\n`,
    );
  };
  setInterval(sample, everyMs).unref();
}
