/** `stratum db migrate`, `tenant`, `source`, `writekey` as operators run them: output, JSON, exit codes. */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, MIGRATIONS } from '@stratum/db';
import { withTenant } from '@stratum/identity';
import { closedPort, useTestPostgres, type TestDatabase } from '@stratum/testing';
import { runCli } from './cli-process';

const postgres = useTestPostgres();
let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await postgres.newDatabase();
  env = { DATABASE_URL: database.url };
});
afterAll(() => database.drop());

const json = <T>(out: string): T => JSON.parse(out) as T;

test('db migrate applies the history once; --status lists it', async () => {
  const first = await runCli(['db', 'migrate'], env);
  expect(first.code).toBe(0);
  expect(first.out).toMatch(/^applied {2}\d{12}_tenancy$/m);
  const again = await runCli(['db', 'migrate', '--json'], env);
  expect(again.code).toBe(0);
  expect(json<{ appliedNow: string[]; pending: string[] }>(again.out)).toMatchObject({ appliedNow: [], pending: [] });
  const status = await runCli(['db', 'migrate', '--status'], env);
  expect(status.out).toMatch(/^applied {2}\d{12}_dedup_window$/m);
  expect(status.out).toMatch(/^applied {2}\d{12}_dedup_claims$/m);
  expect(status.out).toMatch(new RegExp(`${MIGRATIONS.length} applied, 0 pending`));
});

test('tenant create prints {tenantId, sourceId, writeKey, adminKey}; the same name again creates nothing', async () => {
  const created = await runCli(['tenant', 'create', '--name', 'acme', '--json'], env);
  expect(created.code).toBe(0);
  const t = json<{ tenantId: string; sourceId: string; writeKey: string; adminKey: string; created: boolean }>(created.out);
  expect(t).toEqual({ tenantId: expect.stringMatching(/^ten_/), sourceId: expect.stringMatching(/^src_/), writeKey: expect.stringMatching(/^wk_/), adminKey: expect.stringMatching(/^sk_/), created: true });

  const again = await runCli(['tenant', 'create', '--name', 'ACME'], env);
  expect(again.code).toBe(0);
  expect(again.out).toContain(`tenantId  ${t.tenantId}  (exists: nothing created)`);
  expect(again.out).toContain('stratum writekey rotate --source');

  const list = await runCli(['tenant', 'list', '--json'], env);
  expect(json<Array<{ name: string }>>(list.out).filter((x) => x.name.toLowerCase() === 'acme')).toHaveLength(1);
});

test('source create with limits and a tracking plan file, list, update; writekey rotate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-plan-'));
  const planPath = join(dir, 'plan.json');
  writeFileSync(planPath, JSON.stringify({ mode: 'block', defaultSchemaVersion: '1.0.0', events: [{ type: 'track', name: 'Signed Up', version: '1.0.0', schema: { type: 'object' } }] }));
  await runCli(['tenant', 'create', '--name', 'globex'], env);
  const created = await runCli(['source', 'create', '--tenant', 'globex', '--name', 'ios', '--max-batch-bytes', '256KB', '--max-batch-events', '50', '--phone-region', 'de', '--tracking-plan', planPath, '--json'], env);
  expect(created.code).toBe(0);
  const s = json<{ sourceId: string; writeKey: string }>(created.out);

  const list = await runCli(['source', 'list', '--tenant', 'globex'], env);
  expect(list.code).toBe(0);
  expect(list.out).toContain(`${s.sourceId}  ios  event ≤32768 B, batch ≤262144 B / 50 events, rate 5000/s burst 10000, plan block (1 events), phone region DE`);

  const updated = await runCli(['source', 'update', '--source', s.sourceId, '--rate-limit', '0', '--disable'], env);
  expect(updated.code).toBe(0);
  expect(updated.out).toContain('ios (disabled)');
  expect(updated.out).toContain('rate unlimited');

  const rotated = await runCli(['writekey', 'rotate', '--source', s.sourceId, '--grace', '1h', '--json'], env);
  expect(rotated.code).toBe(0);
  const r = json<{ writeKey: string; previousKeys: number; previousKeysExpireAt: string }>(rotated.out);
  expect(r.writeKey).not.toBe(s.writeKey);
  expect(r.previousKeys).toBe(1);
  expect(Date.parse(r.previousKeysExpireAt) - Date.now()).toBeGreaterThan(3500_000);
});

test('--dedup-window on create and update, tenant update, and both lists show what is set where', async () => {
  const created = json<{ tenantId: string; sourceId: string }>((await runCli(['tenant', 'create', '--name', 'initech', '--dedup-window', '2h', '--json'], env)).out);
  const web = json<{ sourceId: string }>((await runCli(['source', 'create', '--tenant', 'initech', '--name', 'web', '--json'], env)).out);

  const tenantUpdate = await runCli(['tenant', 'update', '--tenant', created.tenantId, '--dedup-window', '7d', '--json'], env);
  expect(tenantUpdate.code).toBe(0);
  expect(json(tenantUpdate.out)).toEqual({ tenantId: created.tenantId, name: 'initech', piiPolicy: 'keep', dedupWindowSeconds: 604_800 });

  const tenants = await runCli(['tenant', 'list'], env);
  expect(tenants.out).toContain(`${created.tenantId}  initech  pii=keep  sources=2  dedupWindow=7d\n`);
  expect(tenants.out).toMatch(/ acme .*dedupWindow=inherit\n/);

  // The default source has its own 2h; web inherits the tenant's 7d.
  const sources = await runCli(['source', 'list', '--tenant', 'initech'], env);
  expect(sources.out).toMatch(new RegExp(`^${created.sourceId} {2}default .*, dedupWindow=2h$`, 'm'));
  expect(sources.out).toMatch(new RegExp(`^${web.sourceId} {2}web .*, dedupWindow=inherit \\(tenant 7d\\)$`, 'm'));
  const listed = json<Array<{ sourceName: string; dedupWindowSeconds: number | null; configuredDedupWindowSeconds: number | null }>>((await runCli(['source', 'list', '--tenant', 'initech', '--json'], env)).out);
  expect(listed.map((s) => [s.sourceName, s.configuredDedupWindowSeconds, s.dedupWindowSeconds])).toEqual([
    ['default', 7200, 7200],
    ['web', null, 604_800],
  ]);

  const set = await runCli(['source', 'update', '--source', web.sourceId, '--dedup-window', '90m'], env);
  expect(set.code).toBe(0);
  expect(set.out).toContain('dedupWindow=90m');
  const cleared = await runCli(['source', 'update', '--source', created.sourceId, '--dedup-window', 'default'], env);
  expect(cleared.code).toBe(0);
  expect(cleared.out).toContain('dedupWindow=inherit (tenant 7d)');

  const tenantCleared = await runCli(['tenant', 'update', '--tenant', created.tenantId, '--dedup-window', 'default'], env);
  expect(tenantCleared.code).toBe(0);
  expect(tenantCleared.out).toMatch(/^dedupWindow {2}inherit$/m);
  expect((await runCli(['source', 'list', '--tenant', 'initech'], env)).out).toMatch(new RegExp(`^${created.sourceId} .*, dedupWindow=inherit$`, 'm'));
});

test('--dedup-window refuses a bad value with exit 2 before touching the database; tenant update of an unknown tenant is 4', async () => {
  for (const [args, shown] of [
    [['tenant', 'update', '--tenant', 'ten_x', '--dedup-window', 'soon'], 'soon'],
    [['tenant', 'update', '--tenant', 'ten_x', '--dedup-window', '30s'], '30s'],
    [['source', 'create', '--tenant', 'acme', '--name', 'w', '--dedup-window', '91d'], '91d'],
    [['tenant', 'create', '--name', 'never', '--dedup-window', '1.5h'], '1.5h'],
  ] as const) {
    const bad = await runCli([...args], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain(`option '--dedup-window <duration|default>' argument '${shown}' is invalid. must be a duration from 1m to 90d (e.g. 30m, 24h, 7d) or "default", got "${shown}"`);
  }
  const tenants = json<Array<{ name: string }>>((await runCli(['tenant', 'list', '--json'], env)).out);
  expect(tenants.some((t) => t.name === 'never')).toBe(false);

  const missingFlag = await runCli(['tenant', 'update', '--tenant', 'ten_x'], env);
  expect(missingFlag.code).toBe(2);
  expect(missingFlag.err).toMatch(/required option '--dedup-window <duration\|default>' not specified/);

  const unknown = await runCli(['tenant', 'update', '--tenant', 'ten_doesnotexist0000', '--dedup-window', '1d', '--json'], env);
  expect(unknown.code).toBe(4);
  expect(json<{ error: { code: string; message: string } }>(unknown.out).error).toEqual({ code: 'not_found', message: 'no tenant with id "ten_doesnotexist0000"' });
});

test('errors: clear messages and exit codes 2 (invalid), 3 (unreachable), 4 (not found)', async () => {
  const invalid = await runCli(['tenant', 'create', '--name', 'x', '--max-batch-events', '0'], env);
  expect(invalid.code).toBe(2);
  expect(invalid.err).toMatch(/maxBatchEvents must be an integer of at least 1, got 0/);

  const badFlag = await runCli(['source', 'create', '--tenant', 'acme', '--name', 'w', '--max-event-bytes', 'lots'], env);
  expect(badFlag.code).toBe(2);
  expect(badFlag.err).toMatch(/must be a size such as 32768, 32KB or 1MB, got "lots"/);

  const missing = await runCli(['source', 'list', '--tenant', 'nobody', '--json'], env);
  expect(missing.code).toBe(4);
  expect(json<{ error: { code: string } }>(missing.out).error.code).toBe('not_found');

  const port = await closedPort();
  const down = await runCli(['tenant', 'list'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` });
  expect(down.code).toBe(3);
  expect(down.err).toMatch(/PostgreSQL is unreachable/);

  const none = await runCli(['tenant', 'list'], { DATABASE_URL: '' });
  expect(none.code).toBe(2);
  expect(none.err).toMatch(/pass --database-url/);
});

test('identity settings: shows the defaults, replaces the document, refuses a bad one with every problem (exit 2), unknown tenant 4', async () => {
  const tenant = await runCli(['tenant', 'create', '--name', 'identity-co', '--json'], env);
  const { tenantId } = json<{ tenantId: string }>(tenant.out);
  const shown = await runCli(['identity', 'settings', '--tenant', 'identity-co', '--json'], env);
  expect(shown.code).toBe(0);
  expect(json<{ limits: Record<string, number> }>(shown.out).limits).toEqual({ user_id: 1, email: 5, phone: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'identity-settings-'));
  writeFileSync(join(dir, 'good.json'), JSON.stringify({ limits: { email: 2 }, anomaly: { maxProfiles: 3 } }));
  const set = await runCli(['identity', 'settings', '--tenant', tenantId, '--set', join(dir, 'good.json'), '--json'], env);
  expect(set.code).toBe(0);
  expect(json<{ limits: Record<string, number>; anomaly: { maxProfiles: number; windowSeconds: number } }>(set.out)).toMatchObject({ limits: { email: 2 }, anomaly: { maxProfiles: 3, windowSeconds: 86400 } });
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ limits: { emial: 2 }, survivorship: { defaultRule: 'newest' } }));
  const bad = await runCli(['identity', 'settings', '--tenant', tenantId, '--set', join(dir, 'bad.json')], env);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/limits\.emial: not an identifier type.*survivorship\.defaultRule must be one of/);
  expect((await runCli(['identity', 'settings', '--tenant', 'nobody'], env)).code).toBe(4);
});

test('identity reviews lists the queue; review approve merges the pair, reject closes one; decided or unknown entries are refused', async () => {
  const tenant = await runCli(['tenant', 'create', '--name', 'review-co', '--json'], env);
  const { tenantId } = json<{ tenantId: string }>(tenant.out);
  const db = createDb(database.url);
  try {
    await withTenant(db, tenantId, async (trx) => {
      const profile = (id: string, first: string) => ({ tenant_id: tenantId, id, first_seen_at: first, last_seen_at: first });
      await trx('profiles').insert([profile('prf_a', '2026-11-01T00:00:00Z'), profile('prf_b', '2026-11-02T00:00:00Z'), profile('prf_c', '2026-11-03T00:00:00Z')]);
      const identifier = (hash: string, profileId: string) => ({ tenant_id: tenantId, type: 'external_id', namespace: 'stratum.person_record', value_hash: hash, profile_id: profileId, origin_profile_id: profileId, first_seen_at: '2026-11-01T00:00:00Z' });
      await trx('identifiers').insert([identifier('aa', 'prf_a'), identifier('bb', 'prf_b'), identifier('cc', 'prf_c')]);
      const review = (id: string, key: string, candidates: string[], at: string) => ({ tenant_id: tenantId, id, identifier_key: `external_id:stratum.person_record:${key}`, candidate_profile_ids: candidates, reason: 'fuzzy_match', created_at: at, match_score: 8.25, match_tier: 'fuzzy' });
      await trx('identity_reviews').insert([review('rv_1', 'aa', ['prf_b', 'prf_a'], '2026-11-20T00:00:00Z'), review('rv_2', 'cc', ['prf_b', 'prf_c'], '2026-11-21T00:00:00Z')]);
    });
  } finally {
    await db.destroy();
  }
  const listed = await runCli(['identity', 'reviews', '--tenant', 'review-co'], env);
  expect(listed.code).toBe(0);
  expect(listed.out.split('\n')[0]).toMatch(/^id\s+reason\s+score\s+profiles now\s+created$/);
  expect(listed.out).toMatch(/rv_2\s+fuzzy_match\s+8\.3 fuzzy\s+prf_b \+ prf_c/);
  const approved = await runCli(['identity', 'review', 'approve', 'rv_1', '--tenant', tenantId, '--reason', 'same person', '--json'], env);
  expect(approved.code).toBe(0);
  expect(json<{ status: string; profileId: string; mergedProfileIds: string[] }>(approved.out)).toMatchObject({ status: 'approved', profileId: 'prf_a', mergedProfileIds: ['prf_b'] });
  // rv_2 named prf_b, merged away now: it answers for its survivor.
  const after = json<{ reviews: Array<{ id: string; currentProfileIds: string[] }> }>((await runCli(['identity', 'reviews', '--tenant', tenantId, '--json'], env)).out);
  expect(after.reviews).toEqual([expect.objectContaining({ id: 'rv_2', currentProfileIds: ['prf_a', 'prf_c'] })]);
  const rejected = await runCli(['identity', 'review', 'reject', 'rv_2', '--tenant', tenantId], env);
  expect([rejected.code, rejected.out]).toEqual([0, expect.stringMatching(/^review\s+rv_2\nstatus\s+rejected\n/)]);
  const again = await runCli(['identity', 'review', 'approve', 'rv_2', '--tenant', tenantId], env);
  expect([again.code, again.err]).toEqual([1, expect.stringMatching(/rv_2 was rejected already/)]);
  expect((await runCli(['identity', 'review', 'reject', 'rv_nope', '--tenant', tenantId], env)).code).toBe(4);
  expect((await runCli(['identity', 'reviews', '--tenant', tenantId, '--status', 'done'], env)).code).toBe(2);
  const decided = await runCli(['identity', 'reviews', '--tenant', tenantId, '--status', 'approved'], env);
  expect(decided.out).toMatch(/rv_1\s+fuzzy_match\s+8\.3 fuzzy\s+prf_a \(one profile already\)/);
});

test('review approve-all / reject-all decide the open entries a reason and score range name, oldest first, each as one decision', async () => {
  const tenant = await runCli(['tenant', 'create', '--name', 'bulk-review-co', '--json'], env);
  const { tenantId } = json<{ tenantId: string }>(tenant.out);
  const db = createDb(database.url);
  // Five pairs of profiles, p0+p1 … p8+p9; one entry per pair, scoring 7, 9, 11 and 13, and an
  // anomaly-guard entry scoring 13; and a scoreless entry about p2+p3 again, which the approval of
  // rv_1 settles (one profile then).
  try {
    await withTenant(db, tenantId, async (trx) => {
      const ids = Array.from({ length: 10 }, (_, i) => `prf_${i}`);
      await trx('profiles').insert(ids.map((id, i) => ({ tenant_id: tenantId, id, first_seen_at: `2026-11-0${i % 9 + 1}T00:00:00Z`, last_seen_at: '2026-11-10T00:00:00Z' })));
      await trx('identifiers').insert(ids.map((id, i) => ({ tenant_id: tenantId, type: 'external_id', namespace: 'stratum.person_record', value_hash: `h${i}`, profile_id: id, origin_profile_id: id, first_seen_at: '2026-11-01T00:00:00Z' })));
      const entry = (n: number, score: number, reason = 'fuzzy_match') => ({
        tenant_id: tenantId,
        id: `rv_${n}`,
        identifier_key: `external_id:stratum.person_record:h${2 * n}`,
        candidate_profile_ids: [`prf_${2 * n}`, `prf_${2 * n + 1}`],
        reason,
        created_at: `2026-11-2${n}T00:00:00Z`,
        match_score: score,
        match_tier: 'fuzzy',
      });
      await trx('identity_reviews').insert([entry(0, 7), entry(1, 9), entry(2, 11), entry(3, 13), entry(4, 13, 'anomaly_guard'), { ...entry(1, 0), id: 'rv_5', created_at: '2026-11-25T00:00:00Z', match_score: null, match_tier: null }]);
    });
  } finally {
    await db.destroy();
  }
  const bulk = (...args: string[]) => runCli(['identity', 'review', ...args, '--tenant', tenantId, '--json'], env);

  // Nothing named: refused, nothing decided.
  const unnamed = await bulk('approve-all');
  expect([unnamed.code, json<{ error: { code: string } }>(unnamed.out).error.code]).toEqual([2, 'review_selection_missing']);
  // The list and the bulk command take the same selection.
  const listed = json<{ reviews: Array<{ id: string }> }>((await runCli(['identity', 'reviews', '--tenant', tenantId, '--reason', 'fuzzy_match', '--min-score', '9', '--json'], env)).out);
  expect(listed.reviews.map((r) => r.id)).toEqual(['rv_3', 'rv_2', 'rv_1']);
  const dry = await bulk('approve-all', '--reason', 'fuzzy_match', '--min-score', '9', '--dry-run');
  expect(json(dry.out)).toMatchObject({ action: 'approve', dryRun: true, selected: 3, decided: 0, reviewIds: ['rv_1', 'rv_2', 'rv_3'] });

  const approved = await bulk('approve-all', '--reason', 'fuzzy_match', '--min-score', '9', '--limit', '2', '--note', 'checked a sample');
  expect(approved.code).toBe(0);
  expect(json(approved.out)).toMatchObject({ selected: 2, decided: 2, profilesMerged: 2, decidedMeanwhile: 0, reviewIds: ['rv_1', 'rv_2'] });
  const rest = await bulk('approve-all', '--reason', 'fuzzy_match', '--min-score', '9');
  expect(json(rest.out)).toMatchObject({ selected: 1, decided: 1, reviewIds: ['rv_3'] });
  const rejected = await bulk('reject-all', '--max-score', '9');
  expect(json(rejected.out)).toMatchObject({ action: 'reject', selected: 1, decided: 1, profilesMerged: 0, reviewIds: ['rv_0'] });
  const settled = json<{ reviews: Array<{ id: string; currentProfileIds: string[] }> }>((await runCli(['identity', 'reviews', '--tenant', tenantId, '--settled', '--json'], env)).out);
  expect(settled.reviews).toEqual([expect.objectContaining({ id: 'rv_5', currentProfileIds: ['prf_2'] })]);
  const closed = await bulk('approve-all', '--settled');
  expect(json(closed.out)).toMatchObject({ selected: 1, decided: 1, profilesMerged: 0, reviewIds: ['rv_5'] });

  // Each was decided as one `review approve` / `reject`: merged pairs, audits with the note, the anomaly-guard entry left open.
  const check = createDb(database.url);
  try {
    await withTenant(check, tenantId, async (trx) => {
      const merged = await trx('profiles').whereNotNull('merged_into').orderBy('id').select('id', 'merged_into');
      expect(merged.map((p: { id: string; merged_into: string }) => [p.id, p.merged_into])).toEqual([
        ['prf_3', 'prf_2'],
        ['prf_5', 'prf_4'],
        ['prf_7', 'prf_6'],
      ]);
      const audits = await trx('identity_audit').whereIn('action', ['merge', 'reject']).orderBy('occurred_at').select('action', 'reason');
      expect(audits).toHaveLength(5);
      expect(audits.filter((a: { reason: string | null }) => a.reason === 'checked a sample')).toHaveLength(2);
      const open = await trx('identity_reviews').where({ status: 'open' }).pluck('id');
      expect(open).toEqual(['rv_4']);
    });
  } finally {
    await check.destroy();
  }
  const human = await runCli(['identity', 'review', 'reject-all', '--tenant', tenantId, '--reason', 'fuzzy_match'], env);
  expect([human.code, human.out]).toEqual([0, expect.stringMatching(/^selected\s+0\nrejected\s+0\ndecided meanwhile\s+0\n$/)]);
});
