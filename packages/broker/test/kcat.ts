/** Runs kcat (librdkafka) as an independent client; the broker tests require it (`.ci/run` installs it). */
import { spawn } from 'node:child_process';

export interface KcatResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `kcat args…` with optional stdin, killing it (by pid) after `timeoutMs`. */
export function kcat(args: string[], input?: string, timeoutMs = 15_000): Promise<KcatResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.KCAT_BIN ?? 'kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** A kcat that keeps running (a -G member, a tailing consumer) until the test stops it. */
export interface KcatProcess {
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and resolves with the exit code once it exits; SIGKILLs after `ms`. */
  stop(signal: NodeJS.Signals, ms?: number): Promise<number | null>;
  /** SIGKILL by pid if still running (for `finally`). */
  kill(): void;
}

/** Starts `kcat args…` in the background; every process must be stopped or killed by the test. */
export function spawnKcat(args: string[]): KcatProcess {
  const child = spawn(process.env.KCAT_BIN ?? 'kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`kcat did not start: ${args.join(' ')}`);
  const pid = child.pid;
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (running()) process.kill(pid, 'SIGKILL');
  };
  return {
    pid,
    stdout: () => out,
    stderr: () => err,
    kill,
    async stop(signal, ms = 10_000) {
      if (running()) process.kill(pid, signal);
      const timer = setTimeout(kill, ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
