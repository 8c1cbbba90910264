/** The final report of `stratum import`, and the progress line on a terminal. */

export interface ImportReport {
  readonly importId: string;
  readonly tenantId: string;
  readonly sourceId: string;
  readonly file: string;
  readonly fileBytes: number;
  readonly format: 'csv' | 'ndjson';
  /** Field → the column it was read from. */
  readonly mapping: Record<string, string>;
  readonly rowsRead: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectReasons: Record<string, number>;
  /** Hygiene problem code → rows it occurred in (kept rows and rejected alike). */
  readonly warnings: Record<string, number>;
  /** Phones turned into E.164 / rows with a phone (null when no row had one). */
  readonly phoneE164Rate: number | null;
  /** Records produced by this run (0 for a dry run; fewer than accepted when resumed). */
  readonly produced: number;
  /** Rows up to this one were acknowledged by an earlier run and not produced again (0: a fresh run). */
  readonly resumedAfterRow: number;
  readonly rejectFile: string | null;
  readonly topic: string;
  readonly dryRun: boolean;
  readonly durationMs: number;
  readonly rowsPerSecond: number;
}

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Running totals while reading. */
export class Tally {
  rowsRead = 0;
  accepted = 0;
  rejected = 0;
  produced = 0;
  phonesGiven = 0;
  phonesE164 = 0;
  readonly rejectReasons: Record<string, number> = {};
  readonly warnings: Record<string, number> = {};

  reject(reason: string): void {
    this.rejected += 1;
    bump(this.rejectReasons, reason);
  }

  warn(codes: readonly string[]): void {
    for (const code of codes) bump(this.warnings, code);
  }

  phone(given: boolean, e164: boolean): void {
    if (!given) return;
    this.phonesGiven += 1;
    if (e164) this.phonesE164 += 1;
  }

  phoneRate(): number | null {
    return this.phonesGiven === 0 ? null : Math.round((this.phonesE164 / this.phonesGiven) * 10_000) / 10_000;
  }
}

const sorted = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));

export function finalReport(base: Omit<ImportReport, 'rowsRead' | 'accepted' | 'rejected' | 'rejectReasons' | 'warnings' | 'phoneE164Rate' | 'produced' | 'durationMs' | 'rowsPerSecond'>, tally: Tally, startedAt: number): ImportReport {
  const durationMs = Date.now() - startedAt;
  return {
    importId: base.importId,
    tenantId: base.tenantId,
    sourceId: base.sourceId,
    file: base.file,
    fileBytes: base.fileBytes,
    format: base.format,
    mapping: base.mapping,
    rowsRead: tally.rowsRead,
    accepted: tally.accepted,
    rejected: tally.rejected,
    rejectReasons: sorted(tally.rejectReasons),
    warnings: sorted(tally.warnings),
    phoneE164Rate: tally.phoneRate(),
    produced: tally.produced,
    resumedAfterRow: base.resumedAfterRow,
    rejectFile: base.rejectFile,
    topic: base.topic,
    dryRun: base.dryRun,
    durationMs,
    rowsPerSecond: durationMs === 0 ? tally.rowsRead : Math.round((tally.rowsRead * 1000) / durationMs),
  };
}

const clock = (s: number) => (s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`);

/** A progress line on stderr, redrawn at most 4 times a second, only when stderr is a terminal. */
export function progress(totalBytes: number, bytesRead: () => number, enabled = process.stderr.isTTY === true) {
  const started = Date.now();
  let last = 0;
  return {
    update(tally: Tally, force = false): void {
      if (!enabled) return;
      const now = Date.now();
      if (!force && now - last < 250) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? tally.rowsRead / seconds : 0;
      const done = totalBytes > 0 ? Math.min(1, bytesRead() / totalBytes) : 1;
      const eta = done > 0 && done < 1 ? clock((seconds / done) * (1 - done)) : '—';
      process.stderr.write(
        `\r${(done * 100).toFixed(1).padStart(5)}%  ${tally.rowsRead} rows  ${Math.round(rate)} rows/s  ETA ${eta}  accepted ${tally.accepted}  rejected ${tally.rejected}  produced ${tally.produced}   `,
      );
    },
    end(): void {
      if (enabled) process.stderr.write('\n');
    },
  };
}

/** The line shown while waiting for identity resolution: rows resolved of the import's, rate and ETA. */
export function resolutionProgress(expected: number, enabled = process.stderr.isTTY === true) {
  const started = Date.now();
  let first: number | null = null;
  return {
    update(resolved: number): void {
      if (!enabled) return;
      first ??= resolved;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? (resolved - first) / seconds : 0;
      const eta = rate > 0 && resolved < expected ? clock((expected - resolved) / rate) : '—';
      process.stderr.write(`\rresolving  ${resolved} / ${expected} rows  ${Math.round(rate)} rows/s  ETA ${eta}   `);
    },
    end(): void {
      if (enabled) process.stderr.write('\n');
    },
  };
}
