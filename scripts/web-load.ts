/**
 * Load test of the web service on loopback with autocannon (a real HTTP load generator, separate process).
 * Usage: npx tsc -b && npx tsx scripts/web-load.ts [seconds=10] [concurrency list=1,10,50]
 * Prints requests/s and latency percentiles per concurrency, for a single ride and a 100-ride batch request.
 */
import { join } from 'node:path';
import { REPO_ROOT, runToExit, startWebService } from '../harness/index.js';

const seconds = process.argv[2] ?? '10';
const concurrencies = (process.argv[3] ?? '1,10,50').split(',');
const ride = {
  PULocationID: 10,
  DOLocationID: 50,
  trip_distance: 40,
  pickup_datetime: '2021-02-01T08:15:00',
};
const bodies = { single: ride, 'batch of 100': Array.from({ length: 100 }, () => ride) };

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

const web = await startWebService({ env: { LOG_LEVEL: 'warn' }, output: { echoStderr: true } });
const { port } = web;
try {
  await web.ready({ timeoutMs: 20_000, intervalMs: 200 });
  const bin = join(REPO_ROOT, 'node_modules/.bin/autocannon');
  for (const [label, body] of Object.entries(bodies)) {
    for (const c of concurrencies) {
      const args = ['-j', '-c', c, '-d', seconds, '-m', 'POST', '-H', 'content-type=application/json'];
      args.push('-b', JSON.stringify(body), `http://127.0.0.1:${port}/predict`);
      const run = await runToExit(bin, args, { cwd: REPO_ROOT });
      const r = JSON.parse(run.output.slice(run.output.indexOf('{'))) as AutocannonResult;
      process.stdout.write(
        `${label.padEnd(12)} c=${c.padEnd(3)} ${Math.round(r.requests.average)} req/s  ` +
          `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  max ${r.latency.max} ms  ` +
          `non-2xx ${r.non2xx}  errors ${r.errors}\n`,
      );
    }
  }
} finally {
  web.run.child.kill('SIGTERM');
}
