/**
 * One process of the pipeline under test, as a supervisor runs it — its own Node process, its
 * output appended to a log file, restarted when it dies — plus what a fault run needs: kill -9 on
 * demand, a count of kills and restarts, and its pid for CPU and memory sampling. Unlike
 * `stratum start`'s supervisor it restarts quickly and without backoff: the point is to hit the
 * pipeline with as many crashes as possible, not to spare a crash loop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export interface ProcessSpec {
  readonly name: string;
  /** A TypeScript entry point, run with `node --import tsx`. */
  readonly entry: string;
  readonly args?: readonly string[];
  /** Flags for node itself, before the entry (those NODE_OPTIONS refuses, e.g. `--cpu-prof`). */
  readonly nodeArgs?: readonly string[];
  /** The whole environment (plus PATH): nothing leaks in from the test's own. */
  readonly env: Readonly<Record<string, string>>;
  /** A line the process prints once it serves (its listen or "endpoints up" line). */
  readonly ready: RegExp;
}

export interface ChaosProcessOptions {
  readonly cwd: string;
  readonly logDir: string;
  /** Pause between a death and the restart (default 500 ms). */
  readonly restartDelayMs?: number;
  /** How long a start may take before it counts as failed (default 120 s). */
  readonly readyTimeoutMs?: number;
}

const STOP_TIMEOUT_MS = 30_000;

export class ChaosProcess {
  readonly logFile: string;
  /** Times this harness killed it with SIGKILL. */
  kills = 0;
  /** Times it was started again after dying (killed or crashed). */
  restarts = 0;
  /** Deaths the harness did not cause: exits with a code, or signals other than our SIGKILL. */
  crashes = 0;
  private child: ChildProcess | null = null;
  private stopping = false;
  private killedByUs = false;
  private readonly log: WriteStream;
  private isReady = false;

  constructor(
    readonly spec: ProcessSpec,
    private readonly options: ChaosProcessOptions,
  ) {
    mkdirSync(options.logDir, { recursive: true });
    this.logFile = join(options.logDir, `${spec.name}.log`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
  }

  get name(): string {
    return this.spec.name;
  }

  /** The live process's pid, or null between a death and the restart. */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts it; resolves once it printed its ready line. */
  start(): Promise<void> {
    this.launch();
    return this.whenReady();
  }

  /**
   * Resolves once the live incarnation printed its ready line (after a restart, the new one);
   * rejects when none is ready within the ready timeout.
   */
  async whenReady(): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const deadline = Date.now() + timeoutMs;
    while (!this.isReady) {
      if (Date.now() > deadline) throw new Error(`${this.spec.name} printed no ready line within ${timeoutMs / 1000} s; see ${this.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** kill -9 now; the exit handler starts it again after the restart delay. */
  kill9(): void {
    if (this.child === null || this.stopping) return;
    this.kills += 1;
    this.killedByUs = true;
    this.child.kill('SIGKILL');
  }

  /** SIGTERM (the services drain and exit), SIGKILL if it takes too long; no restart. */
  async stop(): Promise<void> {
    this.stopping = true;
    const proc = this.child;
    if (proc !== null && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => this.log.end(() => resolve()));
  }

  private launch(): void {
    const { spec } = this;
    const proc = spawn(process.execPath, [...(spec.nodeArgs ?? []), '--import', 'tsx', spec.entry, ...(spec.args ?? [])], {
      cwd: this.options.cwd,
      env: { PATH: process.env.PATH ?? '', ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = proc;
    this.log.write(`--- ${new Date().toISOString()} ${spec.name} started, pid ${proc.pid}\n`);
    this.isReady = false;
    let seen = '';
    const watch = (d: Buffer) => {
      this.log.write(d);
      if (this.isReady || this.child !== proc) return;
      seen = (seen + d.toString()).slice(-8192);
      if (spec.ready.test(seen)) this.isReady = true;
    };
    proc.stdout!.on('data', watch);
    proc.stderr!.on('data', watch);
    proc.once('exit', (code, signal) => {
      this.log.write(`--- ${new Date().toISOString()} ${spec.name} exited (${signal ?? `code ${code}`})\n`);
      if (this.child === proc) {
        this.child = null;
        this.isReady = false;
      }
      if (this.stopping) return;
      if (!(this.killedByUs && signal === 'SIGKILL')) this.crashes += 1;
      this.killedByUs = false;
      setTimeout(() => {
        if (this.stopping) return;
        this.restarts += 1;
        this.launch();
      }, this.options.restartDelayMs ?? 500).unref();
    });
  }
}
