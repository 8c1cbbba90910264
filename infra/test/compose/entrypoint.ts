/**
 * Runs docker/entrypoint.sh as the image does (`/bin/sh /app/docker/entrypoint.sh <args>`), with a
 * stand-in `node` first on PATH that records how it was called instead of starting anything: the
 * working directory, the arguments, and its pid — equal to the shell's when the entrypoint
 * `exec`s node, which is what lets `docker stop`'s SIGTERM reach node instead of the shell.
 * `FAKE_NODE_FAIL_ON: word` in `env` makes the calls with that argument fail (exit 3).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NodeCall {
  readonly cwd: string;
  readonly args: readonly string[];
  readonly pid: number;
}

export interface EntrypointRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The entrypoint shell's pid. */
  readonly pid: number;
  /** Every `node` it started, in order. */
  readonly calls: readonly NodeCall[];
}

// Records the call; exits 3 instead of 0 when FAKE_NODE_FAIL_ON is one of its arguments.
const RECORDER = [
  "require('node:fs').appendFileSync(process.env.FAKE_NODE_LOG, JSON.stringify({ cwd: process.cwd(), args: process.argv.slice(1), pid: process.pid }) + '\\n');",
  'if (process.argv.slice(1).includes(process.env.FAKE_NODE_FAIL_ON)) process.exit(3);',
].join(' ');

export async function runEntrypoint(root: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<EntrypointRun> {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-entrypoint-'));
  try {
    const log = join(dir, 'calls.jsonl');
    writeFileSync(log, '');
    // `exec` all the way down, so the recorder runs in the process the entrypoint started as `node`.
    writeFileSync(join(dir, 'node'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} -e ${JSON.stringify(RECORDER)} -- "$@"\n`);
    chmodSync(join(dir, 'node'), 0o755);
    const child = spawn('/bin/sh', [join(root, 'docker', 'entrypoint.sh'), ...args], {
      cwd: tmpdir(),
      env: { PATH: `${dir}:${process.env.PATH ?? ''}`, FAKE_NODE_LOG: log, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const calls = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as NodeCall);
    return { code, stdout, stderr, pid: child.pid!, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
