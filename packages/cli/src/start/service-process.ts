/**
 * A pipeline service as a child process of `stratum start`: its own Node process (like in
 * production: one per container), logs to <data-dir>/logs/<name>.log, restarted with backoff
 * when it crashes, SIGTERM on stop (the services drain, then exit 0).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceSpec {
  readonly name: string;
  /** The service's src/main.ts. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
}

export interface SupervisedService {
  readonly name: string;
  readonly logFile: string;
  /** Resolves once the process printed `readyLine` (or rejects when it exits first). */
  readonly started: Promise<void>;
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 30_000;
const STOP_TIMEOUT_MS = 40_000;

export function superviseService(spec: ServiceSpec, options: { logDir: string; cwd: string; readyLine: RegExp; report: (line: string) => void }): SupervisedService {
  mkdirSync(options.logDir, { recursive: true });
  const logFile = join(options.logDir, `${spec.name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  let child: ChildProcess | null = null;
  let stopping = false;
  let backoff = 1000;
  let resolveStarted: () => void = () => undefined;
  let rejectStarted: (err: Error) => void = () => undefined;
  let firstStart = true;
  const started = new Promise<void>((resolve, reject) => ((resolveStarted = resolve), (rejectStarted = reject)));

  const launch = () => {
    const startedAt = Date.now();
    const proc = spawn(process.execPath, ['--import', 'tsx', spec.entry], { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let seen = '';
    const watch = (d: Buffer) => {
      log.write(d);
      if (firstStart) {
        seen = (seen + d.toString()).slice(-4096);
        if (options.readyLine.test(seen)) {
          firstStart = false;
          resolveStarted();
        }
      }
    };
    proc.stdout!.on('data', watch);
    proc.stderr!.on('data', watch);
    proc.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      if (firstStart) {
        firstStart = false;
        rejectStarted(new Error(`${spec.name} exited (${signal ?? `code ${code}`}) before it was up; see ${logFile}`));
      }
      // A process that ran a while had a fresh crash, not a crash loop: start again quickly.
      if (Date.now() - startedAt > 60_000) backoff = 1000;
      options.report(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${backoff / 1000} s (log: ${logFile})`);
      setTimeout(() => !stopping && launch(), backoff).unref();
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    });
  };
  launch();

  return {
    name: spec.name,
    logFile,
    started,
    async stop() {
      stopping = true;
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await new Promise<void>((resolve) => log.end(() => resolve()));
    },
  };
}
