/** Runs the broker as a real child process (`stratum broker`), so tests can kill -9 it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'packages', 'cli', 'src', 'main.ts');

export interface BrokerProcess {
  child: ChildProcess;
  port: number;
  bootstrap: string;
  /** Resolves with the exit code or signal once the process has gone. */
  exited: Promise<number | string | null>;
}

/** Starts `stratum broker` and resolves once it prints its listening line. */
export function spawnBroker(dataDir: string, port = 0, flush: 'always' | 'os' = 'always'): Promise<BrokerProcess> {
  // node --import tsx, not the tsx binary: tsx runs the program in a grandchild process, and
  // kill -9 must hit the process that owns the log.
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'broker', '--port', String(port), '--data-dir', dataDir, '--flush', flush, '--log-level', 'error'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: root,
  });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+):(\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[2]), bootstrap: `${m[1]}:${m[2]}`, exited });
    });
    void exited.then((code) => reject(new Error(`broker exited (${code}) before listening: ${stderr}`)));
  });
}
