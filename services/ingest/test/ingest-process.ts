/** Runs src/main.ts as a real child process, as a supervisor would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const main = join(__dirname, '..', 'src', 'main.ts');

export interface IngestProcess {
  child: ChildProcess;
  /** Exit code (null when killed by a signal) once the process is gone. */
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** The /metrics URL, from the log line the process prints once it is up. */
  metricsUrl(): string | null;
}

/** Starts ingest with exactly `env` (plus PATH): nothing leaks in from the test's own environment. */
export function startIngestProcess(env: Record<string, string>): IngestProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exit, stdout: () => out, stderr: () => err, metricsUrl: () => /"metrics":"([^"]+)"/.exec(out)?.[1] ?? null };
}
