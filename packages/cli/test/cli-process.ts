/**
 * Runs `stratum <args>` as users do (a real node child process) and watches its output. The CLI
 * is the bundle jest's global setup compiled from src/ for this run (cli-bundle.ts: one file to
 * load instead of hundreds through tsx); without one (STRATUM_CLI_TEST_RUNNER=tsx, or no global
 * setup) it is `node --import tsx src/main.ts`, as `pnpm stratum` runs it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { BUNDLE_VAR, bundleArgs } from './cli-bundle';

export const repoRoot = join(__dirname, '..', '..', '..');
const cli = join(repoRoot, 'packages', 'cli', 'src', 'main.ts');

/** node's arguments before the CLI's own. */
function entry(): string[] {
  const bundle = process.env[BUNDLE_VAR];
  return bundle ? bundleArgs(bundle) : ['--import', 'tsx', cli];
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the exit code once the process has exited and its output is read. */
  exit: Promise<number | null>;
  out(): string;
  err(): string;
}

export interface CliOptions {
  /** Written to the process's standard input, which is then closed (default: no standard input). */
  input?: string;
}

/** Starts `stratum <args>` in the background. */
export function startCli(args: string[], env: Record<string, string> = {}, options: CliOptions = {}): CliProcess {
  const child = spawn(process.execPath, [...entry(), ...args], {
    cwd: repoRoot,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    // A \`pnpm start\` running in the checkout (./data) is not what a test means when it leaves a setting out.
    env: { ...process.env, STRATUM_DATA_DIR: join(repoRoot, 'no-such-data-dir'), ...env },
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exit, out: () => stdout, err: () => stderr };
}

/** Runs `stratum <args>` to completion. */
export async function runCli(args: string[], env: Record<string, string> = {}, options: CliOptions = {}): Promise<{ code: number | null; out: string; err: string }> {
  const p = startCli(args, env, options);
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
