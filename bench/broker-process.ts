/** The embedded broker as its own process, for benchmarks that must not share its CPU. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '..');

// node --import tsx runs in one process (the tsx binary forks a grandchild, which would hide the
// broker's CPU time from /proc/<pid>/stat).
export const runTs = (script: string, args: string[]): ChildProcess =>
  spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });

/** Starts `stratum broker` on a free port over `dataDir`; resolves with its bootstrap address. */
export async function startBrokerProcess(dataDir: string, flush: string): Promise<{ child: ChildProcess; bootstrap: string }> {
  const child = runTs(join(repoRoot, 'packages/cli/src/main.ts'), ['broker', '--port', '0', '--data-dir', dataDir, '--flush', flush, '--log-level', 'warn']);
  const bootstrap = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const m = /listening on (\S+)/.exec(d.toString());
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  return { child, bootstrap };
}

/** Stops a broker started by startBrokerProcess and waits for it to exit. */
export async function stopBrokerProcess(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
