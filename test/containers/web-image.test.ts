import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltImage, type ContainerEngine, freePort } from '../../harness/index.js';
import {
  BUILD_TIMEOUT_MS,
  buildImages,
  containerForTest,
  expectNoContainersLeft,
  waitWithLogs,
} from '../support/containers/images.js';

let engine: ContainerEngine;
let web: BuiltImage;

beforeAll(async () => {
  ({
    engine,
    images: { web },
  } = await buildImages(['web']));
}, BUILD_TIMEOUT_MS);
afterAll(() => expectNoContainersLeft(engine));

describe('the web service image, run the way the course deploys it', () => {
  it('`run -p <port>:9696 <image>` answers POST /predict locked down as uid 1000, and stops on SIGTERM with exit 0', async () => {
    const port = await freePort();
    const container = await containerForTest(engine, {
      image: web.tag,
      name: 'web',
      locked: true,
      publish: { [port]: 9696 },
    });
    const url = `http://127.0.0.1:${port}`;
    await waitWithLogs(
      container,
      async () => (await fetch(`${url}/healthz`).catch(() => undefined))?.status === 200,
      60_000,
      'the web service never answered /healthz',
    );
    expect(await container.healthy()).toBe(true);
    // The course's web-service request (one ride's features) and answer (duration and model version).
    const res = await fetch(`${url}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ PULocationID: 130, DOLocationID: 205, trip_distance: 3.66, ride_id: 256 }),
    });
    const body = (await res.json()) as { duration: number; model_version: string; ride_id: number };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ model_version: '1.0.0', ride_id: 256 });
    expect(body.duration).toBeGreaterThan(1);
    expect(body.duration).toBeLessThan(120);
    const status = await container.exec(['cat', '/proc/1/status']);
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect(status).toMatch(/^CapEff:\s+0+$/m);

    await container.signal('SIGTERM');
    expect(await container.exited(), await container.logs()).toBe(0);
    expect(await container.logs()).toContain('stopped cleanly');
  }, 120_000);
});
