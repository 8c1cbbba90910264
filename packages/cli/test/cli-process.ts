/** Runs `stratum <args>` as users do (node + tsx, a real child process) and watches its output. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exit: Promise<number | null>;
  out(): string;
  err(): string;
}

/** Starts `stratum <args>` in the background. */
export function startCli(args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** Runs `stratum <args>` to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const p = startCli(args, env);
  const code = await p.exit;
  return { code, out: p.out(), err: p.err() };
}

/** Polls `check` every 25 ms until it holds, failing after `ms`. */
export async function until(check: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
