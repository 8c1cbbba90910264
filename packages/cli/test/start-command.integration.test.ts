/** `stratum start` (`pnpm start`): the embedded default comes up with every topic and subject, survives a restart, and stops cleanly. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { topicCatalogue, valueSubject } from '@stratum/topics';
import { startCli, until, type CliProcess } from './cli-process';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-cli-start-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function up(): Promise<{ p: CliProcess; bootstrap: string; registryUrl: string }> {
  const p = startCli(['start', '--port', '0', '--registry-port', '0', '--data-dir', dataDir, '--no-services']);
  await until(() => /is up/.test(p.out()) || p.child.exitCode !== null, 30_000, 'the banner');
  const bootstrap = /Kafka \(embedded broker\)\s+(\S+)/.exec(p.out())?.[1];
  const registryUrl = /Schema registry\s+(\S+)/.exec(p.out())?.[1];
  if (!bootstrap || !registryUrl) throw new Error(`no banner: ${p.out()} ${p.err()}`);
  return { p, bootstrap, registryUrl };
}

async function stop(p: CliProcess): Promise<void> {
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
  expect(p.err()).toContain('stratum stopped cleanly on SIGTERM');
}

it('creates every catalogue topic and registers every value subject; a second run finds them and reuses the ids', async () => {
  const first = await up();
  let ids: number[];
  try {
    const admin = new Kafka({ brokers: [first.bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    expect(await admin.listTopics()).toEqual(expect.arrayContaining([...topicCatalogue.map((t) => t.name), '_schemas']));
    await admin.disconnect();
    const subjects = (await (await fetch(`${first.registryUrl}/subjects`)).json()) as string[];
    expect(subjects.sort()).toEqual(topicCatalogue.map(valueSubject).sort());
    ids = await Promise.all(topicCatalogue.map(async (t) => ((await (await fetch(`${first.registryUrl}/subjects/${valueSubject(t)}/versions/latest`)).json()) as { id: number }).id));
  } finally {
    await stop(first.p);
  }

  const second = await up();
  try {
    const again = await Promise.all(topicCatalogue.map(async (t) => ((await (await fetch(`${second.registryUrl}/subjects/${valueSubject(t)}/versions/latest`)).json()) as { id: number }).id));
    expect(again).toEqual(ids);
  } finally {
    await stop(second.p);
  }
});
