/**
 * The console's control API, JSON over HTTP, for people (curl) and `pnpm demo`:
 *
 *   GET    /                  every mock: url, counts, the last events summarised, how to reach it as a destination
 *   GET    /{name}            one mock, the same fields
 *   GET    /{name}/events     its whole recording: kept events, duplicates, rejections, drops, faulted requests
 *   DELETE /{name}/events     forgets the recording (the platform's dedup memory stays, as a real one's would)
 *   POST   /{name}/faults     programs a failure (fault-request.ts), e.g. {"failForMs":30000,"status":503}
 *   POST   /{name}/recover    clears every programmed failure
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { RecordedRequest } from '../recording';
import { parseFaultRequest } from './fault-request';
import type { ConsolePlatform, DestinationConnection } from './platforms';
import type { EventSummary } from './summaries';

/** A console platform and the URL it is served at. */
export interface ServedPlatform extends ConsolePlatform {
  readonly url: string;
}

export interface ControlServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** What `GET /` lists per mock. */
export interface PlatformOverview {
  name: string;
  type: DestinationConnection['type'];
  url: string;
  /** Events the platform kept (after its own deduplication). */
  accepted: number;
  /** Requests it refused with an error. */
  rejected: number;
  /** Events it recognised as repeats (same event_id / webhook-id) and did not count again. */
  duplicates: number;
  /** Events it took and silently discarded (GA4). */
  dropped: number;
  /** Requests answered by an injected fault. */
  faulted: number;
  /** The last events kept, oldest first. */
  events: EventSummary[];
  /** The settings and (fake) credentials of a Stratum destination that reaches this mock. */
  destination: DestinationConnection;
}

const RECENT_EVENTS = 10;
const MAX_BODY_BYTES = 64 * 1024;

function overview(p: ServedPlatform): PlatformOverview {
  const r = p.mock.recording;
  return {
    name: p.name,
    type: p.connection(p.url).type,
    url: p.url,
    accepted: r.events.length,
    rejected: r.rejected.length,
    duplicates: r.duplicates.length,
    dropped: r.dropped.length,
    faulted: r.faulted.length,
    events: r.events.slice(-RECENT_EVENTS).map((e) => p.summarise(e)),
    destination: p.connection(p.url),
  };
}

/** A request as the recording shows it: enough to recognise, without headers (they carry the credentials). */
const requestLine = (r: RecordedRequest) => ({ method: r.method, path: r.path, receivedAt: new Date(r.receivedAt).toISOString() });

function recording(p: ServedPlatform) {
  const r = p.mock.recording;
  return {
    name: p.name,
    events: r.events.map((event) => ({ ...p.summarise(event), raw: event })),
    duplicates: r.duplicates.map((event) => ({ ...p.summarise(event), raw: event })),
    rejected: r.rejected.map((x) => ({ ...requestLine(x.request), status: x.status, reason: x.reason, detail: x.detail })),
    dropped: r.dropped.map((x) => ({ ...requestLine(x.request), reason: x.reason, event: x.event })),
    faulted: r.faulted.map((x) => ({ ...requestLine(x.request), fault: x.fault })),
    requests: r.requests.length,
  };
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const error = (status: number, message: string, headers?: Record<string, string>): Answer => ({ status, body: { error: message }, ...(headers ? { headers } : {}) });

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; answer: Answer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, answer: error(413, `the body is over ${MAX_BODY_BYTES} bytes`) };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, answer: error(400, `the body is not JSON: ${(err as Error).message}`) };
  }
}

async function route(req: IncomingMessage, platforms: readonly ServedPlatform[]): Promise<Answer> {
  const path = new URL(req.url ?? '/', 'http://console').pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const allow = (methods: string) => error(405, `${method} is not allowed on ${path || '/'}; use ${methods}`, { allow: methods });
  if (path === '') return method === 'GET' ? { status: 200, body: { platforms: platforms.map(overview) } } : allow('GET');
  const [, name, action, ...rest] = path.split('/');
  const p = platforms.find((x) => x.name === name);
  if (p === undefined || rest.length > 0) return error(404, `no such path; the mocks are ${platforms.map((x) => x.name).join(', ')}: GET /{name}, GET|DELETE /{name}/events, POST /{name}/faults, POST /{name}/recover`);
  switch (action) {
    case undefined:
      return method === 'GET' ? { status: 200, body: overview(p) } : allow('GET');
    case 'events':
      if (method === 'GET') return { status: 200, body: recording(p) };
      if (method === 'DELETE') {
        p.mock.recording.clear();
        return { status: 204 };
      }
      return allow('GET, DELETE');
    case 'faults': {
      if (method !== 'POST') return allow('POST');
      const body = await readJson(req);
      if (!body.ok) return body.answer;
      const parsed = parseFaultRequest(body.value);
      if (!parsed.ok) return error(400, parsed.problem);
      parsed.fault.apply(p.mock.faults);
      return { status: 200, body: { name: p.name, fault: parsed.fault.description } };
    }
    case 'recover':
      if (method !== 'POST') return allow('POST');
      p.mock.faults.recover();
      return { status: 200, body: { name: p.name, recovered: true } };
    default:
      return error(404, `no /${name}/${action}; use /${name}/events, /${name}/faults or /${name}/recover`);
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const payload = answer.body === undefined ? undefined : `${JSON.stringify(answer.body, null, 2)}\n`;
  res.writeHead(answer.status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), 'cache-control': 'no-store', ...answer.headers });
  res.end(payload);
}

export async function startControlServer(options: { port: number; host?: string; platforms: readonly ServedPlatform[] }): Promise<ControlServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    route(req, options.platforms).then(
      (answer) => send(res, answer),
      (err: unknown) => send(res, error(500, String(err))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
