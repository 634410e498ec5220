import { ErrorCodes } from '@ride/shared';
import { describe, expect, it } from 'vitest';
import { type PredictJson, postPredict, startWeb } from '../support/web-process.js';

describe('web service binary', () => {
  it("answers the course's request and a batch, refuses bad input with codes, stops cleanly", async () => {
    const web = await startWeb();
    const single = await postPredict(web.url, { PULocationID: 10, DOLocationID: 50, trip_distance: 40 });
    expect(single.status).toBe(200);
    expect(single.json).toEqual({ duration: expect.any(Number), model_version: '1.0.0' });
    expect(single.json.duration).toBeGreaterThanOrEqual(1);
    expect(single.json.duration).toBeLessThanOrEqual(60);

    const rides = [
      { PULocationID: 74, DOLocationID: 75, trip_distance: 2, pickup_datetime: '2021-02-01T08:15:00' },
      { PULocationID: 10, DOLocationID: 50, trip_distance: 40, pickup_datetime: '2021-02-01T08:15:00' },
    ];
    const batch = await postPredict<PredictJson[]>(web.url, rides);
    expect(batch.status).toBe(200);
    expect(batch.json).toHaveLength(2);
    const [one] = (await postPredict<PredictJson[]>(web.url, [rides[1]])).json;
    expect(batch.json[1]).toEqual(one);

    const bad = await postPredict(web.url, { PULocationID: 10, DOLocationID: 5000, trip_distance: 4 });
    expect(bad).toEqual({
      status: 400,
      json: {
        error: { code: ErrorCodes.UNKNOWN_ZONE, message: expect.stringContaining('DOLocationID 5000') },
      },
    });
    const malformed = await postPredict(web.url, { PULocationID: 10 });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe(ErrorCodes.REQUEST_INVALID);

    expect(await web.stop()).toBe(0);
    expect(web.output()).toContain('stopped cleanly');
  });

  it('exits 3 naming the problem when the model location is wrong', async () => {
    const { REPO_ROOT, runToExit, WEB_SERVICE_MAIN } = await import('../../harness/index.js');
    const child = await runToExit(
      'env',
      ['MODEL_PATH=/nonexistent/model', 'PORT=0', process.execPath, WEB_SERVICE_MAIN],
      { cwd: REPO_ROOT },
    );
    expect(child.code).toBe(3);
    expect(child.output).toContain(ErrorCodes.MODEL_NOT_FOUND);
  });
});
