/**
 * The HTTP side (node:http): routing, JSON bodies with a size cap, and every failure answered as
 * Confluent does, `{"error_code":N,"message":"..."}`. Only Kafka being unavailable is a 5xx
 * (50001), besides bugs (500): the Confluent client retries GETs on any status >= 500.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RegistryError, registryError } from '../errors';
import type { RegistryLogger } from '../logger';
import type { Reply, Router } from './router';

export const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPTED_TYPES = new Set(['application/vnd.schemaregistry.v1+json', 'application/vnd.schemaregistry+json', 'application/json']);

export interface HttpOptions {
  router: Router;
  logger: RegistryLogger;
  maxBodyBytes: number;
}

/** Creates (does not start) the registry's HTTP server. */
export function createHttpServer(options: HttpOptions): Server {
  return createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      options.logger.error('unexpected failure writing a response', { error: String(err) });
      res.destroy();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, { router, logger, maxBodyBytes }: HttpOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://registry');
  const method = req.method ?? 'GET';
  try {
    const match = router.match(method, url.pathname);
    if (match.kind === 'not-found') throw registryError('ROUTE_NOT_FOUND', `HTTP 404 Not Found: no endpoint ${url.pathname}`);
    if (match.kind === 'method-not-allowed') {
      res.setHeader('Allow', match.allowed.join(', '));
      throw registryError('METHOD_NOT_ALLOWED', `HTTP 405 Method Not Allowed: ${url.pathname} supports ${match.allowed.join(', ')}`);
    }
    const body = method === 'POST' || method === 'PUT' ? await readJsonBody(req, maxBodyBytes) : undefined;
    const reply = await match.route.handle({ params: match.params, query: url.searchParams, body });
    send(res, 200, replyText(reply));
  } catch (err) {
    const error = err instanceof RegistryError ? err : registryError('INTERNAL_ERROR', 'Internal error: see the registry log', { cause: err });
    if (error.kind === 'INTERNAL_ERROR') logger.error('request failed', { method, path: url.pathname, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    else if (error.kind === 'STORE_ERROR') logger.warn('request failed: Kafka unavailable', { method, path: url.pathname, error: error.message });
    if (error.kind === 'BODY_TOO_LARGE') {
      // The rest of the body is not read: close the connection once the answer is out.
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.destroy());
    }
    send(res, error.status, JSON.stringify({ error_code: error.code, message: error.message, ...error.details }));
  }
}

function replyText(reply: Reply): string {
  return 'raw' in reply ? reply.raw : JSON.stringify(reply.json);
}

function send(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads and parses a JSON body: 415 for a non-JSON content type, 413 over the cap, 400 if malformed. */
async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType && !ACCEPTED_TYPES.has(contentType)) {
    throw registryError('UNSUPPORTED_MEDIA_TYPE', `HTTP 415 Unsupported Media Type: send ${CONTENT_TYPE} or application/json, not ${contentType}`);
  }
  const tooLarge = () => registryError('BODY_TOO_LARGE', `Request body is larger than ${maxBytes} bytes`, { details: { limit: maxBytes } });
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge();
  const bytes = await readBody(req, maxBytes, tooLarge);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw registryError('MALFORMED_BODY', 'Request body is empty: expected a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw registryError('MALFORMED_BODY', `Request body is not valid JSON: ${(err as Error).message}`);
  }
}

/** Collects the body; past the cap it stops reading (the connection is closed after the 413). */
function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => RegistryError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      failed = true;
      req.pause();
      reject(tooLarge());
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
