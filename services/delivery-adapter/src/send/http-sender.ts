/**
 * Sends an adapter's HttpRequest exactly as built (signatures cover the body byte for byte) over
 * node:http(s) with keep-alive sockets per destination, a hard timeout per request, and — for
 * tenant-supplied URLs (webhooks) — the SSRF guard: the host is resolved and checked, and the
 * socket is pinned to the checked address so a DNS answer cannot change between check and connect.
 * Never throws: a transport failure is an HttpResult with `networkError` for the adapter to classify.
 */
import http from 'node:http';
import https from 'node:https';
import { assertPublicTarget, pinnedLookup, type HttpRequest, type HttpResult, type PublicTargetOptions } from '@stratum/destinations';

export interface SendOptions {
  readonly timeoutMs: number;
  /** Check the target with the SSRF guard first (tenant-supplied URLs). */
  readonly guard: PublicTargetOptions | null;
}

export interface HttpSender {
  send(request: HttpRequest, options: SendOptions): Promise<HttpResult>;
  close(): void;
}

/** Answers larger than this are cut: classification reads a status and a small error body. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export function createHttpSender(maxSocketsPerHost = 16): HttpSender {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: maxSocketsPerHost }),
  };
  return {
    async send(request, options) {
      try {
        const url = new URL(request.url);
        const lookup = options.guard ? pinnedLookup(await assertPublicTarget(url, options.guard)) : undefined;
        const agent = url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : null;
        if (agent === null) throw Object.assign(new Error(`unsupported scheme ${url.protocol}`), { code: 'ERR_INVALID_PROTOCOL' });
        return { response: await exchange(url, request, agent, options.timeoutMs, lookup) };
      } catch (networkError) {
        return { networkError };
      }
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function exchange(url: URL, request: HttpRequest, agent: http.Agent, timeoutMs: number, lookup: ReturnType<typeof pinnedLookup> | undefined) {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
    const body = request.body === null ? null : Buffer.from(request.body, 'utf8');
    const req = transport.request(
      url,
      {
        method: request.method,
        agent,
        headers: { ...request.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
        ...(lookup ? { lookup } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
