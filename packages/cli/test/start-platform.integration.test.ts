/**
 * `stratum start` with the pipeline services: embedded PostgreSQL migrated, a demo tenant whose
 * write key the banner prints (again on the next run), the gateway taking a curl-style event that
 * ingest validates, a person file imported with the banner's command and no connection flags, and
 * Ctrl-C stopping every child.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort } from '@stratum/testing';
import { runCli, startCli, until, type CliProcess } from './cli-process';

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'stratum-cli-platform-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Ports {
  gateway: number;
  postgres: number;
  ingest: number;
  dedup: number;
  identity: number;
  delivery: number;
  retry: number;
  profileApi: number;
}

async function up(ports: Ports): Promise<{ p: CliProcess; writeKey: string; adminKey: string | null }> {
  const p = startCli(
    // Every port a free one: the delivery and retry metrics default to 9468 and 9469, which another test run on this machine may hold.
    ['start', '--port', '0', '--registry-port', '0', '--data-dir', dataDir, '--gateway-port', String(ports.gateway), '--postgres-port', String(ports.postgres), '--ingest-metrics-port', String(ports.ingest), '--dedup-metrics-port', String(ports.dedup), '--identity-metrics-port', String(ports.identity), '--delivery-metrics-port', String(ports.delivery), '--retry-metrics-port', String(ports.retry), '--profile-api-port', String(ports.profileApi)],
    { DATABASE_URL: '' },
  );
  await until(() => /Ctrl-C stops everything/.test(p.out()) || p.child.exitCode !== null, 120_000, 'the banner');
  const writeKey = /write key (wk_\S+)/.exec(p.out())?.[1];
  if (!writeKey) throw new Error(`no write key in the banner: ${p.out()} ${p.err()}`);
  return { p, writeKey, adminKey: /admin key (sk_\S+)/.exec(p.out())?.[1] ?? null };
}

async function stop(p: CliProcess): Promise<void> {
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);
}

async function metricReaches(url: string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pattern.test(await (await fetch(url)).text())) {
    if (Date.now() > deadline) throw new Error(`${url} did not show ${pattern} within 30 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('runs gateway, ingest, dedup, identity resolution and the profile API on embedded PostgreSQL; the demo write key works and survives a restart', async () => {
  const ports: Ports = {
    gateway: await closedPort(),
    postgres: await closedPort(),
    ingest: await closedPort(),
    dedup: await closedPort(),
    identity: await closedPort(),
    delivery: await closedPort(),
    retry: await closedPort(),
    profileApi: await closedPort(),
  };
  const first = await up(ports);
  try {
    expect(first.p.out()).toMatch(new RegExp(`Gateway \\(Segment API\\)\\s+http://127.0.0.1:${ports.gateway}`));
    // The same event twice (an SDK retry): ingest validates both, dedup lets one through.
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`http://127.0.0.1:${ports.gateway}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${first.writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'user-1', event: 'Order Completed', properties: { total: 42 }, messageId: 'start-test-1' }),
      });
      expect(res.status).toBe(200);
    }
    await metricReaches(`http://127.0.0.1:${ports.ingest}/metrics`, /stratum_stage_records_out_total\{stage="ingest",output="valid",outcome="ok",reason=""\} 2/);
    await metricReaches(`http://127.0.0.1:${ports.dedup}/metrics`, /stratum_stage_records_out_total\{stage="dedup",output="",outcome="drop",reason="duplicate_in_(chunk|window)"\} 1/);
    expect(await (await fetch(`http://127.0.0.1:${ports.dedup}/metrics`)).text()).toMatch(/stratum_stage_records_out_total\{stage="dedup",output="unique",outcome="ok",reason=""\} 1/);
    // ...and identity resolution put it on a new profile.
    await metricReaches(`http://127.0.0.1:${ports.identity}/metrics`, /stratum_identity_profiles_created_total 1/);
    // The profile API shows the golden record to the demo tenant's admin key, and nobody else.
    const lookup = `http://127.0.0.1:${ports.profileApi}/v1/profiles?identifier=user_id:user-1`;
    expect((await fetch(lookup)).status).toBe(401);
    const profiles = (await (await fetch(lookup, { headers: { authorization: `Bearer ${first.adminKey}` } })).json()) as { profiles: Array<{ id: string; identifiers: unknown[] }> };
    expect(profiles.profiles).toHaveLength(1);

    // The banner's import lines, as a user pastes them: the command finds Kafka, the registry and
    // PostgreSQL from the running start (<data-dir>/platform.json), not from flags or variables.
    const importLines = first.p.out().split('\n').filter((l) => l.trim().startsWith('pnpm stratum import'));
    expect(importLines).toHaveLength(2);
    const argsOf = (line: string) => line.replace(/#.*/, '').trim().split(/\s+/).slice(2).map((a) => (a === '5000' ? '300' : a));
    const noConnection = { STRATUM_DATA_DIR: dataDir, DATABASE_URL: '', KAFKA_BROKERS: '', SCHEMA_REGISTRY_URL: '' };
    expect((await runCli(argsOf(importLines[0]!), noConnection)).code).toBe(0);
    const imported = await runCli([...argsOf(importLines[1]!), '--no-progress'], noConnection);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.out) as { rowsRead: number; accepted: number; resolution: { complete: boolean } | null; matched: number | null; newProfiles: number | null };
    expect(report).toMatchObject({ rowsRead: 300, resolution: { complete: true } });
    expect(report.accepted).toBeGreaterThan(290);
    expect(report.matched! + report.newProfiles!).toBe(report.accepted);
  } finally {
    await stop(first.p);
  }
  // Stopped: the file is gone, and a command without flags says where else the settings come from.
  expect(existsSync(join(dataDir, 'platform.json'))).toBe(false);
  const orphan = await runCli(['tenant', 'list'], { STRATUM_DATA_DIR: dataDir, DATABASE_URL: '' });
  expect(orphan.code).toBe(2);
  expect(orphan.err).toMatch(/no database: pass --database-url postgres:\/\/…, set DATABASE_URL, or run `pnpm start` from this directory/);
  const second = await up(ports);
  try {
    expect(second.writeKey).toBe(first.writeKey);
    expect(second.adminKey).toBe(first.adminKey);
  } finally {
    await stop(second.p);
  }
}, 300_000);
