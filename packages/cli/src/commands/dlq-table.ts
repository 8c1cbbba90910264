/** How `stratum dlq` shows dead letters to a person: a table, totals, and JSON with readable times. */
import type { DeadLetterCount, DeadLetterSummary } from '@stratum/delivery';

const ERROR_WIDTH = 60;

/** `2026-11-24 09:30:00` (UTC): sortable, and short enough for a table. */
const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

function truncate(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/** The last error as `code status message`, cut to fit a table cell. */
export function describeLastError(d: DeadLetterSummary): string {
  if (d.lastError === null) return '-';
  const e = d.lastError;
  return truncate([e.code, e.httpStatus === null ? '' : String(e.httpStatus), e.message].filter((p) => p !== '').join(' '), ERROR_WIDTH);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`;
  return line(header) + rows.map(line).join('');
}

/** The dead letters as a table, one row each. */
export function deadLetterTable(rows: readonly DeadLetterSummary[]): string {
  return table(
    ['DLQ ID', 'DEAD-LETTERED (UTC)', 'DESTINATION', 'REASON', 'ATTEMPTS', 'REPLAYS', 'LAST ERROR'],
    rows.map((d) => [d.dlqId, time(d.deadLetteredAt), d.destinationId, d.reason, String(d.attempts), String(d.replayCount), describeLastError(d)]),
  );
}

export interface Totals {
  readonly total: number;
  readonly byDestination: Record<string, number>;
  readonly byReason: Record<string, number>;
}

/** Sums per destination and per reason, largest first. */
export function totalsOf(counts: readonly DeadLetterCount[]): Totals {
  const add = (into: Map<string, number>, key: string, n: number) => into.set(key, (into.get(key) ?? 0) + n);
  const byDestination = new Map<string, number>();
  const byReason = new Map<string, number>();
  for (const c of counts) {
    add(byDestination, c.destinationId, c.count);
    add(byReason, c.reason, c.count);
  }
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
  return { total: counts.reduce((n, c) => n + c.count, 0), byDestination: sorted(byDestination), byReason: sorted(byReason) };
}

/** `by destination  dst_a 3, dst_b 1` and `by reason ...` lines. */
export function totalsLines(t: Totals): string {
  const list = (m: Record<string, number>) => Object.entries(m).map(([k, n]) => `${k} ${n}`).join(', ');
  return `by destination  ${list(t.byDestination)}\nby reason       ${list(t.byReason)}\n`;
}

/** A summary as JSON output shows it: times as ISO strings. */
export function jsonSummary(d: DeadLetterSummary): Record<string, unknown> {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    ...d,
    firstAttemptAt: iso(d.firstAttemptAt),
    lastAttemptAt: iso(d.lastAttemptAt),
    deadLetteredAt: iso(d.deadLetteredAt),
    lastReplayedAt: iso(d.lastReplayedAt),
  };
}
