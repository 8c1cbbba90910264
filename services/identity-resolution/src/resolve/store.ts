/**
 * The SQL of one tenant's chunk, inside its tenant-scoped transaction (withTenant): lock what the
 * chunk touches, hand the state to the planner, write the plan back. Every statement covers the
 * whole chunk (json_to_recordset), never one row per statement.
 *
 * Concurrency: the chunk's profiles are the unit of locking. Their identifier rows are read, then
 * the profiles are locked in id order (FOR UPDATE); a profile whose version changed between the two
 * (a concurrent merge, unmerge or link: every change bumps it) makes the chunk start over, so it
 * never decides on what it read before another writer changed it. Every later write touches rows
 * of profiles the chunk holds (identifiers re-pointed by a merge, traits, events, consents) or
 * identifiers it creates: two chunks wait on each other only at the profile locks, taken in one
 * order, so they queue instead of deadlocking. A new identifier cannot be locked before it exists:
 * when two chunks both create it (inserted in key order), the second insert waits for the first
 * transaction and then finds the row, and the whole transaction is redone (IdentityRace) so it
 * attaches to the profile the first created.
 */
import type { Knex } from 'knex';
import { epochMs, fromEpochMs, TENANT_ID, writeThroughStage, type CopyColumn, type CopyValue } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import { consentStateOf, currentConsentsSql, goldenTraits, mergeProfiles, newestIdentifiersSql, parseIdentifierKey, upsertTraitRows, type IdentitySettings, type JsonValue, type StoredTrait } from '@stratum/identity';
import type { ConsentState, IdentifierType } from '@stratum/schemas';
import type { KnownProfile, MatchEvidence, ResolutionPlan } from './plan';
import { changedProfiles } from './profile-changes';

export const storeErrors = defineErrorCodes({
  identity_race: { retriable: true, description: 'another transaction created an identifier this chunk was creating; the chunk is resolved again' },
  identity_inconsistent: { retriable: true, description: 'a profile the chunk read was changed (merged, split, linked) before the chunk locked it; the chunk is resolved again' },
});

export interface LockedState {
  known: Map<string, string>;
  profiles: Map<string, KnownProfile>;
  traits: Map<string, Map<string, StoredTrait>>;
  /** Decisions an earlier attempt at these events recorded (its database transaction committed, its Kafka one did not). */
  earlierAudits: StoredAudit[];
}

const json = (rows: unknown[]) => JSON.stringify(rows);

type TraitRowJson = { profile_id: string; name: string; value: JsonValue | null; event_ms: number; first_ms: number; removed_ms: number | null; removed_message_id: string | null; source_id: string | null; message_id: string | null; stale: boolean };
/** An identity_audit row as selected (epoch ms come as numbers from json_agg, as strings from a plain bigint column). */
type AuditRowJson = { id: string; action: StoredAudit['action']; profile_id: string; other_profile_ids: string[]; identifiers: string[]; message_id: string; source_id: string | null; event_ms: number | string | null; rule: string; reason: string | null; occurred_ms: number | string };

/**
 * Everything the planner needs, in one statement (one round trip per chunk, not five): the
 * chunk's identifier rows locked in key order, their profiles locked in id order, the profiles'
 * identifier counts (per-type limits) and survivorship rows, and the audits an earlier attempt at
 * these events already recorded (a replay after a crash between the database and Kafka commits;
 * the import passes none, finding its replays by person record: an empty array ends the index
 * scan before it reads a page). The CTEs are
 * MATERIALIZED so each runs once, and the profile lock runs after the identifier lock.
 */
export async function lockState(trx: Knex.Transaction, tenantId: string, keys: readonly string[], settings: IdentitySettings, messageIds: readonly string[]): Promise<LockedState> {
  const refs = keys.map(parseIdentifierKey).map((r) => ({ type: r.type, namespace: r.namespace, value_hash: r.valueHash }));
  const window = settings.limitWindowSeconds;
  const { rows } = await trx.raw<{
    rows: Array<{
      ids: Array<{ type: string; namespace: string; value_hash: string; profile_id: string; seen_version: number }> | null;
      profiles: Array<{ id: string; status: string; version: number; first_seen_ms: number }> | null;
      counts: Array<{ profile_id: string; type: IdentifierType; n: number }> | null;
      traits: TraitRowJson[] | null;
      audits: AuditRowJson[] | null;
    }>;
  }>(
    `WITH ids AS MATERIALIZED (
       SELECT i.type, i.namespace, i.value_hash, i.profile_id, p.version AS seen_version
       FROM json_to_recordset(?::json) AS k(type text, namespace text, value_hash text)
       -- LATERAL with LIMIT 1 (the key is unique): one index probe per key, in this order. A join,
       -- or a LATERAL subquery the planner may pull up into one, lets it hash the tenant's whole
       -- identifier table (guessing 100 keys), or loop over the tenant's profiles outside the key
       -- probes (guessing it holds one row): a chunk then costs as much as the tenant is large.
       CROSS JOIN LATERAL (
         SELECT i.type, i.namespace, i.value_hash, i.profile_id, i.tenant_id FROM identifiers i
         WHERE i.tenant_id = ${TENANT_ID} AND i.type = k.type AND i.namespace = k.namespace AND i.value_hash = k.value_hash LIMIT 1) i
       CROSS JOIN LATERAL (SELECT p.version FROM profiles p WHERE p.tenant_id = i.tenant_id AND p.id = i.profile_id LIMIT 1) p),
     prof AS MATERIALIZED (
       SELECT p.id, p.status, p.version, ${epochMs('p.first_seen_at')} AS first_seen_ms FROM profiles p
       WHERE p.tenant_id = ${TENANT_ID} AND p.id IN (SELECT profile_id FROM ids) ORDER BY p.id FOR UPDATE),
     counts AS (
       SELECT c.profile_id, c.type, count(*)::int AS n FROM identifiers c
       WHERE c.tenant_id = ${TENANT_ID} AND c.profile_id IN (SELECT id FROM prof) ${window === null ? '' : 'AND c.first_seen_at > now() - make_interval(secs => ?)'}
       GROUP BY c.profile_id, c.type),
     traits AS (
       SELECT t.profile_id, t.name, t.value, ${epochMs('t.event_ts')} AS event_ms, ${epochMs('t.first_ts')} AS first_ms, ${epochMs('t.removed_ts')} AS removed_ms,
              t.removed_message_id, t.source_id, t.message_id, t.stale
       FROM profile_traits t WHERE t.tenant_id = ${TENANT_ID} AND t.profile_id IN (SELECT id FROM prof)),
     audits AS (
       SELECT a.id, a.action, a.profile_id, a.other_profile_ids, a.identifiers, a.message_id, a.source_id, ${epochMs('a.event_ts')} AS event_ms,
              a.rule, a.reason, ${epochMs('a.occurred_at')} AS occurred_ms
       FROM identity_audit a WHERE a.tenant_id = ${TENANT_ID} AND a.message_id = ANY(?))
     SELECT (SELECT json_agg(ids) FROM ids) AS ids, (SELECT json_agg(prof) FROM prof) AS profiles, (SELECT json_agg(counts) FROM counts) AS counts,
            (SELECT json_agg(traits) FROM traits) AS traits, (SELECT json_agg(audits ORDER BY occurred_ms, id) FROM audits) AS audits`,
    [json(refs), tenantId, tenantId, tenantId, ...(window === null ? [] : [window]), tenantId, tenantId, [...messageIds]],
  );
  const row = rows[0]!;
  const known = new Map((row.ids ?? []).map((r) => [`${r.type}:${encodeURIComponent(r.namespace)}:${r.value_hash}`, r.profile_id]));
  const profileRows = row.profiles ?? [];
  // The identifiers were read before the profile locks were granted: a profile changed in between
  // (merged away, split, given identifiers) may no longer own what was read, so the chunk starts over.
  const seen = new Map((row.ids ?? []).map((r) => [r.profile_id, Number(r.seen_version)]));
  if (profileRows.some((p) => p.status !== 'active' || seen.get(p.id) !== Number(p.version))) {
    throw storeErrors.error('identity_inconsistent', 'a profile the chunk read changed before it was locked');
  }
  const counts = new Map<string, Partial<Record<IdentifierType, number>>>();
  for (const r of row.counts ?? []) counts.set(r.profile_id, { ...counts.get(r.profile_id), [r.type]: r.n });
  const profiles = new Map<string, KnownProfile>();
  for (const p of profileRows) profiles.set(p.id, { firstSeenAt: Number(p.first_seen_ms), counts: counts.get(p.id) ?? {} });
  const traits = new Map<string, Map<string, StoredTrait>>();
  for (const r of row.traits ?? []) {
    const m = traits.get(r.profile_id) ?? new Map<string, StoredTrait>();
    m.set(r.name, {
      value: r.value,
      eventTs: Number(r.event_ms),
      firstTs: Number(r.first_ms),
      removed: r.removed_ms === null ? null : { ts: Number(r.removed_ms), messageId: r.removed_message_id },
      sourceId: r.source_id,
      messageId: r.message_id,
      ...(r.stale ? { stale: true } : {}),
    });
    traits.set(r.profile_id, m);
  }
  return { known, profiles, traits, earlierAudits: (row.audits ?? []).map(storedAuditOf) };
}

/**
 * The anomaly guard's memory: merges each of `keys` linked within the window. Asked only for the
 * identifiers a first plan would merge through (a few per chunk, not every key of the chunk).
 */
export async function recentMergesOf(trx: Knex.Transaction, tenantId: string, keys: readonly string[], windowSeconds: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (keys.length === 0) return counts;
  const { rows } = await trx.raw<{ rows: Array<{ key: string; n: number }> }>(
    `SELECT k AS key, count(*)::int AS n
     FROM identity_audit a, jsonb_array_elements_text(a.identifiers) AS k
     WHERE a.tenant_id = ${TENANT_ID} AND a.action = 'merge' AND a.occurred_at > now() - make_interval(secs => ?) AND k = ANY(?)
     GROUP BY k`,
    [tenantId, windowSeconds, [...keys]],
  );
  for (const r of rows) counts.set(r.key, r.n);
  return counts;
}

/** What the archive keeps of an event (its content never changes; profile_id follows merges). */
export interface ArchivedEvent {
  messageId: string;
  eventTs: number;
  receivedAt: number;
  profileId: string;
  type: string;
  eventName: string | null;
  sourceId: string;
  identifierKeys: readonly string[];
  payload: Record<string, unknown>;
}

export interface ProfileRow {
  id: string;
  version: number;
  doNotContact: boolean;
  firstSeenAt: number;
  lastSeenAt: number;
  traits: Record<string, JsonValue>;
}

export interface WrittenPlan {
  /** Surviving profiles the chunk touched, as written. */
  profiles: Map<string, ProfileRow>;
  identifiers: Map<string, ProfileIdentifierRow[]>;
  consents: Map<string, ConsentView[]>;
  /** The audits this attempt inserted (an earlier attempt's are not inserted again). */
  insertedAudits: StoredAudit[];
}

const MATCH_STAGE_COLUMNS: CopyColumn[] = [
  ['match_score', 'double precision'],
  ['match_tier', 'text'],
  ['match_fields', 'jsonb'],
];
const matchValues = (m: MatchEvidence | undefined): CopyValue[] => (m ? [m.score, m.tier, m.fields] : [null, null, null]);

export async function writePlan(
  trx: Knex.Transaction,
  tenantId: string,
  plan: ResolutionPlan,
  archive: readonly ArchivedEvent[],
  auditId: (a: ResolutionPlan['audits'][number]) => string,
  reviewId: (r: ResolutionPlan['reviews'][number]) => string,
): Promise<WrittenPlan> {
  // Touched profiles: golden traits where they changed, seen-at span, version.
  // The version numbers golden-record changes (profiles.changes): a profile only seen again keeps it.
  const changed = changedProfiles(plan);
  const goldenOf = (id: string) => {
    const t = plan.traits.get(id);
    return t && t.changed.size > 0 ? goldenTraits(t.all) : null;
  };
  if (plan.newProfiles.size > 0) {
    // Inserted as the golden-record update below would leave them (one write per new profile, not
    // an insert and an update). The planner never merges a profile it creates away and touches
    // every one it creates (plan.ts), so each has its span.
    await writeThroughStage(
      trx,
      'stage_new_profiles',
      [
        ['id', 'text'],
        ['traits', 'jsonb'],
        ['first_ms', 'bigint'],
        ['last_ms', 'bigint'],
        ['version', 'bigint'],
      ],
      [...plan.newProfiles].map(([id, p]) => {
        const span = plan.touched.get(id)!;
        return [id, goldenOf(id), Math.min(p.firstSeenAt, span.firstTs), Math.max(p.firstSeenAt, span.lastTs), 1 + (changed.has(id) ? 1 : 0)];
      }),
      `INSERT INTO profiles (tenant_id, id, traits, version, first_seen_at, last_seen_at)
       SELECT ?, p.id, COALESCE(p.traits, '{}'), p.version, ${fromEpochMs('p.first_ms')}, ${fromEpochMs('p.last_ms')} FROM staged AS p`,
      [tenantId],
    );
  }
  if (plan.newIdentifiers.length > 0) {
    // In key order, the order identifiers are locked in: two chunks inserting the same new keys then queue instead of deadlocking.
    const rows = plan.newIdentifiers.map((i) => [i.ref.type, i.ref.namespace, i.ref.valueHash, i.value, i.profileId, i.firstSeenAt] as const);
    const { rowCount } = await writeThroughStage(
      trx,
      'stage_new_identifiers',
      [
        ['type', 'text'],
        ['namespace', 'text'],
        ['value_hash', 'text'],
        ['value', 'text'],
        ['profile_id', 'text'],
        ['first_ms', 'bigint'],
      ],
      rows,
      `INSERT INTO identifiers (tenant_id, type, namespace, value_hash, value, profile_id, origin_profile_id, first_seen_at)
       SELECT ?, x.type, x.namespace, x.value_hash, x.value, x.profile_id, x.profile_id, ${fromEpochMs('x.first_ms')}
       FROM staged AS x ORDER BY x.type COLLATE "C", x.namespace COLLATE "C", x.value_hash COLLATE "C"
       ON CONFLICT DO NOTHING`,
      [tenantId],
    );
    if (rowCount !== rows.length) throw storeErrors.error('identity_race', `${rows.length - rowCount} of ${rows.length} new identifiers were created concurrently`);
  }
  await mergeProfiles(trx, tenantId, plan.merged);
  await upsertTraitRows(
    trx,
    tenantId,
    [...plan.traits].flatMap(([profileId, { all, changed }]) => [...changed].map((name) => ({ profileId, name, trait: all.get(name)! }))),
  );
  // In the stage's columns: id, fresh, traits, first_ms, last_ms, bump. A fresh (new) profile was
  // written whole above and is only read back.
  const updates = [...plan.touched].map(([id, span]) => {
    const fresh = plan.newProfiles.has(id);
    return [id, fresh, fresh ? null : goldenOf(id), span.firstTs, span.lastTs, changed.has(id) ? 1 : 0];
  });
  // The golden-record UPDATE and the read-back the outputs need, in one statement: the identifier and
  // consent reads see every earlier statement of this transaction (identifiers inserted, re-pointed).
  const { rows: written } = await writeThroughStage<{
      profiles: Array<{ id: string; version: number; do_not_contact: boolean; first_ms: number; last_ms: number; traits: Record<string, JsonValue> }> | null;
      identifiers: Array<{ profile_id: string; type: IdentifierType; namespace: string; value_hash: string; value: string | null; first_ms: number }> | null;
      consents: Array<{ profile_id: string; purpose: string; status: string; effective_ms: number }> | null;
  }>(
    trx,
    'stage_profile_updates',
    [
      ['id', 'text'],
      ['fresh', 'boolean'],
      ['traits', 'jsonb'],
      ['first_ms', 'bigint'],
      ['last_ms', 'bigint'],
      ['bump', 'int'],
    ],
    updates,
    `WITH x AS MATERIALIZED (SELECT * FROM staged),
     upd AS (
       UPDATE profiles p SET traits = COALESCE(x.traits, p.traits), first_seen_at = least(p.first_seen_at, ${fromEpochMs('x.first_ms')}),
         last_seen_at = greatest(p.last_seen_at, ${fromEpochMs('x.last_ms')}), version = p.version + x.bump, updated_at = now()
       FROM x WHERE p.tenant_id = ${TENANT_ID} AND p.id = x.id AND NOT x.fresh
       RETURNING p.id, p.version, p.do_not_contact, ${epochMs('p.first_seen_at')} AS first_ms, ${epochMs('p.last_seen_at')} AS last_ms, p.traits),
     created AS (
       SELECT p.id, p.version, p.do_not_contact, ${epochMs('p.first_seen_at')} AS first_ms, ${epochMs('p.last_seen_at')} AS last_ms, p.traits
       FROM x CROSS JOIN LATERAL (SELECT * FROM profiles p WHERE p.tenant_id = ${TENANT_ID} AND p.id = x.id LIMIT 1) p WHERE x.fresh),
     ${PROFILE_EXTRAS_CTES}
     SELECT (SELECT json_agg(r) FROM (SELECT * FROM upd UNION ALL SELECT * FROM created) r) AS profiles,
            (SELECT json_agg(ids ORDER BY profile_id, first_ms, type, value_hash) FROM ids) AS identifiers,
            (SELECT json_agg(cons) FROM cons) AS consents`,
    [tenantId, tenantId, tenantId, tenantId],
  );
  // The chunk's appends: edges, the event archive, reviews, audits (an import chunk's thousands by COPY).
  if (plan.edges.length > 0) {
    await writeThroughStage(
      trx,
      'stage_identity_edges',
      [
        ['a', 'text'],
        ['b', 'text'],
        ['message_id', 'text'],
        ['source_id', 'text'],
        ['rule', 'text'],
      ],
      plan.edges.map((e) => [e.a, e.b, e.messageId, e.sourceId, e.rule]),
      `INSERT INTO identity_edges (tenant_id, a_key, b_key, message_id, source_id, rule)
       SELECT ?, e.a, e.b, e.message_id, e.source_id, e.rule FROM staged AS e
       ON CONFLICT (tenant_id, a_key, b_key) WHERE removed_at IS NULL DO NOTHING`,
      [tenantId],
    );
  }
  if (archive.length > 0) {
    await writeThroughStage(
      trx,
      'stage_profile_events',
      [
        ['message_id', 'text'],
        ['event_ms', 'bigint'],
        ['profile_id', 'text'],
        ['received_ms', 'bigint'],
        ['type', 'text'],
        ['event_name', 'text'],
        ['source_id', 'text'],
        ['identifier_keys', 'text[]'],
        ['payload', 'jsonb'],
      ],
      archive.map((e) => [e.messageId, e.eventTs, e.profileId, e.receivedAt, e.type, e.eventName, e.sourceId, e.identifierKeys, e.payload]),
      `INSERT INTO profile_events (tenant_id, message_id, event_ts, profile_id, received_at, type, event_name, source_id, identifier_keys, payload)
       SELECT ?, e.message_id, ${fromEpochMs('e.event_ms')}, e.profile_id, ${fromEpochMs('e.received_ms')}, e.type, e.event_name, e.source_id, e.identifier_keys, e.payload
       FROM staged AS e ON CONFLICT DO NOTHING`,
      [tenantId],
    );
  }
  if (plan.reviews.length > 0) {
    await writeThroughStage(
      trx,
      'stage_identity_reviews',
      [['id', 'text'], ['identifier_key', 'text'], ['candidates', 'text[]'], ['message_id', 'text'], ['reason', 'text'], ...MATCH_STAGE_COLUMNS],
      plan.reviews.map((r) => [reviewId(r), r.identifierKey, r.candidates, r.messageId, r.reason, ...matchValues(r.match)]),
      `INSERT INTO identity_reviews (tenant_id, id, identifier_key, candidate_profile_ids, message_id, reason, match_score, match_tier, match_fields)
       SELECT ?, r.id, r.identifier_key, r.candidates, r.message_id, r.reason, r.match_score, r.match_tier, r.match_fields FROM staged AS r
       ON CONFLICT DO NOTHING`,
      [tenantId],
    );
  }
  const { rows: inserted } =
    plan.audits.length === 0
      ? { rows: [] }
      : await writeThroughStage<AuditRowJson>(
          trx,
          'stage_identity_audit',
          [
            ['id', 'text'],
            ['action', 'text'],
            ['profile_id', 'text'],
            ['other_profile_ids', 'text[]'],
            ['identifiers', 'jsonb'],
            ['message_id', 'text'],
            ['source_id', 'text'],
            ['event_ms', 'bigint'],
            ['rule', 'text'],
            ['reason', 'text'],
            ...MATCH_STAGE_COLUMNS,
          ],
          plan.audits.map((a) => [
            auditId(a),
            a.action,
            a.profileId,
            a.otherProfileIds,
            a.identifiers.map((i) => i.key),
            a.messageId,
            a.sourceId,
            a.eventTs,
            a.rule,
            a.reason,
            ...matchValues(a.match),
          ]),
          `INSERT INTO identity_audit (tenant_id, id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, event_ts, rule, reason, match_score, match_tier, match_fields)
           SELECT ?, a.id, a.action, a.profile_id, a.other_profile_ids, a.identifiers, a.message_id, a.source_id, ${fromEpochMs('a.event_ms')}, a.rule, a.reason, a.match_score, a.match_tier, a.match_fields
           FROM staged AS a
           ON CONFLICT DO NOTHING
           RETURNING id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, ${epochMs('event_ts')} AS event_ms, rule, reason, ${epochMs('occurred_at')} AS occurred_ms`,
          [tenantId],
        );
  const w = written[0]!;
  return {
    profiles: new Map(
      (w.profiles ?? []).map((r) => [
        r.id,
        { id: r.id, version: Number(r.version), doNotContact: r.do_not_contact, firstSeenAt: Number(r.first_ms), lastSeenAt: Number(r.last_ms), traits: r.traits },
      ]),
    ),
    ...profileExtrasOf(w.identifiers ?? [], w.consents ?? []),
    insertedAudits: inserted.map(storedAuditOf),
  };
}

/** An audit row as stored: what a chunk decided, found again by messageId when the chunk is replayed. */
export interface StoredAudit {
  id: string;
  action: 'link' | 'merge' | 'review' | 'reject' | 'unmerge';
  profileId: string;
  otherProfileIds: string[];
  identifierKeys: string[];
  messageId: string;
  sourceId: string | null;
  eventTs: number | null;
  rule: string;
  reason: string | null;
  occurredAt: number;
}

/**
 * The decisions recorded for these events, by this attempt or an earlier one whose database
 * transaction committed while its Kafka transaction did not (a crash in between): the outputs
 * are built from these, so a replay re-emits the merges and tombstones the graph no longer shows.
 */
export async function readChunkAudits(trx: Knex.Transaction, tenantId: string, messageIds: readonly string[]): Promise<StoredAudit[]> {
  const { rows } = await trx.raw<{ rows: AuditRowJson[] }>(
    `SELECT id, action, profile_id, other_profile_ids, identifiers, message_id, source_id, ${epochMs('event_ts')} AS event_ms, rule, reason, ${epochMs('occurred_at')} AS occurred_ms
     FROM identity_audit WHERE tenant_id = ${TENANT_ID} AND message_id = ANY(?) ORDER BY occurred_at, id`,
    [tenantId, [...messageIds]],
  );
  return rows.map(storedAuditOf);
}

function storedAuditOf(r: AuditRowJson): StoredAudit {
  return {
    id: r.id,
    action: r.action,
    profileId: r.profile_id,
    otherProfileIds: r.other_profile_ids,
    identifierKeys: r.identifiers,
    messageId: r.message_id,
    sourceId: r.source_id,
    eventTs: r.event_ms === null ? null : Number(r.event_ms),
    rule: r.rule,
    reason: r.reason,
    occurredAt: Number(r.occurred_ms),
  };
}


export interface ProfileIdentifierRow {
  type: IdentifierType;
  namespace: string;
  valueHash: string;
  value: string | null;
  firstSeenAt: number;
}

export type ConsentView = ConsentState;

/**
 * The touched profiles' identifiers (the 50 newest per profile) and current consents, for the
 * outputs: CTEs `ids` and `cons` over the profiles of CTE `x` (the chunk's touched ids).
 */
const PROFILE_EXTRAS_CTES = `ids AS (${newestIdentifiersSql('IN (SELECT id FROM x)')}),
     cons AS (${currentConsentsSql('IN (SELECT id FROM x)')})`;

function profileExtrasOf(
  identifierRows: ReadonlyArray<{ profile_id: string; type: IdentifierType; namespace: string; value_hash: string; value: string | null; first_ms: number }>,
  consentRows: ReadonlyArray<{ profile_id: string; purpose: string; status: string; effective_ms: number }>,
): { identifiers: Map<string, ProfileIdentifierRow[]>; consents: Map<string, ConsentView[]> } {
  const identifiers = new Map<string, ProfileIdentifierRow[]>();
  for (const r of identifierRows) {
    const list = identifiers.get(r.profile_id) ?? [];
    list.push({ type: r.type, namespace: r.namespace, valueHash: r.value_hash, value: r.value, firstSeenAt: Number(r.first_ms) });
    identifiers.set(r.profile_id, list);
  }
  const consents = new Map<string, ConsentView[]>();
  for (const r of consentRows) {
    const list = consents.get(r.profile_id) ?? [];
    list.push(consentStateOf(r));
    consents.set(r.profile_id, list);
  }
  return { identifiers, consents };
}
