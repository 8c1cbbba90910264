/**
 * The HTTP core every mock platform shares: a node:http server on 127.0.0.1 (a port the OS picks),
 * the raw request recorded, injected faults applied, then the platform's handler. Stopping it
 * ends hanging and slow requests too, so a test never leaks an open handle.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnsweredFault, Clock, Fault, FaultSchedule } from './faults';
import type { RecordedRequest, Recording } from './recording';

/** A started mock: where it listens, and how to stop it. */
export interface RunningMock {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  /** Closes the server and every open connection (hanging requests included). Idempotent. */
  stop(): Promise<void>;
}

/** What a platform handler answers. A string body is sent as text, anything else as JSON, undefined as no body. */
export interface PlatformResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** What the core needs from a platform. */
export interface MockServerOptions {
  recording: Recording<unknown>;
  faults: FaultSchedule;
  clock: Clock;
  /** The platform's logic for a request that suffered no fault (or only a delay). */
  handle(request: RecordedRequest): PlatformResponse | Promise<PlatformResponse>;
  /** The platform's own wording of an injected 5xx or 429. */
  faultResponse(fault: AnsweredFault): PlatformResponse;
  /** A fixed port (a dev console whose URLs must survive restarts); default: one the OS picks. */
  port?: number;
}

/** Bodies above this are refused before parsing: no platform takes more, and tests should not buffer more. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Starts a mock server on 127.0.0.1, on `options.port` or an OS-chosen port. */
export async function startMockServer(options: MockServerOptions): Promise<RunningMock> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void serve(req, res, options, timers).catch((err: unknown) => {
      // A bug in a mock: answer loudly rather than hang the test that met it.
      if (!res.headersSent) writeResponse(res, { status: 500, body: { mock_error: String(err) } });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: MockServerOptions, timers: Set<NodeJS.Timeout>): Promise<void> {
  const raw = await readBody(req);
  if (raw === undefined) {
    writeResponse(res, { status: 413, body: { mock_error: `body over ${MAX_BODY_BYTES} bytes` } });
    return;
  }
  const request = recordedRequest(req, raw, options.clock());
  options.recording.arrived(request);
  const fault = options.faults.take();
  if (fault !== undefined) {
    options.recording.fault({ request, fault });
    const goOn = await suffer(fault, req, res, options, timers);
    if (!goOn) return;
  }
  writeResponse(res, await options.handle(request));
}

/** Applies a fault; true when the request should still reach the platform (a delay). */
async function suffer(fault: Fault, req: IncomingMessage, res: ServerResponse, options: MockServerOptions, timers: Set<NodeJS.Timeout>): Promise<boolean> {
  switch (fault.kind) {
    case 'server_error':
    case 'rate_limited': {
      const answer = options.faultResponse(fault);
      const retryAfter: Record<string, string> = fault.kind === 'rate_limited' ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
      writeResponse(res, { ...answer, headers: { ...answer.headers, ...retryAfter } });
      return false;
    }
    case 'hang':
      return false; // stop() closes the connection
    case 'reset':
      req.socket.resetAndDestroy();
      return false;
    case 'delay':
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, fault.ms);
        timers.add(timer);
      });
      // Stopped while waiting: the connection is gone, nothing to answer.
      return !res.destroyed && !req.socket.destroyed;
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function recordedRequest(req: IncomingMessage, body: string, receivedAt: number): RecordedRequest {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
  return { method: req.method ?? 'GET', path: url.pathname, query, headers: req.headers, body, receivedAt };
}

function writeResponse(res: ServerResponse, response: PlatformResponse): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (typeof response.body === 'string') {
    payload = response.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['content-type'] ??= 'application/json';
  }
  res.writeHead(response.status, headers);
  res.end(payload);
}
