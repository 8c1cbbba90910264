/** The gateway's Segment-compatible API (docs/gateway.md), authenticated with the write key as HTTP Basic user. */
import { DemoError, notRunning, okJson, requestJson } from './http';

const WHAT = 'the gateway';
const HINT = notRunning('--gateway-url');

export interface GatewayClient {
  /** Throws a DemoError when the gateway is not up, or refuses the write key. */
  check(): Promise<void>;
  /** One call on its own route (`/v1/track`…), as a browser library sends it. */
  call(type: string, body: Readonly<Record<string, unknown>>): Promise<void>;
  /** Several calls in one `/v1/batch` request, as a server library sends them. */
  batch(bodies: ReadonlyArray<Readonly<Record<string, unknown>>>): Promise<void>;
}

export function gatewayClient(baseUrl: string, writeKey: string): GatewayClient {
  const headers = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' };
  const post = (path: string, body: unknown) => okJson(WHAT, `${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }, HINT);
  return {
    async check() {
      await okJson(WHAT, `${baseUrl}/healthz`, {}, HINT);
      // An empty batch is refused (empty_batch) after the key is checked: a 401 here means the key is not this platform's.
      const probe = await requestJson(WHAT, `${baseUrl}/v1/batch`, { method: 'POST', headers, body: '{"batch":[]}' }, HINT);
      if (probe.status === 401) throw new DemoError(`the gateway refuses the write key (${JSON.stringify(probe.body)}): was ./data/demo-tenant.json written by this platform? Pass --data-dir or --write-key.`);
    },
    async call(type, body) {
      const now = new Date().toISOString();
      await post(`/v1/${type}`, { ...body, timestamp: now, sentAt: now });
    },
    async batch(bodies) {
      const now = new Date().toISOString();
      await post('/v1/batch', { batch: bodies.map((b) => ({ ...b, timestamp: now })), sentAt: now });
    },
  };
}
