import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes } from '@ride/shared';
import { createModelSource, ModelScorer } from '@ride/shared/model';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyModel, MODEL_100 } from '../support/model-versions.js';

let root: string;
let server: Server;
let base: string;
const served = new Map<string, Buffer>();
const requests: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ride-http-model-'));
  for (const file of ['metadata.json', 'model.onnx']) {
    served.set(`/models/1.0.0/${file}`, await readFile(join(MODEL_100, file)));
  }
  const next = await copyModel(root, '1.0.1');
  const archive = join(root, 'ride-duration-1.0.1.tar.gz');
  await create({ gzip: true, file: archive, cwd: dirname(next.dir) }, [basename(next.dir)]);
  served.set('/archives/ride-duration.tar.gz', await readFile(archive));
  // A static file server with ETags, like a bucket behind HTTP.
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const body = served.get(req.url ?? '');
    if (!body) return void res.writeHead(404).end('not found');
    const etag = `"${body.length}-${body[100]}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { etag, 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const source = (url: string) => createModelSource(url, { cacheDir: join(root, 'cache') });

async function versionOf(dir: string): Promise<string> {
  const scorer = await ModelScorer.load(dir);
  await scorer.close();
  return scorer.version;
}

describe('http(s) model locations', () => {
  it('downloads a model folder once and serves it from the cache afterwards', async () => {
    const folder = source(`${base}/models/1.0.0`);
    const first = await folder.resolve();
    expect(await versionOf(first.dir)).toBe('1.0.0');
    requests.length = 0;
    expect((await folder.resolve()).dir).toBe(first.dir);
    expect(requests).toEqual(['GET /models/1.0.0/metadata.json']);
  });

  it('unpacks a .tar.gz archive with a top-level folder, and polls it with If-None-Match', async () => {
    const archive = source(`${base}/archives/ride-duration.tar.gz`);
    const model = await archive.resolve();
    expect(await versionOf(model.dir)).toBe('1.0.1');
    expect((await archive.resolve()).key).toBe(model.key);
  });

  it('reports a missing folder as RIDE_MODEL_NOT_FOUND', async () => {
    await expect(source(`${base}/models/9.9.9/`).resolve()).rejects.toMatchObject({
      code: ErrorCodes.MODEL_NOT_FOUND,
    });
  });
});
