/**
 * One client TCP connection: splits the byte stream into size-prefixed frames, decodes and
 * dispatches each request, and writes responses strictly in request order (Kafka clients
 * pipeline requests and match responses by order and correlation id). A slow request (a
 * long-polling Fetch, a JoinGroup waiting for the group) holds back only later responses on this
 * connection; other connections are unaffected. A malformed or oversized frame, an unknown API
 * or an unsupported version closes this connection only, with a warning in the log.
 */
import type { Socket } from 'node:net';
import { Reader, MalformedFrameError } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { readRequestHeader, type RequestHeader } from '../protocol/header';
import { NO_RESPONSE, ApiKey, type ApiDefinition, type RequestContext } from '../protocol/api';
import type { BrokerState } from '../broker-state';
import { encodeUnsupportedApiVersions } from '../apis/api-versions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiTable = ReadonlyMap<number, ApiDefinition<any, any>>;

interface Slot {
  done: boolean;
  out: Buffer | null;
}

/**
 * Backpressure: past either limit the connection stops reading requests (they wait in the socket
 * and TCP pushes back on the client) until responses drain. Without it, a client that pipelines
 * requests and never reads made the broker hold every response in memory until it died.
 * Kafka goes further and handles one request per connection at a time.
 */
const MAX_IN_FLIGHT = 32;
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly queue: Slot[] = [];
  private readonly abort = new AbortController();
  private closed = false;
  /** Reading is paused for backpressure. */
  private paused = false;
  /** Inside pump(): a response finishing synchronously must not re-enter it. */
  private pumping = false;
  readonly clientHost: string;

  constructor(
    private readonly socket: Socket,
    private readonly broker: BrokerState,
    private readonly apis: ApiTable,
    readonly id: number,
  ) {
    this.clientHost = socket.remoteAddress ?? 'unknown';
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('drain', () => this.pump());
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Closes the connection and cancels its waiting requests. */
  close(reason?: string, fields?: Record<string, unknown>): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.broker.logger.warn(reason, { connection: this.id, client: this.clientHost, ...fields });
    this.abort.abort();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    this.pump();
  }

  private backlogged(): boolean {
    return this.queue.length >= MAX_IN_FLIGHT || this.socket.writableLength > MAX_UNSENT_BYTES;
  }

  /** Handles every complete buffered frame, unless the client is too far behind on responses. */
  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    try {
      while (!this.closed && this.buffered >= 4 && !this.backlogged()) {
        const head = this.peek(4);
        const size = head.readInt32BE(0);
        if (size < 8 || size > this.broker.config.maxFrameBytes) {
          this.close('closing connection: bad frame size', { size, limit: this.broker.config.maxFrameBytes });
          return;
        }
        if (this.buffered < 4 + size) break;
        const all = this.peek(4 + size);
        const frame = all.subarray(4, 4 + size);
        this.consume(4 + size, all);
        this.handleFrame(frame);
      }
    } finally {
      this.pumping = false;
    }
    if (this.closed) return;
    const backlogged = this.backlogged();
    if (backlogged && !this.paused) this.socket.pause();
    else if (!backlogged && this.paused) this.socket.resume();
    this.paused = backlogged;
  }

  /** Returns the first n buffered bytes as one buffer (joining chunks only when needed). */
  private peek(n: number): Buffer {
    if (this.chunks[0]!.length < n) {
      const joined = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [joined];
    }
    return this.chunks[0]!;
  }

  private consume(n: number, first: Buffer): void {
    this.buffered -= n;
    if (first.length === n) this.chunks.shift();
    else this.chunks[0] = first.subarray(n);
  }

  private handleFrame(frame: Buffer): void {
    const r = new Reader(frame);
    let header: RequestHeader;
    try {
      header = readRequestHeader(r);
    } catch {
      this.close('closing connection: unreadable request header', { bytes: frame.length });
      return;
    }
    const api = this.apis.get(header.apiKey);
    if (!api) {
      this.close('closing connection: unsupported API key', { apiKey: header.apiKey, clientId: header.clientId });
      return;
    }
    if (header.apiVersion < api.minVersion || header.apiVersion > api.maxVersion) {
      if (header.apiKey === ApiKey.ApiVersions) {
        // The client probes downwards: answer in v0 layout with UNSUPPORTED_VERSION and our ranges.
        this.respondNow(header.correlationId, encodeUnsupportedApiVersions(this.apis));
        return;
      }
      this.close('closing connection: UNSUPPORTED_VERSION', {
        api: api.name,
        version: header.apiVersion,
        supported: `${api.minVersion}-${api.maxVersion}`,
        clientId: header.clientId,
      });
      return;
    }
    const flexible = api.flexibleFrom !== undefined && header.apiVersion >= api.flexibleFrom;
    let request: unknown;
    try {
      if (flexible) r.taggedFields();
      request = api.decode(r, header.apiVersion);
    } catch (err) {
      const detail = err instanceof MalformedFrameError ? err.message : String(err);
      this.close('closing connection: malformed request', { api: api.name, version: header.apiVersion, detail });
      return;
    }
    const ctx: RequestContext = {
      apiKey: header.apiKey,
      apiVersion: header.apiVersion,
      correlationId: header.correlationId,
      clientId: header.clientId,
      connectionId: this.id,
      clientHost: this.clientHost,
      signal: this.abort.signal,
    };
    const slot: Slot = { done: false, out: null };
    this.queue.push(slot);
    const finish = (res: unknown) => {
      if (res !== NO_RESPONSE) {
        // ApiVersions always uses response header v0, even when its body is flexible.
        const tagged = flexible && header.apiKey !== ApiKey.ApiVersions;
        slot.out = this.frame(header.correlationId, tagged, (w) => api.encode(w, header.apiVersion, res));
      }
      slot.done = true;
      this.drain();
    };
    const fail = (err: unknown) => {
      this.broker.logger.error('request handler failed', { api: api.name, version: header.apiVersion, err: String(err), stack: (err as Error)?.stack });
      this.close();
    };
    try {
      const result = api.handle(this.broker, request, ctx);
      if (result instanceof Promise) result.then(finish, fail);
      else finish(result);
    } catch (err) {
      fail(err);
    }
  }

  private frame(correlationId: number, taggedHeader: boolean, body: (w: Writer) => void): Buffer {
    const w = new Writer(1024);
    const size = w.placeholder32();
    w.int32(correlationId);
    if (taggedHeader) w.emptyTaggedFields();
    body(w);
    w.patch32(size, w.length - 4);
    return w.finish();
  }

  private respondNow(correlationId: number, body: (w: Writer) => void): void {
    this.queue.push({ done: true, out: this.frame(correlationId, false, body) });
    this.drain();
  }

  private drain(): void {
    while (this.queue.length && this.queue[0]!.done) {
      const slot = this.queue.shift()!;
      if (slot.out && !this.closed) this.socket.write(slot.out);
    }
    // Room for more requests: handle what is buffered (and read on) unless sends are backed up.
    if (this.paused) this.pump();
  }
}
