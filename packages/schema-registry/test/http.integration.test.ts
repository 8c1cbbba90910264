/** The HTTP layer alone (no Kafka): bugs are 500 without details, bodies are capped while streaming. */
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../src/http/server';
import { route, Router } from '../src/http/router';
import type { RegistryLogger } from '../src/logger';

const logged: string[] = [];
const noop = () => undefined;
const logger: RegistryLogger = { debug: noop, info: noop, warn: noop, error: (msg) => void logged.push(msg) };
let server: Server;
let port: number;

beforeAll(async () => {
  const router = new Router([
    route('GET', '/bug', () => {
      throw new TypeError('undefined is not a function');
    }),
    route('POST', '/echo', ({ body }) => ({ json: body })),
  ]);
  server = createHttpServer({ router, logger, maxBodyBytes: 1000 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(method: string, path: string, chunks: string[] = []): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // No Content-Length: the body is chunked, so the cap is enforced while reading.
    const req = request({ host: '127.0.0.1', port, method, path, headers: { 'Content-Type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

it('answers a bug with 500 / error_code 500 and logs it, without leaking the message', async () => {
  const res = await send('GET', '/bug');
  expect(res.status).toBe(500);
  expect(JSON.parse(res.body)).toEqual({ error_code: 500, message: 'Internal error: see the registry log' });
  expect(logged).toContain('request failed');
});

it('stops a chunked body at the cap with 413', async () => {
  expect(JSON.parse((await send('POST', '/echo', ['{"a":', '1}'])).body)).toEqual({ a: 1 });
  const res = await send('POST', '/echo', ['{"a":"', 'x'.repeat(600), 'x'.repeat(600), '"}']);
  expect(res.status).toBe(413);
  expect(JSON.parse(res.body)).toMatchObject({ error_code: 413, limit: 1000 });
});
