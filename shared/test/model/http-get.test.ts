import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../src/errors.js';
import { httpGet } from '../../src/model/http-get.js';

let server: Server;
let base: string;

beforeAll(async () => {
  // Answers the status named in the path: /503 answers 503.
  server = createServer((req, res) => {
    res.writeHead(Number(req.url?.slice(1)));
    res.end('{"error_code":"INVALID_PARAMETER_VALUE"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpGet failures', () => {
  it.each([
    [503, ErrorCodes.MODEL_FETCH_FAILED, true],
    [429, ErrorCodes.MODEL_FETCH_FAILED, true],
    [403, ErrorCodes.MODEL_FETCH_FAILED, false],
    [404, ErrorCodes.MODEL_NOT_FOUND, false],
  ])('an answer %i is %s, retriable: %s', async (status, code, retriable) => {
    await expect(httpGet(`${base}/${status}`)).rejects.toMatchObject({
      code,
      retriable,
      details: { status },
    });
  });

  it('an unreachable server is a retriable fetch failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(httpGet(url)).rejects.toMatchObject({
      code: ErrorCodes.MODEL_FETCH_FAILED,
      retriable: true,
    });
  });
});
