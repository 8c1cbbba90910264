/**
 * A TypeScript entry point (a service's src/main.ts, a test fixture) run as a real child process
 * through tsx, as a supervisor would run it, with exactly the environment given (plus PATH):
 * nothing leaks in from the test's own environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { processEnv } from './env';

export interface TsProcess {
  readonly child: ChildProcess;
  /** Exit code (null when killed by a signal) once the process is gone and its output read. */
  readonly exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

export function spawnTsProcess(entry: string, env: Record<string, string>, options: { readonly args?: readonly string[] } = {}): TsProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...(options.args ?? [])], { env: { PATH: processEnv().PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exit, stdout: () => out, stderr: () => err };
}

/** The /metrics URL a stage process logs once its health server is up (runStageProcess), or null. */
export function metricsUrlFrom(stdout: string): string | null {
  return /"metrics":"([^"]+)"/.exec(stdout)?.[1] ?? null;
}
