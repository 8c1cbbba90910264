/**
 * The person-import stage as it runs: src/main.ts as a real process (both stages, each in its own
 * consumer group), the embedded broker and schema registry over TCP, PostgreSQL. A live event
 * makes a profile with an email; a file's rows — duplicates with typos and missing fields, a
 * borderline pair, one row with the live profile's email — arrive on persons.import; the right
 * profiles come out, with audit rows carrying score, tier and fields, a review entry, the metrics;
 * a second consumer group reading the same rows again (re-delivery) creates nothing twice.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { type Db } from '@stratum/db';
import { exampleRecords, type PersonImport, type UniqueEvent } from '@stratum/schemas';
import { personRow } from './person-rows';
import { collectToEnd, metricsUrlFrom, produceRecords, spawnTsProcess, uniqueName, useTestStack, waitFor, type TestDatabase, type TsProcess } from '@stratum/testing';
import { useMigratedDatabase } from '@stratum/db/testing';

jest.setTimeout(180_000);
const stack = useTestStack();
const migrated = useMigratedDatabase();
let database: TestDatabase;
let db: Db;
beforeAll(() => ({ db, database } = migrated));

const TOPICS = ['unique', 'resolved', 'changes', 'audit', 'invalid', 'persons'] as const;
type Topics = Record<(typeof TOPICS)[number], string>;

async function topicsForTest(): Promise<Topics> {
  const topics = Object.fromEntries(TOPICS.map((t) => [t, uniqueName(t)])) as Topics;
  await stack.admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2 })) });
  stack.onStop(() => stack.admin.deleteTopics({ topics: Object.values(topics) }));
  return topics;
}

function start(topics: Topics, groups: { live: string; import: string }): TsProcess {
  return spawnTsProcess(join(__dirname, '..', 'src', 'main.ts'), {
    KAFKA_BROKERS: stack.brokers.join(','),
    KAFKA_CLIENT_ID: 'identity-resolution',
    SCHEMA_REGISTRY_URL: stack.registryUrl,
    SERVICE_NAME: 'identity-resolution',
    LOG_LEVEL: 'info',
    METRICS_PORT: '0',
    STAGE_GROUP_ID: groups.live,
    STAGE_BATCH_SIZE: '5',
    STAGE_SESSION_TIMEOUT_MS: '6000',
    DATABASE_URL: database.url,
    IDENTITY_INPUT_TOPIC: topics.unique,
    IDENTITY_RESOLVED_TOPIC: topics.resolved,
    IDENTITY_CHANGES_TOPIC: topics.changes,
    IDENTITY_AUDIT_TOPIC: topics.audit,
    IDENTITY_INVALID_TOPIC: topics.invalid,
    IDENTITY_IMPORT_TOPIC: topics.persons,
    IDENTITY_IMPORT_GROUP_ID: groups.import,
  });
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const TENANT = 'ten_import_stage';
const IMPORT_ID = sha('customers.csv');

function row(rowNumber: number, fields: Partial<PersonImport>): PersonImport {
  return personRow({ tenantId: TENANT, importId: IMPORT_ID, rowNumber, recordId: `r${rowNumber}`, receivedAt: Date.parse('2026-11-24T09:00:00Z') }, fields);
}

const count = async (sql: string, bindings: unknown[] = []) => Number((await db.raw<{ rows: Array<{ n: string }> }>(sql, bindings as never)).rows[0]!.n);

it('resolves a file of duplicates into profiles with audited scores, a review entry, and nothing twice on re-delivery', async () => {
  const topics = await topicsForTest();
  const liveEvent: UniqueEvent = {
    ...exampleRecords['events.unique'],
    tenantId: TENANT,
    messageId: 'live-1',
    type: 'identify',
    userId: 'user-ann',
    anonymousId: null,
    traits: JSON.stringify({ plan: 'pro' }),
    timestamp: Date.parse('2026-11-20T10:00:00Z'),
    identifiers: [
      { type: 'user_id', namespace: null, value: 'user-ann', valueHash: sha('user-ann'), path: 'userId' },
      { type: 'email', namespace: null, value: null, valueHash: sha('ann@example.com'), path: 'traits.email' },
    ],
  };
  await produceRecords(stack, { topic: topics.unique, schema: 'events.unique', records: [{ key: `${TENANT}:user-ann`, value: liveEvent }] });

  const jane = { givenName: 'Jane', familyName: 'Citizen', dateOfBirth: '1984-02-29', streetNumber: '7', addressLine1: 'wattle avenue', locality: 'hobart', postcode: '7000', region: 'tas' };
  const rows = [
    row(1, { givenName: 'Ann', familyName: 'Smith', email: 'ann@example.com' }), // exact: the live profile
    row(2, jane),
    row(3, { ...jane, familyName: 'Citizn' }), // typo
    row(4, { ...jane, addressLine1: null, streetNumber: null, locality: null }), // missing fields
    row(5, { givenName: 'Jane', familyName: 'Citizen', dateOfBirth: '1962-11-03', postcode: '2600' }), // a namesake elsewhere: review
    row(6, { givenName: 'Tom', familyName: 'Baker', phone: '+61412345678' }),
    row(7, { givenName: 'Tom', familyName: 'Baker' }), // names alone: review
    row(8, { givenName: 'Kim', familyName: 'Lee', dateOfBirth: '1999-09-09', postcode: '2000' }),
  ];
  const p = start(topics, { live: uniqueName('identity'), import: uniqueName('identity-import') });
  await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 30_000, what: 'identity-resolution to start' });
  // The file arrives after Ann's live profile exists (the two stages consume independently, so
  // produced together either could go first; row 1 is about finding the live profile).
  await waitFor(async () => (await count("SELECT count(*) AS n FROM identifiers WHERE tenant_id = ? AND type = 'email'", [TENANT])) === 1, { timeoutMs: 30_000, what: "Ann's live profile" });
  await produceRecords(stack, { topic: topics.persons, schema: 'persons.import', records: rows.map((value) => ({ key: TENANT, value })) });
  await waitFor(async () => (await count('SELECT count(*) AS n FROM person_records WHERE tenant_id = ?', [TENANT])) === rows.length, { timeoutMs: 60_000, what: 'the rows to be resolved' });
  await waitFor(async () => (await count('SELECT count(*) AS n FROM identity_outbox')) === 0, { timeoutMs: 30_000, what: 'the outbox to drain' });
  const metrics = await (await fetch(metricsUrlFrom(p.stdout())!)).text();
  p.child.kill('SIGTERM');
  expect(await p.exit).toBe(0);

  const { rows: assigned } = await db.raw<{ rows: Array<{ row_number: string; profile_id: string }> }>(
    `SELECT r.row_number, i.profile_id FROM person_records r JOIN identifiers i ON i.tenant_id = r.tenant_id AND i.type = 'external_id' AND i.namespace = 'stratum.person_record' AND i.value_hash = r.id
     WHERE r.tenant_id = ? ORDER BY r.row_number`,
    [TENANT],
  );
  const profileOf = (n: number) => assigned.find((a) => Number(a.row_number) === n)!.profile_id;
  const { rows: ann } = await db.raw<{ rows: Array<{ profile_id: string }> }>("SELECT profile_id FROM identifiers WHERE tenant_id = ? AND type = 'user_id'", [TENANT]);
  expect(profileOf(1)).toBe(ann[0]!.profile_id);
  expect(new Set([profileOf(2), profileOf(3), profileOf(4)]).size).toBe(1);
  expect(profileOf(5)).not.toBe(profileOf(2));
  expect(profileOf(7)).not.toBe(profileOf(6));
  // Ann, Jane, the other Jane, Tom ×2, Kim.
  expect(await count("SELECT count(*) AS n FROM profiles WHERE tenant_id = ? AND status = 'active'", [TENANT])).toBe(6);

  const { rows: audits } = await db.raw<{ rows: Array<{ action: string; rule: string; message_id: string; match_score: number | null; match_tier: string | null; match_fields: { agreed: string[] } | null }> }>(
    "SELECT action, rule, message_id, match_score, match_tier, match_fields FROM identity_audit WHERE tenant_id = ? AND message_id LIKE 'import:%' ORDER BY message_id",
    [TENANT],
  );
  const of = (n: number) => audits.filter((a) => a.message_id === `import:${IMPORT_ID}:${n}`);
  expect(of(1)).toEqual([expect.objectContaining({ action: 'link', rule: 'exact:email', match_tier: 'exact' })]);
  for (const n of [3, 4]) {
    expect(of(n)).toEqual([expect.objectContaining({ action: 'link', rule: 'fuzzy:fellegi_sunter', match_tier: 'strong' })]);
    expect(of(n)[0]!.match_score).toBeGreaterThanOrEqual(14);
    expect(of(n)[0]!.match_fields!.agreed).toEqual(expect.arrayContaining(['given_name', 'birth_date', 'postcode']));
  }
  const { rows: reviews } = await db.raw<{ rows: Array<{ message_id: string; reason: string; match_tier: string; match_score: number; match_fields: { agreed: string[] } }> }>(
    'SELECT message_id, reason, match_tier, match_score, match_fields FROM identity_reviews WHERE tenant_id = ? ORDER BY message_id',
    [TENANT],
  );
  expect(reviews.map((r) => r.message_id)).toEqual([`import:${IMPORT_ID}:5`, `import:${IMPORT_ID}:7`]);
  expect(reviews.every((r) => r.match_tier === 'fuzzy')).toBe(true);
  expect(reviews.every((r) => r.reason === 'fuzzy_match' && r.match_score >= 6 && r.match_fields.agreed.length > 0)).toBe(true);

  // Published through the outbox: the decisions with their provenance, the golden records.
  const published = (await collectToEnd(stack, { topic: topics.audit, schema: 'identity.audit' })).map((a) => a.value!);
  const fuzzy = published.filter((a) => a.provenance.rule === 'fuzzy:fellegi_sunter' && a.action === 'link');
  expect(fuzzy.length).toBeGreaterThanOrEqual(2);
  expect(fuzzy.every((a) => a.provenance.tier === 'strong' && a.provenance.score! >= 14 && a.provenance.agreedFields.includes('birth_date'))).toBe(true);
  const changes = await collectToEnd(stack, { topic: topics.changes, schema: 'profiles.changes' });
  const janeRecord = [...changes].reverse().find((c) => c.key === `${TENANT}:${profileOf(2)}`)!.value!;
  expect(JSON.parse(janeRecord.traits)).toMatchObject({ firstName: 'Jane', birthday: '1984-02-29', address: { postalCode: '7000' } });
  expect(metrics).toMatch(/stratum_identity_import_rows_total\{[^}]*outcome="strong"[^}]*\} 2/);
  expect(metrics).toMatch(/stratum_identity_import_reviews_total(\{[^}]*\})? 2\n/);

  // Re-delivery: a new consumer group reads every row again; nothing is created twice.
  const snapshot = async () =>
    (
      await db.raw<{ rows: Array<Record<string, string>> }>(
        `SELECT (SELECT count(*) FROM profiles) AS profiles, (SELECT count(*) FROM identifiers) AS identifiers, (SELECT count(*) FROM identity_audit) AS audits,
                (SELECT count(*) FROM identity_reviews) AS reviews, (SELECT count(*) FROM person_records) AS records, (SELECT count(*) FROM profile_events) AS events`,
      )
    ).rows[0];
  const before = await snapshot();
  const marker = row(9, { givenName: 'Zed', familyName: 'Marker', dateOfBirth: '2001-01-01' });
  await produceRecords(stack, { topic: topics.persons, schema: 'persons.import', records: [{ key: TENANT, value: marker }] });
  const again = start(topics, { live: uniqueName('identity'), import: uniqueName('identity-import') });
  await waitFor(async () => (await count('SELECT count(*) AS n FROM person_records WHERE tenant_id = ?', [TENANT])) === rows.length + 1, { timeoutMs: 60_000, what: 'the marker row' });
  again.child.kill('SIGTERM');
  expect(await again.exit).toBe(0);
  const after = await snapshot();
  expect(after).toEqual({
    ...before,
    profiles: String(Number(before!.profiles) + 1),
    identifiers: String(Number(before!.identifiers) + 1),
    records: String(Number(before!.records) + 1),
    events: String(Number(before!.events) + 1),
  });
});
