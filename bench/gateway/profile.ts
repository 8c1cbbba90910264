/**
 * Where the gateway's CPU goes, from the V8 profile `node --cpu-prof` writes: self time per
 * function and per origin (a package, a gateway source file, Node's internals, GC), idle excluded.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly byOrigin: readonly { origin: string; ms: number }[];
  readonly byFunction: readonly { fn: string; origin: string; ms: number }[];
}

/** `node_modules/.pnpm/express@4.21.2/node_modules/express/lib/router/index.js` → `express`. */
function originOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(services\/[^/]+\/src\/.+|packages\/[^/]+\/src\/.+)$/.exec(url);
  if (own) return own[1]!;
  return url;
}

/**
 * Reads the main thread's .cpuprofile in `dir` (the largest: tsx's module loader thread writes a
 * small one of its own) and sums self time.
 */
export function summariseProfile(dir: string, top = 20): ProfileSummary {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, a)).size - statSync(join(dir, b)).size)
    .at(-1);
  if (!file) throw new Error(`no .cpuprofile in ${dir} (did the gateway exit cleanly on SIGTERM?)`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const origins = new Map<string, number>();
  const functions = new Map<string, { fn: string; origin: string; ms: number }>();
  let totalMs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = nodes.get(id)!;
    if (callFrame.functionName === '(idle)') continue;
    const ms = us / 1000;
    totalMs += ms;
    const origin = originOf(callFrame.url, callFrame.functionName);
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
    const fn = `${callFrame.functionName || '(anonymous)'}${callFrame.url ? `:${callFrame.lineNumber + 1}` : ''}`;
    const key = `${origin} ${fn}`;
    const entry = functions.get(key) ?? { fn, origin, ms: 0 };
    entry.ms += ms;
    functions.set(key, entry);
  }
  return {
    totalMs,
    byOrigin: [...origins].map(([origin, ms]) => ({ origin, ms })).sort((a, b) => b.ms - a.ms).slice(0, top),
    byFunction: [...functions.values()].sort((a, b) => b.ms - a.ms).slice(0, top),
  };
}

/** The summary as two markdown tables. */
export function formatProfile(title: string, s: ProfileSummary): string {
  const pct = (ms: number) => `${((ms / s.totalMs) * 100).toFixed(1)}%`;
  return [
    `\n${title}: ${(s.totalMs / 1000).toFixed(1)} s of CPU sampled (idle excluded)\n`,
    '| self time | origin |',
    '|---|---|',
    ...s.byOrigin.map((o) => `| ${pct(o.ms)} | ${o.origin} |`),
    '',
    '| self time | function | origin |',
    '|---|---|---|',
    ...s.byFunction.map((f) => `| ${pct(f.ms)} | ${f.fn} | ${f.origin} |`),
    '',
  ].join('\n');
}
