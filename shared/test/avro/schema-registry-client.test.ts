import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaRegistryClient } from '../../src/avro/schema-registry-client.js';
import { ErrorCodes } from '../../src/errors.js';

let server: Server;
let base: string;

beforeAll(async () => {
  // Answers the status named in the path: /schemas/ids/503 answers 503.
  server = createServer((req, res) => {
    res.writeHead(Number(req.url?.split('/').pop()));
    res.end('{"error_code":1}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('SchemaRegistryClient failures', () => {
  it.each([
    [503, true],
    [429, true],
    [400, false],
  ])('an answer %i is retriable: %s', async (status, retriable) => {
    await expect(new SchemaRegistryClient({ url: base }).schemaById(status)).rejects.toMatchObject({
      code: ErrorCodes.SCHEMA_REGISTRY_FAILED,
      retriable,
    });
  });

  it('an unreachable registry is retriable, with nothing deeper for kafkajs to judge instead', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const err = await new SchemaRegistryClient({ url }).schemaById(1).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.SCHEMA_REGISTRY_FAILED, retriable: true });
    // kafkajs reads `retriable` on the deepest cause: the fetch error must not be chained under it.
    expect((err as Error).cause).toBeUndefined();
  });
});
