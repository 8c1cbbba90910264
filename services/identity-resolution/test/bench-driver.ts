/**
 * The resolver side of `pnpm bench identity` (bench/identity/identity.ts runs this as a child
 * process: bench code may not import a service). No Kafka: the resolver is measured directly,
 * since that is where the golden-record upserts happen.
 *
 * 1. A fresh PostgreSQL database (`stratum_test_<hex>` via the test harness, migrated; dropped at the end,
 *    also on failure and SIGINT/SIGTERM).
 * 2. A warm graph for one tenant, loaded in bulk (not through the resolver: json_to_recordset
 *    inserts inside withTenant, as the app role under row-level security, 5,000 people per
 *    transaction): BENCH_PEOPLE people, 60% identified (userId, one or two anonymousIds, 70% an
 *    email; three golden traits with their profile_traits rows; an edge per linked identifier; a
 *    link audit) and 40% anonymous (one anonymousId); 30% of the identified absorbed an anonymous
 *    profile earlier (a merged profile row and a merge audit, spread over the last 30 days); one
 *    archived event per person. Then VACUUM ANALYZE.
 * 3. Per round and writer count (BENCH_WRITERS, "1,2"): a fresh stream of BENCH_EVENTS events
 *    from a seeded generator that tracks the graph, with the issue's mix: 70% a known person
 *    (anonymousId, plus the userId when identified; 15% of those are identify calls with traits),
 *    20% a new person (a new anonymousId), 10% a link or merge (half a login: the userId of a
 *    known identified person with the anonymousId of a known anonymous one → merge; half a link:
 *    a new email or a new device on a known user). Events are split between the writers by their
 *    events.unique key (tenantId:anonymousId│userId) as two instances owning different partitions
 *    would be, then cut into chunks of BENCH_CHUNK (500). Each writer is a loop over its chunks
 *    with its own resolver and pool (createResolver({ db, settingsFor, partitions, newProfileId }),
 *    as main.ts builds it); both run at once. Resolved events/s = events ÷ wall time of the run.
 * 4. The baseline, right after, over the same chunks with the same writers: the rows the resolver
 *    wrote for them (each event's archive row; one upsert per profile row the chunk wrote — the
 *    surviving golden records and the merged-away profiles; the new identifiers), written with
 *    `INSERT … SELECT … FROM unnest(…)` (profiles: ON CONFLICT DO UPDATE), rows in key order (two
 *    writers' batched upserts deadlock otherwise; a deadlock is redone, as the resolver does), one
 *    transaction per chunk, no locking, no planning, into plain tables in the schema `bench_raw` (created here,
 *    not by a migration: LIKE the real ones including their keys and indexes, no row-level
 *    security, no trigger, no foreign key; filled with a copy of the prefilled rows so their
 *    indexes are as big).
 * 5. Profile look-ups: BENCH_LOOKUPS (2,000) random identifiers of known people, one after the
 *    other, each `withTenant(identifiers → profiles row with traits)`; and the same followed by
 *    what a profile view reads (its identifiers, current consents, merged ids). p50/p99 in ms.
 *
 * Every statement is timed from the client (pg's Client#query, wrapped here: BEGIN and COMMIT
 * included), per writer; what a chunk spends outside them is the resolver's own JavaScript
 * (planning, JSON) and waiting for the event loop. CPU of this process and of the PostgreSQL
 * server's processes (the postmaster of the bench connection and its children) comes from /proc.
 * Prints one `RESULT <json>` line on stdout, progress on stderr.
 *
 * Environment: BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/postgres), BENCH_PEOPLE
 * (200000), BENCH_EVENTS (40000 per run), BENCH_ROUNDS (3), BENCH_WRITERS ("1,2"), BENCH_CHUNK
 * (500), BENCH_LOOKUPS (2000). For analysis only: BENCH_EXPLAIN_FILE (a path): after the
 * measured runs, 4 more chunks are resolved on a connection with auto_explain (analyze, buffers,
 * every statement) and the plans are written there, followed by EXPLAIN ANALYZE of the anomaly
 * guard's statement for each chunk as store.ts sends it and with only the merge-linking keys; BENCH_SKIP_BASELINE=1; BENCH_WHATIF_INDEXES=1
 * adds two indexes on identity_audit after the prefill that no migration has ((tenant_id,
 * message_id) for the chunk's audit read-back; (tenant_id, occurred_at) WHERE action = 'merge' for
 * the anomaly guard's recent-merge count), to measure what they would change.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Knex } from 'knex';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import { identifierKey, newProfileId, refOf, withTenant } from '@stratum/identity';
import { exampleRecords, type Identifier, type UniqueEvent } from '@stratum/schemas';
import { startTestPostgres } from '@stratum/testing';
import { identitySettingsCache } from '../src/identity-settings-cache';
import { archivePartitions } from '../src/resolve/archive-partitions';
import { archivePayloadOf, createResolver, type TenantResolution } from '../src/resolve/resolver';

const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const DATABASE_URL = env('BENCH_DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/postgres');
const PEOPLE = Number(env('BENCH_PEOPLE', '200000'));
const EVENTS = Number(env('BENCH_EVENTS', '40000'));
const ROUNDS = Number(env('BENCH_ROUNDS', '3'));
const WRITERS = env('BENCH_WRITERS', '1,2').split(',').map(Number);
const CHUNK = Number(env('BENCH_CHUNK', '500'));
const LOOKUPS = Number(env('BENCH_LOOKUPS', '2000'));
const EXPLAIN_FILE = process.env.BENCH_EXPLAIN_FILE;
const SKIP_BASELINE = process.env.BENCH_SKIP_BASELINE === '1';
/** What-if (analysis only; not in any migration): indexes on identity_audit for the resolver's two audit reads. */
const WHATIF_INDEXES = process.env.BENCH_WHATIF_INDEXES === '1';
const profiling = process.execArgv.some((a) => a.startsWith('--cpu-prof'));

/** The mix (the issue): known person, new person, then link or merge. */
const MIX = { known: 0.7, new: 0.2, linkOrMerge: 0.1 };
const PREFILL = { identified: 0.6, secondAnon: 0.4, email: 0.7, mergedBefore: 0.3, batch: 5_000 };
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 20, 8, 0, 0);

const log = (line: string) => process.stderr.write(`${line}\n`);
const example = exampleRecords['events.unique'];
const TENANT = example.tenantId;
const SOURCE = example.sourceId;
const stamp = Date.now();
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** mulberry32: a small seeded generator, so every run resolves the same streams. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const random = seeded(20261125);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// ---------------------------------------------------------------------------------------------
// The people, as the generator knows them (what the graph holds once the events are resolved).

interface Person {
  userId: string | null;
  anonIds: string[];
  emails: string[];
  /** Absorbed by a login of another person (index). */
  mergedInto: number | null;
}

const people: Person[] = [];
/** Indices of identified people (never merged away: a login merges an anonymous person into them). */
const identified: number[] = [];
/** Indices of anonymous people not merged yet (a login takes one out). */
const anonymous: number[] = [];
let anonCounter = 0;
let emailCounter = 0;
const newAnonId = () => {
  const n = anonCounter++;
  const h = sha(`anon-${n}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const newEmail = () => `person.${emailCounter++}@example.com`;

const identifier = {
  user: (v: string): Identifier => ({ type: 'user_id', namespace: null, value: v, valueHash: sha(v), path: 'userId' }),
  anon: (v: string): Identifier => ({ type: 'anonymous_id', namespace: null, value: v, valueHash: sha(v), path: 'anonymousId' }),
  email: (v: string): Identifier => ({ type: 'email', namespace: null, value: null, valueHash: sha(v.toLowerCase()), path: 'traits.email' }),
};
const keyOf = (id: Identifier) => identifierKey(refOf(id));

const PLANS = ['free', 'starter', 'pro', 'team', 'enterprise'];
const CITIES = ['Oslo', 'Berlin', 'Lyon', 'Porto', 'Austin', 'Osaka', 'Lagos', 'Lima'];
const traitsNow = () => ({ plan: pick(PLANS), city: pick(CITIES), score: Math.floor(random() * 1000) });

// ---------------------------------------------------------------------------------------------
// The event stream.

type Kind = 'known' | 'new' | 'merge' | 'link_email' | 'link_device';
let clock = T0;
let messageCounter = 0;

function eventOf(who: { userId?: string | null; anonymousId: string; email?: string }, traits: Record<string, unknown> | null, kind: Kind): UniqueEvent {
  const identifiers: Identifier[] = [];
  if (who.userId) identifiers.push(identifier.user(who.userId));
  identifiers.push(identifier.anon(who.anonymousId));
  if (who.email) identifiers.push(identifier.email(who.email));
  const type: UniqueEvent['type'] = traits ? 'identify' : random() < 0.7 ? 'track' : 'page';
  clock += 10;
  return {
    ...example,
    messageId: `bench-${stamp}-${kind}-${messageCounter++}`,
    type,
    event: type === 'track' ? pick(['Product Viewed', 'Order Completed', 'Signed In', 'Cart Viewed']) : null,
    name: type === 'page' ? pick(['Home', 'Pricing', 'Checkout']) : null,
    userId: who.userId ?? null,
    anonymousId: who.anonymousId,
    traits: JSON.stringify(traits ? { ...traits, ...(who.email ? { email: who.email } : {}) } : {}),
    timestamp: clock,
    originalTimestamp: clock - 70,
    sentAt: clock + 110,
    receivedAt: clock + 180,
    dedupedAt: clock + 190,
    identifiers,
  };
}

/** A live person at random (70% of the stream). */
function knownEvent(): UniqueEvent {
  for (;;) {
    const i = Math.floor(random() * people.length);
    const p = people[i]!;
    if (p.mergedInto !== null) continue;
    const anonymousId = pick(p.anonIds);
    if (p.userId === null) return eventOf({ anonymousId }, null, 'known');
    return eventOf({ userId: p.userId, anonymousId }, random() < 0.15 ? traitsNow() : null, 'known');
  }
}

function newEvent(): UniqueEvent {
  const anonymousId = newAnonId();
  anonymous.push(people.length);
  people.push({ userId: null, anonIds: [anonymousId], emails: [], mergedInto: null });
  return eventOf({ anonymousId }, null, 'new');
}

/** A login: a known user on a known anonymous browser → the anonymous profile merges in. */
function mergeEvent(): UniqueEvent | null {
  if (anonymous.length === 0) return null;
  const at = Math.floor(random() * anonymous.length);
  const a = anonymous[at]!;
  anonymous[at] = anonymous[anonymous.length - 1]!;
  anonymous.pop();
  const u = pick(identified);
  const user = people[u]!;
  const anon = people[a]!;
  anon.mergedInto = u;
  const anonymousId = anon.anonIds[0]!;
  user.anonIds.push(...anon.anonIds);
  return eventOf({ userId: user.userId, anonymousId }, random() < 0.5 ? traitsNow() : null, 'merge');
}

/** A known user adds an email (identify) or signs in on a new device: a new identifier links. */
function linkEvent(): UniqueEvent {
  const user = people[pick(identified)]!;
  if (random() < 0.5 && user.emails.length < 4) {
    const email = newEmail();
    user.emails.push(email);
    return eventOf({ userId: user.userId, anonymousId: pick(user.anonIds), email }, traitsNow(), 'link_email');
  }
  const anonymousId = newAnonId();
  user.anonIds.push(anonymousId);
  return eventOf({ userId: user.userId, anonymousId }, null, 'link_device');
}

function generateStream(count: number): UniqueEvent[] {
  const events: UniqueEvent[] = [];
  while (events.length < count) {
    const r = random();
    if (r < MIX.known) events.push(knownEvent());
    else if (r < MIX.known + MIX.new) events.push(newEvent());
    else if (r < MIX.known + MIX.new + MIX.linkOrMerge / 2) events.push(mergeEvent() ?? linkEvent());
    else events.push(linkEvent());
  }
  return events;
}

/** FNV-1a of the events.unique key: which writer (instance) owns the event's partition. */
function writerOf(e: UniqueEvent, writers: number): number {
  const key = `${e.tenantId}:${e.anonymousId ?? e.userId ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % writers;
}

function chunksFor(events: readonly UniqueEvent[], writers: number): UniqueEvent[][][] {
  const streams: UniqueEvent[][] = Array.from({ length: writers }, () => []);
  for (const e of events) streams[writerOf(e, writers)]!.push(e);
  return streams.map((s) => Array.from({ length: Math.ceil(s.length / CHUNK) }, (_, i) => s.slice(i * CHUNK, (i + 1) * CHUNK)));
}

// ---------------------------------------------------------------------------------------------
// Statement timing from the client: pg's Client#query (what knex calls, BEGIN and COMMIT too),
// tallied per pool by its application_name.

interface StatementStat {
  n: number;
  ms: number;
}
type Tally = Map<string, StatementStat>;
const tallies = new Map<string, Tally>();
const notices: string[] = [];
let errorsByCode: Record<string, number> = {};

/** A short name for a statement: verb, table, and what tells statements on the same table apart. */
function labelOf(sql: string): string {
  const s = sql
    .replace(/\s+/g, ' ')
    .replace(/extract\(epoch FROM [^)]*\)/gi, '')
    .trim();
  const head = /^(\w+)/.exec(s)?.[1]?.toUpperCase() ?? '?';
  if (['BEGIN', 'COMMIT', 'ROLLBACK', 'SET'].includes(head)) return head === 'SET' ? `SET ${/^SET (LOCAL )?(\w+)/i.exec(s)?.[2] ?? ''}` : head;
  if (/set_config\('stratum\.tenant_id'/i.test(s)) return 'SELECT set_config(tenant)';
  if (head === 'INSERT') return `INSERT ${/^INSERT INTO ([\w.]+)/i.exec(s)?.[1] ?? '?'}`;
  if (head === 'UPDATE') {
    const m = /^UPDATE ([\w.]+) \w+ SET (\w+)/i.exec(s);
    return `UPDATE ${m?.[1] ?? '?'} SET ${m?.[2] ?? '?'}`;
  }
  if (head === 'DELETE') return `DELETE ${/^DELETE FROM ([\w.]+)/i.exec(s)?.[1] ?? '?'}`;
  if (head === 'SELECT') {
    const table = /\bFROM "?([\w.]+)/i.exec(s)?.[1] ?? '?';
    const what = /FOR UPDATE/i.test(s) ? ' FOR UPDATE' : /row_number\(\)/i.test(s) ? ' newest 50' : /DISTINCT ON/i.test(s) ? ' current' : /GROUP BY/i.test(s) ? ' counts' : '';
    return `SELECT ${table}${what}`;
  }
  return s.slice(0, 40);
}

function instrumentPg(db: Db): void {
  const pg = (db.client as { driver: { Client: { prototype: Record<string, unknown> } } }).driver;
  const proto = pg.Client.prototype;
  if (proto.__benchTimed) return;
  proto.__benchTimed = true;
  const original = proto.query as (this: PgClient, config: unknown, ...rest: unknown[]) => unknown;
  interface PgClient {
    connectionParameters?: { application_name?: string };
    on(event: 'notice', listener: (msg: { message?: string }) => void): void;
    __benchNotices?: boolean;
  }
  proto.query = function (this: PgClient, config: unknown, ...rest: unknown[]) {
    const sql = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '');
    const callback = rest[rest.length - 1];
    if (typeof callback !== 'function' || !sql) return original.call(this, config, ...rest);
    if (!this.__benchNotices) {
      this.__benchNotices = true;
      this.on('notice', (msg) => {
        if (msg.message && msg.message.startsWith('duration:')) notices.push(msg.message);
      });
    }
    const app = this.connectionParameters?.application_name ?? '?';
    const started = performance.now();
    const done = (err: { code?: string } | null, res: unknown) => {
      const ms = performance.now() - started;
      let tally = tallies.get(app);
      if (!tally) tallies.set(app, (tally = new Map()));
      const label = labelOf(sql);
      const stat = tally.get(label) ?? { n: 0, ms: 0 };
      stat.n++;
      stat.ms += ms;
      tally.set(label, stat);
      if (err) errorsByCode[String(err.code ?? 'app')] = (errorsByCode[String(err.code ?? 'app')] ?? 0) + 1;
      (callback as (e: unknown, r: unknown) => void)(err, res);
    };
    return original.call(this, config, ...rest.slice(0, -1), done);
  };
}

/** The tallies of the given pools, summed, sorted by time; then cleared. */
function takeTallies(apps: readonly string[]): Array<{ label: string; n: number; ms: number }> {
  const sum = new Map<string, StatementStat>();
  for (const app of apps) {
    for (const [label, s] of tallies.get(app) ?? []) {
      const t = sum.get(label) ?? { n: 0, ms: 0 };
      t.n += s.n;
      t.ms += s.ms;
      sum.set(label, t);
    }
    tallies.delete(app);
  }
  return [...sum].map(([label, s]) => ({ label, n: s.n, ms: Math.round(s.ms * 10) / 10 })).sort((a, b) => b.ms - a.ms);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the bench database.

interface BenchDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on BENCH_DATABASE_URL's server, through the test harness (created, and dropped with FORCE by stop()). */
async function createBenchDatabase(): Promise<BenchDatabase> {
  const server = await startTestPostgres({ env: { DATABASE_URL } });
  const { name, url } = await server.newDatabase();
  const db = createDb(url, { maxConnections: 4, applicationName: 'bench-identity-main' });
  instrumentPg(db);
  let dropped: Promise<void> | null = null;
  const drop = () =>
    (dropped ??= (async () => {
      await db.destroy().catch(() => undefined);
      for (const pool of openPools) await pool.destroy().catch(() => undefined);
      await server.stop();
      log(`dropped database ${name}`);
    })());
  try {
    await migrateToLatest(db);
  } catch (err) {
    await drop();
    throw err;
  }
  log(`created database ${name} (migrated)`);
  return { db, url, drop };
}

const openPools = new Set<Db>();
function openPool(url: string, applicationName: string, maxConnections = 2): Db {
  const pool = createDb(url, { maxConnections, applicationName });
  openPools.add(pool);
  return pool;
}
async function closePool(pool: Db): Promise<void> {
  openPools.delete(pool);
  await pool.destroy();
}

// ---------------------------------------------------------------------------------------------
// The warm graph, loaded in bulk.

const archivePayload = (e: { type: string; userId: string | null; anonymousId: string; traits: Record<string, unknown> }) => ({
  channel: example.channel,
  userId: e.userId,
  anonymousId: e.anonymousId,
  previousId: null,
  groupId: null,
  event: null,
  name: e.type === 'page' ? 'Home' : null,
  properties: e.type === 'page' ? { path: '/', title: 'Home' } : {},
  traits: e.traits,
  context: JSON.parse(example.context) as unknown,
  originalTimestamp: null,
  sentAt: null,
  requestId: example.requestId,
  schemaVersion: example.schemaVersion,
});

async function prefill(db: Db): Promise<{ seconds: number; counts: Record<string, number> }> {
  const started = performance.now();
  const counts: Record<string, number> = { profiles: 0, mergedProfiles: 0, identifiers: 0, edges: 0, traits: 0, events: 0, audits: 0 };
  await archivePartitions(db).ensure([T0 - 15 * DAY, T0]);
  for (let from = 0; from < PEOPLE; from += PREFILL.batch) {
    const profiles: unknown[] = [];
    const identifiers: unknown[] = [];
    const edges: unknown[] = [];
    const traits: unknown[] = [];
    const events: unknown[] = [];
    const audits: unknown[] = [];
    for (let i = from; i < Math.min(PEOPLE, from + PREFILL.batch); i++) {
      const seen = T0 - 14 * DAY + Math.floor(random() * 14 * DAY);
      const id = newProfileId();
      const isIdentified = random() < PREFILL.identified;
      const person: Person = { userId: isIdentified ? `user-${i}` : null, anonIds: [newAnonId()], emails: [], mergedInto: null };
      if (isIdentified && random() < PREFILL.secondAnon) person.anonIds.push(newAnonId());
      if (isIdentified && random() < PREFILL.email) person.emails.push(newEmail());
      (isIdentified ? identified : anonymous).push(people.length);
      people.push(person);
      const ids = [...(person.userId ? [identifier.user(person.userId)] : []), ...person.anonIds.map(identifier.anon), ...person.emails.map(identifier.email)];
      const keys = ids.map(keyOf);
      const t = isIdentified ? traitsNow() : {};
      profiles.push({ id, status: 'active', merged_into: null, traits: t, first_ms: seen, last_ms: seen });
      for (const x of ids) identifiers.push({ type: x.type, value_hash: x.valueHash, value: x.value, profile_id: id, first_ms: seen });
      const messageId = `prefill-${i}`;
      for (const k of keys.slice(1)) {
        const [a, b] = keys[0]! < k ? [keys[0]!, k] : [k, keys[0]!];
        edges.push({ a, b, message_id: messageId, rule: `exact:${ids[0]!.type}` });
      }
      for (const [name, value] of Object.entries(t)) traits.push({ profile_id: id, name, value, event_ms: seen, message_id: messageId });
      events.push({
        message_id: messageId,
        event_ms: seen,
        profile_id: id,
        type: isIdentified ? 'identify' : 'page',
        identifier_keys: keys,
        payload: archivePayload({ type: isIdentified ? 'identify' : 'page', userId: person.userId, anonymousId: person.anonIds[0]!, traits: t }),
      });
      if (keys.length > 1) audits.push({ id: `prefill-link-${i}`, action: 'link', profile_id: id, others: [], identifiers: keys.slice(1), message_id: messageId, event_ms: seen, ago_s: (T0 - seen) / 1000 });
      if (isIdentified && random() < PREFILL.mergedBefore) {
        // An anonymous profile this person's login absorbed earlier: merged row + merge audit, some time in the last 30 days.
        const loser = newProfileId();
        profiles.push({ id: loser, status: 'merged', merged_into: id, traits: {}, first_ms: seen, last_ms: seen });
        audits.push({ id: `prefill-merge-${i}`, action: 'merge', profile_id: id, others: [loser], identifiers: [keys[0]!, keys[1]!], message_id: `${messageId}-login`, event_ms: seen, ago_s: Math.floor(random() * 30 * 86_400) });
        counts.mergedProfiles!++;
      }
    }
    await withTenant(db, TENANT, async (trx) => {
      await trx.raw(
        `INSERT INTO profiles (tenant_id, id, status, merged_into, traits, first_seen_at, last_seen_at)
         SELECT ?, p.id, p.status, p.merged_into, p.traits, to_timestamp(p.first_ms / 1000.0), to_timestamp(p.last_ms / 1000.0)
         FROM json_to_recordset(?::json) AS p(id text, status text, merged_into text, traits jsonb, first_ms bigint, last_ms bigint)`,
        [TENANT, JSON.stringify(profiles)],
      );
      await trx.raw(
        `INSERT INTO identifiers (tenant_id, type, namespace, value_hash, value, profile_id, origin_profile_id, first_seen_at)
         SELECT ?, x.type, '', x.value_hash, x.value, x.profile_id, x.profile_id, to_timestamp(x.first_ms / 1000.0)
         FROM json_to_recordset(?::json) AS x(type text, value_hash text, value text, profile_id text, first_ms bigint)`,
        [TENANT, JSON.stringify(identifiers)],
      );
      await trx.raw(
        `INSERT INTO identity_edges (tenant_id, a_key, b_key, message_id, source_id, rule)
         SELECT ?, e.a, e.b, e.message_id, ?, e.rule FROM json_to_recordset(?::json) AS e(a text, b text, message_id text, rule text)`,
        [TENANT, SOURCE, JSON.stringify(edges)],
      );
      await trx.raw(
        `INSERT INTO profile_traits (tenant_id, profile_id, name, value, event_ts, first_ts, source_id, message_id)
         SELECT ?, t.profile_id, t.name, t.value, to_timestamp(t.event_ms / 1000.0), to_timestamp(t.event_ms / 1000.0), ?, t.message_id
         FROM json_to_recordset(?::json) AS t(profile_id text, name text, value jsonb, event_ms bigint, message_id text)`,
        [TENANT, SOURCE, JSON.stringify(traits)],
      );
      await trx.raw(
        `INSERT INTO profile_events (tenant_id, message_id, event_ts, profile_id, received_at, type, event_name, source_id, identifier_keys, payload)
         SELECT ?, e.message_id, to_timestamp(e.event_ms / 1000.0), e.profile_id, to_timestamp((e.event_ms + 180) / 1000.0), e.type, NULL, ?, e.identifier_keys, e.payload
         FROM json_to_recordset(?::json) AS e(message_id text, event_ms bigint, profile_id text, type text, identifier_keys text[], payload jsonb)`,
        [TENANT, SOURCE, JSON.stringify(events)],
      );
      await trx.raw(
        `INSERT INTO identity_audit (tenant_id, id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, event_ts, rule, reason, occurred_at)
         SELECT ?, a.id, a.action, a.profile_id, a.others, a.identifiers, a.message_id, ?, to_timestamp(a.event_ms / 1000.0), 'exact:user_id', NULL, now() - make_interval(secs => a.ago_s)
         FROM json_to_recordset(?::json) AS a(id text, action text, profile_id text, others text[], identifiers jsonb, message_id text, event_ms bigint, ago_s double precision)`,
        [TENANT, SOURCE, JSON.stringify(audits)],
      );
    });
    counts.profiles! += profiles.length;
    counts.identifiers! += identifiers.length;
    counts.edges! += edges.length;
    counts.traits! += traits.length;
    counts.events! += events.length;
    counts.audits! += audits.length;
    if ((from / PREFILL.batch) % 10 === 9) log(`prefill: ${from + PREFILL.batch} people`);
  }
  await db.raw('VACUUM ANALYZE');
  return { seconds: (performance.now() - started) / 1000, counts };
}

const RAW_TABLES = ['profiles', 'identifiers', 'profile_events'] as const;

/** The baseline's plain tables, with a copy of the prefilled rows (same keys and indexes, so the same index sizes). */
async function createRawTables(db: Db): Promise<void> {
  await db.raw('CREATE SCHEMA bench_raw');
  for (const t of RAW_TABLES) {
    await db.raw(`CREATE TABLE bench_raw.${t} (LIKE public.${t} INCLUDING ALL)`);
    // The connecting superuser bypasses row-level security: the whole prefill is copied.
    await db.raw(`INSERT INTO bench_raw.${t} SELECT * FROM public.${t}`);
  }
  await db.raw(`VACUUM ANALYZE ${RAW_TABLES.map((t) => `bench_raw.${t}`).join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// CPU accounting from /proc (Linux): this process, and every postgres process.

const TICKS_PER_SECOND = 100;
function cpuTicksOf(pid: string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}
/** The bench server's postmaster (other PostgreSQL servers on the machine, e.g. tests' embedded ones, are not counted). */
let postmasterPid: string | null = null;
const ppidOf = (pid: string) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '';
};
async function findPostmaster(db: Db): Promise<void> {
  try {
    const { rows } = await db.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid');
    postmasterPid = ppidOf(String(rows[0]!.pid));
  } catch {
    postmasterPid = null; // a server on another machine: its CPU is not seen
  }
}

/** CPU ticks of the bench server's processes (postmaster and its children), by pid; a backend that exits between two samples loses its last share. */
function postgresTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  if (postmasterPid === null) return ticks;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (pid === postmasterPid || ppidOf(pid) === postmasterPid) ticks.set(pid, cpuTicksOf(pid));
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}
interface CpuSample {
  at: number;
  self: NodeJS.CpuUsage;
  postgres: Map<string, number>;
}
const sampleCpu = (): CpuSample => ({ at: performance.now(), self: process.cpuUsage(), postgres: postgresTicks() });
function cpuBetween(a: CpuSample, b: CpuSample): { driver: number; postgres: number } {
  const seconds = (b.at - a.at) / 1000;
  let pgTicks = 0;
  for (const [pid, t] of b.postgres) pgTicks += Math.max(0, t - (a.postgres.get(pid) ?? 0));
  return { driver: (b.self.user - a.self.user + b.self.system - a.self.system) / 1e6 / seconds, postgres: pgTicks / TICKS_PER_SECOND / seconds };
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
const round2 = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------
// A resolver run.

interface Outcomes {
  known: number;
  new: number;
  link: number;
  merge: number;
  review: number;
  reject: number;
}

interface ResolverRun {
  writers: number;
  events: number;
  seconds: number;
  /** Resolved events/s: events ÷ wall time of the run (both writers). */
  rate: number;
  chunks: number;
  chunkMs: { p50: number; p99: number; mean: number };
  /** Golden records written (surviving profiles updated, one row per profile and chunk) and profiles merged away. */
  profileRows: number;
  mergedAway: number;
  /** What the events did (from the plans and their audits). */
  outcomes: Outcomes;
  /** Generated kinds (the intended mix). */
  kinds: Record<string, number>;
  /** Rows the resolver wrote besides archive and profiles. */
  rows: { newIdentifiers: number; edges: number; traitRows: number; audits: number };
  /** Transactions redone (ROLLBACK) and statement errors by SQLSTATE. */
  rollbacks: number;
  errors: Record<string, number>;
  cpu: { driver: number; postgres: number };
  /** Client-timed statements, summed over the writers; chunkMsTotal − statements = the resolver's JavaScript and event-loop waits. */
  statements: Array<{ label: string; n: number; ms: number }>;
  chunkMsTotal: number;
}

interface BaselineRun {
  writers: number;
  seconds: number;
  /** Archive rows/s (one per event: comparable to resolved events/s). */
  rate: number;
  rows: { archive: number; profiles: number; identifiers: number };
  /** All rows (archive + profiles + identifiers) per second. */
  rowRate: number;
  cpu: { driver: number; postgres: number };
  statements: Array<{ label: string; n: number; ms: number }>;
  /** Transactions redone after a deadlock. */
  rollbacks: number;
}

interface ChunkRows {
  archive: { message_id: string[]; event_ms: number[]; profile_id: string[]; received_ms: number[]; type: string[]; event_name: (string | null)[]; source_id: string[]; keys: string[]; payload: string[] };
  profiles: { id: string[]; status: string[]; merged_into: (string | null)[]; traits: string[]; version: number[]; first_ms: number[]; last_ms: number[] };
  identifiers: { type: string[]; namespace: string[]; value_hash: string[]; value: (string | null)[]; profile_id: string[]; first_ms: number[] };
}

/** The rows the resolver wrote for a chunk, as the baseline inserts them. */
function rowsOf(chunk: readonly UniqueEvent[], r: TenantResolution): ChunkRows {
  const rows: ChunkRows = {
    archive: { message_id: [], event_ms: [], profile_id: [], received_ms: [], type: [], event_name: [], source_id: [], keys: [], payload: [] },
    profiles: { id: [], status: [], merged_into: [], traits: [], version: [], first_ms: [], last_ms: [] },
    identifiers: { type: [], namespace: [], value_hash: [], value: [], profile_id: [], first_ms: [] },
  };
  chunk.forEach((e, i) => {
    const a = rows.archive;
    a.message_id.push(e.messageId);
    a.event_ms.push(e.timestamp);
    a.profile_id.push(r.plan.events[i]!.profileId);
    a.received_ms.push(e.receivedAt);
    a.type.push(e.type);
    a.event_name.push(e.event ?? e.name);
    a.source_id.push(e.sourceId);
    a.keys.push(`{${e.identifiers.map(keyOf).join(',')}}`);
    a.payload.push(JSON.stringify(archivePayloadOf(e)));
  });
  // In key order, as any batched upsert by concurrent writers must be (else they deadlock on each other's rows).
  const t = chunk[0]!.timestamp;
  const profileRows = [
    ...[...r.profiles.values()].map((row) => ({ id: row.id, status: 'active', merged_into: null, traits: JSON.stringify(row.traits), version: row.version, first_ms: row.firstSeenAt, last_ms: row.lastSeenAt })),
    ...[...r.plan.merged].map(([loser, survivor]) => ({ id: loser, status: 'merged', merged_into: survivor as string | null, traits: '{}', version: 2, first_ms: t, last_ms: t })),
  ].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const p = rows.profiles;
  for (const row of profileRows) {
    p.id.push(row.id);
    p.status.push(row.status);
    p.merged_into.push(row.merged_into);
    p.traits.push(row.traits);
    p.version.push(row.version);
    p.first_ms.push(row.first_ms);
    p.last_ms.push(row.last_ms);
  }
  const x = rows.identifiers;
  const byKey = (a: { ref: { type: string; namespace: string; valueHash: string } }, b: typeof a) => {
    const ka = `${a.ref.type}\u0000${a.ref.namespace}\u0000${a.ref.valueHash}`;
    const kb = `${b.ref.type}\u0000${b.ref.namespace}\u0000${b.ref.valueHash}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
  for (const n of [...r.plan.newIdentifiers].sort(byKey)) {
    x.type.push(n.ref.type);
    x.namespace.push(n.ref.namespace);
    x.value_hash.push(n.ref.valueHash);
    x.value.push(n.value);
    x.profile_id.push(n.profileId);
    x.first_ms.push(n.firstSeenAt);
  }
  return rows;
}

function outcomesOf(chunk: readonly UniqueEvent[], r: TenantResolution, o: Outcomes): void {
  const actions = new Map<string, Set<string>>();
  for (const a of r.plan.audits) {
    const s = actions.get(a.messageId) ?? new Set<string>();
    s.add(a.action);
    actions.set(a.messageId, s);
  }
  const created = new Set<string>();
  chunk.forEach((e, i) => {
    const s = actions.get(e.messageId);
    const profileId = r.plan.events[i]!.profileId;
    if (s?.has('merge')) o.merge++;
    else if (s?.has('review')) o.review++;
    else if (s?.has('reject')) o.reject++;
    else if (s?.has('link')) o.link++;
    else if (r.plan.newProfiles.has(profileId) && !created.has(profileId)) o.new++;
    else o.known++;
    if (r.plan.newProfiles.has(profileId)) created.add(profileId);
  });
}

async function resolverRun(url: string, events: readonly UniqueEvent[], writers: number, round: number): Promise<{ run: ResolverRun; rows: ChunkRows[][] }> {
  const chunks = chunksFor(events, writers);
  const apps = chunks.map((_, w) => `bench-identity-r${round}-w${writers}-${w}`);
  const pools = apps.map((app) => openPool(url, app));
  const settings = pools.map((db) => identitySettingsCache(db, 5_000));
  const resolvers = pools.map((db, w) => createResolver({ db, settingsFor: settings[w]!, partitions: archivePartitions(db), newProfileId }));
  // Connections open and settings cached before the clock starts (main.ts's resolver is warm too).
  await Promise.all(pools.map((db) => db.raw('select 1')));
  await Promise.all(settings.map((s) => s(TENANT)));
  takeTallies(apps);
  errorsByCode = {};
  const results: TenantResolution[][] = chunks.map(() => []);
  const chunkMs: number[] = [];
  const cpu0 = sampleCpu();
  const hr0 = process.hrtime.bigint();
  await Promise.all(
    chunks.map(async (list, w) => {
      for (const chunk of list) {
        const t = performance.now();
        results[w]!.push(await resolvers[w]!.resolve(TENANT, chunk));
        chunkMs.push(performance.now() - t);
      }
    }),
  );
  const cpu1 = sampleCpu();
  if (profiling) log(`profile window resolver round ${round + 1} writers ${writers}: ${hr0 / 1000n} ${process.hrtime.bigint() / 1000n}`);
  const seconds = (cpu1.at - cpu0.at) / 1000;
  const statements = takeTallies(apps);
  const errors = errorsByCode;
  await Promise.all(pools.map(closePool));

  const outcomes: Outcomes = { known: 0, new: 0, link: 0, merge: 0, review: 0, reject: 0 };
  const rowsCount = { newIdentifiers: 0, edges: 0, traitRows: 0, audits: 0 };
  let profileRows = 0;
  let mergedAway = 0;
  const rows = chunks.map((list, w) =>
    list.map((chunk, c) => {
      const r = results[w]![c]!;
      outcomesOf(chunk, r, outcomes);
      profileRows += r.profiles.size;
      mergedAway += r.plan.merged.size;
      rowsCount.newIdentifiers += r.plan.newIdentifiers.length;
      rowsCount.edges += r.plan.edges.length;
      rowsCount.audits += r.plan.audits.length;
      for (const t of r.plan.traits.values()) rowsCount.traitRows += t.changed.size;
      return rowsOf(chunk, r);
    }),
  );
  const kinds: Record<string, number> = {};
  for (const e of events) {
    const kind = /^bench-\d+-(\w+)-\d+$/.exec(e.messageId)?.[1] ?? '?';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  const sorted = chunkMs.slice().sort((a, b) => a - b);
  const chunkMsTotal = chunkMs.reduce((a, b) => a + b, 0);
  return {
    run: {
      writers,
      events: events.length,
      seconds,
      rate: events.length / seconds,
      chunks: chunkMs.length,
      chunkMs: { p50: round2(quantile(sorted, 0.5)), p99: round2(quantile(sorted, 0.99)), mean: round2(chunkMsTotal / chunkMs.length) },
      profileRows,
      mergedAway,
      outcomes,
      kinds,
      rows: rowsCount,
      rollbacks: statements.find((s) => s.label === 'ROLLBACK')?.n ?? 0,
      errors,
      cpu: cpuBetween(cpu0, cpu1),
      statements,
      chunkMsTotal: Math.round(chunkMsTotal),
    },
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// The baseline: the same rows, UNNEST, one transaction per chunk, plain tables.

const RAW = {
  profiles: `INSERT INTO bench_raw.profiles (tenant_id, id, status, merged_into, traits, version, first_seen_at, last_seen_at, updated_at)
     SELECT ?, u.id, u.status, u.merged_into, u.traits::jsonb, u.version, to_timestamp(u.first_ms / 1000.0), to_timestamp(u.last_ms / 1000.0), now()
     FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS u(id, status, merged_into, traits, version, first_ms, last_ms)
     ON CONFLICT (tenant_id, id) DO UPDATE SET status = excluded.status, merged_into = excluded.merged_into, traits = excluded.traits, version = excluded.version,
       first_seen_at = least(bench_raw.profiles.first_seen_at, excluded.first_seen_at), last_seen_at = greatest(bench_raw.profiles.last_seen_at, excluded.last_seen_at), updated_at = now()`,
  identifiers: `INSERT INTO bench_raw.identifiers (tenant_id, type, namespace, value_hash, value, profile_id, origin_profile_id, first_seen_at)
     SELECT ?, u.type, u.namespace, u.value_hash, u.value, u.profile_id, u.profile_id, to_timestamp(u.first_ms / 1000.0)
     FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS u(type, namespace, value_hash, value, profile_id, first_ms)
     ON CONFLICT DO NOTHING`,
  archive: `INSERT INTO bench_raw.profile_events (tenant_id, message_id, event_ts, profile_id, received_at, type, event_name, source_id, identifier_keys, payload)
     SELECT ?, u.message_id, to_timestamp(u.event_ms / 1000.0), u.profile_id, to_timestamp(u.received_ms / 1000.0), u.type, u.event_name, u.source_id, u.keys::text[], u.payload::jsonb
     FROM unnest(?::text[], ?::bigint[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS u(message_id, event_ms, profile_id, received_ms, type, event_name, source_id, keys, payload)
     ON CONFLICT DO NOTHING`,
};

/** Column arrays as bindings (pg sends a JS array as a PostgreSQL array; nulls stay NULL). */
const arrays = (...xs: unknown[]) => xs as Knex.RawBinding[];

async function baselineRun(url: string, rows: ChunkRows[][], round: number): Promise<BaselineRun> {
  const writers = rows.length;
  const apps = rows.map((_, w) => `bench-identity-b${round}-w${writers}-${w}`);
  const pools = apps.map((app) => openPool(url, app));
  await Promise.all(pools.map((db) => db.raw('select 1')));
  takeTallies(apps);
  const count = { archive: 0, profiles: 0, identifiers: 0 };
  for (const list of rows)
    for (const c of list) {
      count.archive += c.archive.message_id.length;
      count.profiles += c.profiles.id.length;
      count.identifiers += c.identifiers.type.length;
    }
  const cpu0 = sampleCpu();
  const hr0 = process.hrtime.bigint();
  await Promise.all(
    rows.map(async (list, w) => {
      const db = pools[w]!;
      for (const c of list) {
        for (let attempt = 1; ; attempt++) {
          try {
            await db.transaction(async (trx) => {
              const p = c.profiles;
              if (p.id.length > 0) await trx.raw(RAW.profiles, arrays(TENANT, p.id, p.status, p.merged_into, p.traits, p.version, p.first_ms, p.last_ms));
              const x = c.identifiers;
              if (x.type.length > 0) await trx.raw(RAW.identifiers, arrays(TENANT, x.type, x.namespace, x.value_hash, x.value, x.profile_id, x.first_ms));
              const a = c.archive;
              await trx.raw(RAW.archive, arrays(TENANT, a.message_id, a.event_ms, a.profile_id, a.received_ms, a.type, a.event_name, a.source_id, a.keys, a.payload));
            });
            break;
          } catch (err) {
            // As the resolver does: a deadlock PostgreSQL broke is redone (counted as a ROLLBACK).
            if (attempt < 5 && ['40P01', '40001'].includes(String((err as { code?: unknown }).code))) continue;
            throw err;
          }
        }
      }
    }),
  );
  const cpu1 = sampleCpu();
  if (profiling) log(`profile window baseline round ${round + 1} writers ${writers}: ${hr0 / 1000n} ${process.hrtime.bigint() / 1000n}`);
  const seconds = (cpu1.at - cpu0.at) / 1000;
  const statements = takeTallies(apps);
  await Promise.all(pools.map(closePool));
  return {
    writers,
    seconds,
    rate: count.archive / seconds,
    rows: count,
    rowRate: (count.archive + count.profiles + count.identifiers) / seconds,
    cpu: cpuBetween(cpu0, cpu1),
    statements,
    rollbacks: statements.find((s) => s.label === 'ROLLBACK')?.n ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Profile look-ups.

const LOOKUP_SQL = `SELECT p.id, p.status, p.merged_into, p.traits, p.do_not_contact, p.version, p.first_seen_at, p.last_seen_at
  FROM identifiers i JOIN profiles p ON p.tenant_id = i.tenant_id AND p.id = i.profile_id
  WHERE i.tenant_id = ? AND i.type = ? AND i.namespace = ? AND i.value_hash = ?`;

interface Latency {
  count: number;
  found: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

function latencyOf(ms: number[], found: number): Latency {
  const s = ms.slice().sort((a, b) => a - b);
  return { count: s.length, found, p50: round2(quantile(s, 0.5)), p90: round2(quantile(s, 0.9)), p99: round2(quantile(s, 0.99)), max: round2(s[s.length - 1] ?? 0), mean: round2(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

function randomKnownIdentifier(): Identifier {
  for (;;) {
    const p = people[Math.floor(random() * people.length)]!;
    if (p.mergedInto !== null) continue;
    const options = [...(p.userId ? [identifier.user(p.userId)] : []), ...p.anonIds.map(identifier.anon), ...p.emails.map(identifier.email)];
    return pick(options);
  }
}

async function lookups(url: string): Promise<{ row: Latency; view: Latency }> {
  const db = openPool(url, 'bench-identity-lookup', 1);
  const ids = Array.from({ length: LOOKUPS + 200 }, randomKnownIdentifier);
  const row: number[] = [];
  const view: number[] = [];
  let foundRow = 0;
  let foundView = 0;
  // The profile row: identifiers → profiles, in the tenant's transaction.
  for (const [n, id] of ids.entries()) {
    const t = performance.now();
    const found = await withTenant(db, TENANT, async (trx) => (await trx.raw<{ rows: unknown[] }>(LOOKUP_SQL, [TENANT, id.type, id.namespace ?? '', id.valueHash])).rows[0]);
    if (n < 200) continue; // warm-up
    row.push(performance.now() - t);
    if (found) foundRow++;
  }
  // The same, then what a profile view reads besides: its identifiers, current consents, merged ids.
  for (const [n, id] of ids.entries()) {
    const t = performance.now();
    const found = await withTenant(db, TENANT, async (trx) => {
      const p = (await trx.raw<{ rows: Array<{ id: string }> }>(LOOKUP_SQL, [TENANT, id.type, id.namespace ?? '', id.valueHash])).rows[0];
      if (!p) return false;
      await trx.raw('SELECT type, namespace, value, value_hash, first_seen_at FROM identifiers WHERE tenant_id = ? AND profile_id = ? ORDER BY first_seen_at, type, namespace, value_hash LIMIT 1001', [TENANT, p.id]);
      await trx.raw(
        'SELECT DISTINCT ON (purpose) purpose, status, effective_at FROM consents WHERE tenant_id = ? AND profile_id = ? ORDER BY purpose, effective_at DESC, recorded_at DESC',
        [TENANT, p.id],
      );
      await trx.raw('SELECT id FROM profiles WHERE tenant_id = ? AND merged_into = ? ORDER BY id LIMIT 1001', [TENANT, p.id]);
      return true;
    });
    if (n < 200) continue;
    view.push(performance.now() - t);
    if (found) foundView++;
  }
  takeTallies(['bench-identity-lookup']);
  await closePool(db);
  return { row: latencyOf(row, foundRow), view: latencyOf(view, foundView) };
}

// ---------------------------------------------------------------------------------------------
// For analysis: a few chunks with auto_explain (ANALYZE, BUFFERS) on every statement.

async function explainChunks(url: string, file: string): Promise<void> {
  const db = openPool(url, 'bench-identity-explain', 1);
  await db.raw("LOAD 'auto_explain'");
  for (const s of ['auto_explain.log_min_duration = 0', 'auto_explain.log_analyze = on', 'auto_explain.log_buffers = on', 'auto_explain.log_timing = on', "auto_explain.log_level = 'notice'"]) await db.raw(`SET ${s}`);
  const resolver = createResolver({ db, settingsFor: identitySettingsCache(db, 60_000), partitions: archivePartitions(db), newProfileId });
  notices.length = 0;
  const events = generateStream(4 * CHUNK);
  const chunks: Array<{ events: UniqueEvent[]; r: TenantResolution }> = [];
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    chunks.push({ events: chunk, r: await resolver.resolve(TENANT, chunk) });
  }
  const plans = notices.slice();
  takeTallies(['bench-identity-explain']);
  await closePool(db);
  // The anomaly guard's recent-merge count two ways (EXPLAIN ANALYZE, no auto_explain): as store.ts asks it (every key
  // of the chunk that existed before it), and asked only for the identifiers that link a merge the plan makes.
  const plain = openPool(url, 'bench-identity-anomaly', 1);
  const window = 86_400;
  // store.ts's lockState statement, as it sends it.
  const anomalySql = `SELECT k AS key, count(*)::int AS n FROM identity_audit a, jsonb_array_elements_text(a.identifiers) AS k
    WHERE a.tenant_id = ? AND a.action = 'merge' AND a.identifiers \\?| ?::text[] AND a.occurred_at > now() - make_interval(secs => ?) AND k = ANY(?) GROUP BY k`;
  const lines: string[] = [];
  for (const [n, { events: chunk, r }] of chunks.entries()) {
    // The keys the resolver asked about: the chunk's identifiers that existed before it (not the ones it created).
    const created = new Set(r.plan.newIdentifiers.map((i) => i.key));
    const all = [...new Set(chunk.flatMap((e) => e.identifiers.map(keyOf)))].filter((k) => !created.has(k));
    const linking = [...new Set(r.plan.audits.filter((a) => a.action === 'merge').flatMap((a) => a.identifiers.map((i) => i.key)))];
    const explain = async (sql: string, bindings: unknown[]) =>
      withTenant(plain, TENANT, async (trx) => {
        const { rows } = await trx.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, bindings as Knex.RawBinding[]);
        const text = rows.map((x) => x['QUERY PLAN']).join('\n');
        return { ms: Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? NaN), text };
      });
    const a = await explain(anomalySql, [TENANT, all, window, all]);
    const b = await explain(anomalySql, [TENANT, linking, window, linking]);
    const line = `chunk ${n + 1}: anomaly count as shipped (${all.length} keys) ${a.ms} ms; only the ${linking.length} keys linking the plan's merges ${b.ms} ms`;
    log(`explain: ${line}`);
    lines.push(`${line}\n\n${a.text}\n\n${b.text}`);
  }
  await closePool(plain);
  writeFileSync(file, [...plans, ...lines].join('\n\n---\n\n'));
  log(`explain: ${plans.length} plans written to ${file}`);
}

// ---------------------------------------------------------------------------------------------

let database: BenchDatabase | null = null;
const onSignal = (signal: NodeJS.Signals) => {
  log(`${signal}: dropping the bench database and exiting`);
  void (database?.drop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

let failed = false;
try {
  database = await createBenchDatabase();
  const { db, url } = database;
  await findPostmaster(db);
  const loaded = await prefill(db);
  log(`prefill: ${PEOPLE} people in ${loaded.seconds.toFixed(1)} s (${Object.entries(loaded.counts).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  if (!SKIP_BASELINE) await createRawTables(db);
  if (WHATIF_INDEXES) {
    await db.raw('CREATE INDEX bench_whatif_audit_message ON identity_audit (tenant_id, message_id)');
    await db.raw("CREATE INDEX bench_whatif_audit_recent_merges ON identity_audit (tenant_id, occurred_at) WHERE action = 'merge'");
    await db.raw('ANALYZE identity_audit');
    log('what-if: identity_audit (tenant_id, message_id) and (tenant_id, occurred_at) WHERE action = merge indexes created');
  }
  takeTallies(['bench-identity-main']);

  const runs: Array<{ round: number; resolver: ResolverRun; baseline: BaselineRun | null }> = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const writers of WRITERS) {
      const events = generateStream(EVENTS);
      const { run, rows } = await resolverRun(url, events, writers, round);
      log(
        `round ${round + 1}, ${writers} writer(s): resolver ${Math.round(run.rate)} events/s (${run.seconds.toFixed(1)} s, chunk p50 ${run.chunkMs.p50} ms p99 ${run.chunkMs.p99} ms, ` +
          `CPU driver ${Math.round(run.cpu.driver * 100)}% postgres ${Math.round(run.cpu.postgres * 100)}%, ${run.rollbacks} redone; ${JSON.stringify(run.outcomes)})`,
      );
      let baseline: BaselineRun | null = null;
      if (!SKIP_BASELINE) {
        baseline = await baselineRun(url, rows, round);
        log(`round ${round + 1}, ${writers} writer(s): baseline ${Math.round(baseline.rate)} events/s, ${Math.round(baseline.rowRate)} rows/s (${baseline.seconds.toFixed(1)} s); ratio ${(run.rate / baseline.rate).toFixed(2)}`);
      }
      runs.push({ round, resolver: run, baseline });
    }
  }

  const lookup = await lookups(url);
  log(`look-ups: profile row p50 ${lookup.row.p50} ms p99 ${lookup.row.p99} ms; with the view's reads p50 ${lookup.view.p50} ms p99 ${lookup.view.p99} ms`);
  if (EXPLAIN_FILE) await explainChunks(url, EXPLAIN_FILE);

  const { rows: sizes } = await db.raw<{ rows: Array<Record<string, string>> }>(
    `SELECT (SELECT count(*) FROM profiles) AS profiles, (SELECT count(*) FROM profiles WHERE status = 'active') AS active,
            (SELECT count(*) FROM identifiers) AS identifiers, (SELECT count(*) FROM profile_events) AS events, (SELECT count(*) FROM identity_audit) AS audits,
            pg_database_size(current_database()) / 1048576 AS database_mb`,
  );
  process.stdout.write(
    `RESULT ${JSON.stringify({
      people: PEOPLE,
      prefill: { mode: 'json_to_recordset inside withTenant, not through the resolver', ...loaded },
      eventsPerRun: EVENTS,
      chunk: CHUNK,
      rounds: ROUNDS,
      mix: MIX,
      whatIfIndexes: WHATIF_INDEXES,
      runs,
      lookup,
      finalGraph: Object.fromEntries(Object.entries(sizes[0] ?? {}).map(([k, v]) => [k, Number(v)])),
    })}\n`,
  );
} catch (err) {
  failed = true;
  log(`bench driver failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await database?.drop().catch((err: unknown) => log(`could not drop the bench database: ${String(err)}`));
}
if (failed) process.exitCode = 1;
