/**
 * Load at a steady offered rate, for "p99 at 70% of saturation". autocannon's overallRate does not
 * give one: each connection sends its per-second quota back to back and then waits for the next
 * second (lib/httpClient.js, `reqsMadeThisSecond`), so the server sees saturation in bursts and
 * idles in between. Here requests are due every 1/rate s (sent on the next 1 ms tick), go out on
 * whichever keep-alive connection is free, and latency is counted from when each request was due,
 * so time spent waiting for a free connection is counted too (no coordinated omission).
 */
import { connect, type Socket } from 'node:net';
import { startCpuMeter } from './cpu';
import type { LoadResult } from './load';

export interface PacedSpec {
  url: string;
  path: string;
  /** Bodies to cycle through. */
  bodies: readonly string[];
  headers: Record<string, string>;
  /** Requests per second offered. */
  rate: number;
  durationS: number;
  /** Keep-alive connections (one request in flight on each). */
  connections: number;
}

interface Connection {
  socket: Socket;
  busy: boolean;
  dueAt: number;
  pending: Buffer | null;
  need: number;
  status: number;
}

/** Runs `spec` and measures it like runLoad; `watch` names the processes whose CPU to read. */
export async function runPaced(spec: PacedSpec, watch: Record<string, number>): Promise<LoadResult> {
  const { hostname, port } = new URL(spec.url);
  const head = (body: string) =>
    `POST ${spec.path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${Object.entries(spec.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  const requests = spec.bodies.map((body) => Buffer.from(head(body) + body));
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const queue: number[] = []; // due times of requests waiting for a free connection
  let nextRequest = 0;
  let outstanding = 0;

  const connections: Connection[] = await Promise.all(
    Array.from(
      { length: spec.connections },
      () =>
        new Promise<Connection>((resolve, reject) => {
          const socket = connect(Number(port), hostname, () => resolve(c));
          const c: Connection = { socket, busy: false, dueAt: 0, pending: null, need: -1, status: 0 };
          socket.setNoDelay(true);
          socket.once('error', reject);
        }),
    ),
  );
  const idle = [...connections];

  function send(c: Connection, dueAt: number): void {
    c.busy = true;
    c.dueAt = dueAt;
    outstanding++;
    c.socket.write(requests[nextRequest++ % requests.length]!);
  }

  function finished(c: Connection): void {
    outstanding--;
    if (c.status >= 200 && c.status < 300) latencies.push(performance.now() - c.dueAt);
    else failures[String(c.status)] = (failures[String(c.status)] ?? 0) + 1;
    c.busy = false;
    const due = queue.shift();
    if (due === undefined) idle.push(c);
    else send(c, due);
  }

  // Answers are read just far enough to find their end: status line, Content-Length, body.
  for (const c of connections) {
    c.socket.on('data', (chunk: Buffer) => {
      c.pending = c.pending ? Buffer.concat([c.pending, chunk]) : chunk;
      for (;;) {
        if (c.need < 0) {
          const end = c.pending.indexOf('\r\n\r\n');
          if (end < 0) return;
          const text = c.pending.toString('latin1', 0, end);
          c.status = Number(text.slice(9, 12));
          const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
          c.need = end + 4 + (length ? Number(length[1]) : 0);
        }
        if (c.pending.length < c.need) return;
        c.pending = c.pending.length === c.need ? null : c.pending.subarray(c.need);
        c.need = -1;
        finished(c);
        if (c.pending === null) return;
      }
    });
    c.socket.on('error', () => undefined);
  }

  const cpu = startCpuMeter(watch);
  const started = performance.now();
  const total = Math.round(spec.rate * spec.durationS);
  let scheduled = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * spec.rate));
      for (; scheduled < due; scheduled++) {
        const dueAt = started + (scheduled / spec.rate) * 1000;
        const c = idle.pop();
        if (c) send(c, dueAt);
        else queue.push(dueAt);
      }
      if (scheduled >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const drainBy = performance.now() + 10_000;
  while ((outstanding > 0 || queue.length > 0) && performance.now() < drainBy) await new Promise((r) => setTimeout(r, 5));
  const wallS = (performance.now() - started) / 1000;
  for (const c of connections) c.socket.destroy();

  const cores = cpu.cores(wallS);
  const unanswered = outstanding + queue.length;
  if (unanswered > 0) failures['unanswered'] = unanswered;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    connections: spec.connections,
    ok: latencies.length,
    okPerSecond: latencies.length / spec.durationS,
    failed: Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    p50Ms: pct(50),
    p99Ms: pct(99),
    cores,
  };
}
