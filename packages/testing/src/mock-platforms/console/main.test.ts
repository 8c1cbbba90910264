/** The console as the process `pnpm start --mock-destinations` supervises: one ready line with its URLs, a clean exit on SIGTERM. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

it('prints one ready line with every URL, serves the console, and exits 0 on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'main.ts')], { env: { PATH: process.env.PATH ?? '', MOCK_DESTINATIONS_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ready = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    void exited.then((code) => reject(new Error(`exited ${code} before it was ready: ${err}`)));
  });
  expect(ready).toMatch(/^mock destinations ready: console http:\/\/127\.0\.0\.1:\d+ {2}webhook http:\/\/127\.0\.0\.1:\d+ {2}meta \S+ {2}ga4 \S+ {2}tiktok \S+$/);
  const consoleUrl = /console (\S+)/.exec(ready)![1]!;
  expect((await fetch(consoleUrl)).status).toBe(200);
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 30_000);
