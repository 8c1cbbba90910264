/**
 * Where a run's CPU went, per process kind: every process on the machine sampled from /proc
 * (user + system time), labelled by what it runs — a service's src/main.ts, the CLI's command
 * (broker, registry, import), PostgreSQL. Core-seconds per process against the run's wall time
 * tell a saturated machine from processes taking turns (1.4 of 2 cores busy at 1M rows, before
 * the import's matching got its own thread).
 *
 * Sampled, not traced: a process that exits between two samples counts up to its last sample
 * (the import command is sampled every poll, so it loses at most one interval).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

interface ProcessSample {
  readonly label: string;
  readonly ticks: number;
}

function labelOf(comm: string, cmdline: string): string | null {
  if (comm === 'postgres' || cmdline.startsWith('postgres')) return 'postgres';
  const service = /services\/([\w-]+)\/src\/main\.ts/.exec(cmdline);
  if (service) return service[1]!;
  const cli = /packages\/cli\/src\/main\.ts\0(\w+)/.exec(cmdline);
  if (cli) return `stratum ${cli[1]!}`;
  return null;
}

function sampleAll(): Map<number, ProcessSample> {
  const out = new Map<number, ProcessSample>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may itself hold spaces or parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const label = labelOf(comm, readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
      if (label === null) continue;
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
      out.set(Number(entry), { label, ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // Gone between the listing and the read.
    }
  }
  return out;
}

/** Started before the measured interval: `sample()` during it, `report()` at its end. */
export function cpuAccounting(): { sample(): void; report(wallSeconds: number): string } {
  const baseline = sampleAll();
  const latest = new Map<number, ProcessSample>();
  const sample = () => sampleAll().forEach((s, pid) => latest.set(pid, s));
  return {
    sample,
    report(wallSeconds) {
      sample();
      const byLabel = new Map<string, number>();
      latest.forEach((s, pid) => {
        const before = baseline.get(pid);
        // A pid reused by another process since the baseline starts from zero.
        const since = before && before.label === s.label && before.ticks <= s.ticks ? before.ticks : 0;
        byLabel.set(s.label, (byLabel.get(s.label) ?? 0) + (s.ticks - since) / TICKS_PER_SECOND);
      });
      const total = [...byLabel.values()].reduce((a, b) => a + b, 0);
      const parts = [...byLabel].sort((a, b) => b[1] - a[1]).filter(([, s]) => s >= 0.5).map(([label, s]) => `${label} ${s.toFixed(0)} s (${((100 * s) / total).toFixed(0)} %)`);
      return `CPU over ${wallSeconds.toFixed(0)} s: ${total.toFixed(0)} core-seconds (${(total / wallSeconds).toFixed(2)} cores busy): ${parts.join(', ')}`;
    },
  };
}
