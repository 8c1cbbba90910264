/** CPU time of a child process, from /proc/<pid>/stat (Linux), so throughput can be stated per core. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

function clockTicks(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU seconds `pid` has used so far (null where /proc is not there). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return null;
  }
}

/** This process's own CPU seconds (the load generator). */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** CPU seconds the whole machine has been busy (all cores, /proc/stat), to see load from outside the bench. */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal ...
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) / clockTicks();
  } catch {
    return null;
  }
}

/**
 * Starts measuring CPU over a load run: `cores(wallSeconds)` then gives cores used by each watched
 * process, by this one ('load generator'), and by everything else on the machine ('others').
 */
export function startCpuMeter(watch: Readonly<Record<string, number>>): { cores(wallSeconds: number): Record<string, number> } {
  const before = Object.fromEntries(Object.entries(watch).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const ownBefore = ownCpuSeconds();
  const machineBefore = machineBusySeconds();
  return {
    cores(wallS) {
      const cores: Record<string, number> = {};
      for (const [name, pid] of Object.entries(watch)) {
        const start = before[name];
        const end = cpuSeconds(pid);
        if (start !== null && start !== undefined && end !== null) cores[name] = (end - start) / wallS;
      }
      cores['load generator'] = (ownCpuSeconds() - ownBefore) / wallS;
      const machineAfter = machineBusySeconds();
      if (machineBefore !== null && machineAfter !== null) {
        // Everything else running on the machine meanwhile (other jobs), beside the watched processes and this one.
        const ours = Object.values(cores).reduce((a, b) => a + b, 0);
        cores['others'] = Math.max(0, (machineAfter - machineBefore) / wallS - ours);
      }
      return cores;
    },
  };
}
