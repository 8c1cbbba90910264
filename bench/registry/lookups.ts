/**
 * Load helper: `concurrency` keep-alive clients issue GET /schemas/ids/{id} back to back for
 * `durationMs` and report requests/s and latency percentiles. Used by `pnpm bench registry` and
 * `pnpm bench serde`.
 */
import { Agent, request } from 'node:http';

export interface LookupResult {
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  concurrency: number;
  requests: number;
}

function get(agent: Agent, url: URL): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: 'GET' }, (res) => {
      res.resume(); // the body is not inspected, only drained
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Measures GET /schemas/ids/{id} against a running registry. */
export async function measureIdLookups(baseUrl: string, id: number, options: { concurrency?: number; durationMs?: number } = {}): Promise<LookupResult> {
  const concurrency = options.concurrency ?? 32;
  const durationMs = options.durationMs ?? Number(process.env.BENCH_DURATION_MS ?? 5000);
  const url = new URL(`/schemas/ids/${id}`, baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    // Warm-up: open the connections and let V8 optimise both sides.
    const warmUntil = Date.now() + Math.min(1000, durationMs / 5);
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (Date.now() < warmUntil) await get(agent, url);
    }));
    const latencies: number[] = [];
    const start = process.hrtime.bigint();
    const end = start + BigInt(durationMs) * 1_000_000n;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      for (;;) {
        const t0 = process.hrtime.bigint();
        if (t0 >= end) return;
        const status = await get(agent, url);
        if (status !== 200) throw new Error(`GET ${url.pathname} answered ${status}`);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    return { perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99), concurrency, requests: latencies.length };
  } finally {
    agent.destroy();
  }
}
