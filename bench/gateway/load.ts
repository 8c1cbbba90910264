/**
 * One load run with autocannon: requests/s answered 2xx, latency percentiles from every response
 * (autocannon's own histogram has 1 ms resolution; ours keeps its sub-millisecond times), and the
 * CPU each process used meanwhile, in cores (CPU seconds / wall seconds).
 */
import autocannon from 'autocannon';
import { startCpuMeter } from './cpu';
import { bodyVariants } from './payloads';

export interface LoadSpec {
  url: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  readonly connections: number;
  readonly okPerSecond: number;
  readonly ok: number;
  readonly failed: number;
  /** Status codes or error names of failed requests, with counts (for a bench that went wrong). */
  readonly failures: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Cores each watched process (by name), the load generator and everything else on the machine ('others') used during the run. */
  readonly cores: Readonly<Record<string, number>>;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `spec` and measures it; `watch` names the processes whose CPU to read. */
export async function runLoad(spec: LoadSpec, watch: Record<string, number>): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const failures: Record<string, number> = {};
  const cpu = startCpuMeter(watch);
  const started = performance.now();
  let finished!: (result: autocannon.Result) => void;
  let failed!: (err: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => ((finished = resolve), (failed = reject)));
  // Prebuilt distinct bodies, cycled through (autocannon's own idReplacement also sends a wrong
  // Content-Length in 8.0.0).
  const requests = bodyVariants(spec.body).map((body) => ({ method: 'POST' as const, path: spec.path, headers: spec.headers, body }));
  const instance = autocannon(
    {
      url: spec.url,
      connections: spec.connections,
      duration: spec.durationS,
      requests,
    },
    (err: unknown, result: autocannon.Result) => (err ? failed(err) : finished(result)),
  );
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, ms: number) => {
    if (statusCode >= 200 && statusCode < 300) {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = ms;
    } else failures[String(statusCode)] = (failures[String(statusCode)] ?? 0) + 1;
  });
  instance.on('reqError', (err: Error) => {
    const name = (err as { code?: string }).code ?? err.name;
    failures[name] = (failures[name] ?? 0) + 1;
  });
  const result = await done;
  const wallS = (performance.now() - started) / 1000;
  const cores = cpu.cores(wallS);
  const sorted = latencies.subarray(0, count).sort();
  return {
    connections: spec.connections,
    ok: result['2xx'],
    okPerSecond: result['2xx'] / result.duration,
    failed: result.non2xx + result.errors,
    failures,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    cores,
  };
}
