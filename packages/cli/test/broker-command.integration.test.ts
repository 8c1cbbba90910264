/** `stratum broker` as users run it: one line when listening, clean exit on SIGTERM, clear errors. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startCli as run, until } from './cli-process';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-cli-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('prints one line when listening, serves kafkajs, and stops cleanly on SIGTERM', async () => {
  const p = run(['broker', '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
  try {
    await until(() => /listening/.test(p.out()), 20_000);
    const lines = p.out().trim().split('\n');
    expect(lines).toHaveLength(1);
    const match = /^stratum broker listening on (127\.0\.0\.1:\d+) \(data .+, flush always\)$/.exec(lines[0]!);
    expect(match).not.toBeNull();

    const admin = new Kafka({ brokers: [match![1]!], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'cli-check', numPartitions: 2 }] });
    expect(await admin.listTopics()).toContain('cli-check');
    await admin.disconnect();
  } finally {
    p.child.kill('SIGTERM');
  }
  expect(await p.exit).toBe(0);
  expect(p.err()).toContain('stopped cleanly on SIGTERM');
  expect(existsSync(join(dataDir, '.clean_shutdown'))).toBe(true);
});

it('rejects a bad flag value with a clear message and a non-zero exit', async () => {
  const p = run(['broker', '--port', '99999', '--data-dir', dataDir]);
  expect(await p.exit).not.toBe(0);
  expect(p.err()).toMatch(/port must be an integer 0–65535, got "99999"/);
});

it('reports a port already in use instead of crashing obscurely', async () => {
  const first = run(['broker', '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
  try {
    await until(() => /listening/.test(first.out()), 20_000);
    const port = /:(\d+) /.exec(first.out())![1]!;
    const second = run(['broker', '--port', port, '--data-dir', join(dataDir, 'other')]);
    expect(await second.exit).toBe(1);
    expect(second.err()).toMatch(/EADDRINUSE/);
  } finally {
    first.child.kill('SIGTERM');
    await first.exit;
  }
});

it('refuses a data directory another broker is using', async () => {
  const first = run(['broker', '--port', '0', '--data-dir', dataDir, '--log-level', 'error']);
  try {
    await until(() => /listening/.test(first.out()), 20_000);
    const second = run(['broker', '--port', '0', '--data-dir', dataDir]);
    expect(await second.exit).toBe(1);
    expect(second.err()).toMatch(/in use by another broker \(pid \d+\)/);
  } finally {
    first.child.kill('SIGTERM');
    await first.exit;
  }
});
