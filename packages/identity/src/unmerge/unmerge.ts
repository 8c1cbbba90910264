/**
 * Unmerge: take an identifier or an edge out of a profile's graph and recompute its membership
 * from the edges that remain. Every resulting connected component becomes a profile: the one
 * holding most of the profile's own identifiers keeps its id; each other one gets back the id of
 * the merged-away profile most of its identifiers came from (reactivated), or a new id. Events
 * move to the part holding their most trusted identifier, traits are recomputed per part from the
 * archive by the tenant's survivorship rules, and an `unmerge` audit names the parts.
 *
 * An identifier removed this way keeps existing, as a profile of its own. An event linking it
 * again would merge it again: block the value in the identity settings to prevent that.
 * Consents stay with the profile that keeps the id.
 */
import type { Knex } from 'knex';
import type { Db } from '@stratum/db';
import { defineErrorCodes } from '@stratum/errors';
import { connectedComponents } from '../graph/union-find';
import type { IdentityAudit } from '@stratum/schemas';
import { identifierRecordOfKey, parseIdentifierKey } from '../identifier-key';
import { enqueueOutbox, type OutboxEntry } from '../outbox/outbox';
import { profileChangeRecord, readProfileStates } from '../outbox/profile-change';
import { loadIdentitySettings } from '../settings-store';
import { stableId } from '../stable-id';
import { rebuildTraits } from '../survivorship/rebuild';
import type { JsonValue } from '../survivorship/rules';
import { withTenant } from '../tenant-scope';

export const unmergeErrors = defineErrorCodes({
  profile_not_found: { retriable: false, description: 'no active profile with this id in the tenant' },
  identifier_not_on_profile: { retriable: false, description: 'the identifier to remove does not belong to the profile' },
  edge_not_found: { retriable: false, description: 'no active edge between the two identifiers on this profile' },
});

export type UnmergeTarget = { readonly identifier: string } | { readonly edge: { readonly a: string; readonly b: string } };

export interface UnmergeRequest {
  readonly profileId: string;
  readonly remove: UnmergeTarget;
  /** Who asked (an operator or API key hint), for the audit. */
  readonly actor: string;
  readonly reason?: string | null;
}

export interface UnmergedPart {
  readonly profileId: string;
  readonly identifiers: readonly string[];
  /** The id of a profile merged away earlier, given back. */
  readonly restored: boolean;
  readonly events: number;
  readonly traits: Record<string, JsonValue>;
  readonly version: number;
}

export interface UnmergeResult {
  readonly auditId: string;
  /** The part that keeps the profile's id. */
  readonly kept: UnmergedPart;
  /** The parts split off (empty when the removal did not disconnect the graph). */
  readonly split: readonly UnmergedPart[];
  readonly removedEdges: number;
  readonly occurredAt: number;
}

interface IdRow {
  key: string;
  origin: string;
  firstSeenMs: number;
}

export async function unmerge(db: Db, tenantId: string, request: UnmergeRequest, newProfileId: () => string, now: () => number = Date.now): Promise<UnmergeResult> {
  return withTenant(db, tenantId, async (trx) => {
    const { profileId } = request;
    const profile = await trx.raw<{ rows: Array<{ status: string }> }>('SELECT status FROM profiles WHERE tenant_id = ? AND id = ? FOR UPDATE', [tenantId, profileId]);
    if (profile.rows[0]?.status !== 'active') throw unmergeErrors.error('profile_not_found', `no active profile ${profileId}`);
    const ids = await lockIdentifiers(trx, tenantId, profileId);
    const keys = ids.map((i) => i.key);
    const { rows: edges } = await trx.raw<{ rows: Array<{ id: string; a_key: string; b_key: string }> }>(
      `SELECT id, a_key, b_key FROM identity_edges WHERE tenant_id = ? AND removed_at IS NULL AND (a_key = ANY(?) OR b_key = ANY(?)) ORDER BY id FOR UPDATE`,
      [tenantId, keys, keys],
    );

    const removed = edgesToRemove(request.remove, keys, edges);
    const at = now();
    if (removed.length > 0) {
      await trx.raw(`UPDATE identity_edges SET removed_at = to_timestamp(? / 1000.0), removed_by = ? WHERE tenant_id = ? AND id = ANY(?::bigint[])`, [at, request.actor, tenantId, removed]);
    }
    const gone = new Set(removed);
    const components = connectedComponents(keys, edges.filter((e) => !gone.has(e.id)).map((e) => [e.a_key, e.b_key] as const));

    // Who keeps the id: the part with most identifiers that started on this profile, then the oldest identifier.
    const byKey = new Map(ids.map((i) => [i.key, i]));
    const score = (c: string[]) => [c.filter((k) => byKey.get(k)!.origin === profileId).length, -Math.min(...c.map((k) => byKey.get(k)!.firstSeenMs))] as const;
    const keptIndex = components.reduce((best, c, i) => {
      const [a, b] = score(c);
      const [x, y] = score(components[best]!);
      return a > x || (a === x && b > y) ? i : best;
    }, 0);
    const restorable = await mergedAwayProfiles(trx, tenantId, profileId);
    const used = new Set<string>([profileId]);
    const partIds = components.map((c, i) => {
      if (i === keptIndex) return { id: profileId, restored: false };
      const origins = new Map<string, number>();
      for (const k of c) {
        const o = byKey.get(k)!.origin;
        if (restorable.has(o) && !used.has(o)) origins.set(o, (origins.get(o) ?? 0) + 1);
      }
      const best = [...origins].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))[0]?.[0];
      const id = best ?? newProfileId();
      used.add(id);
      return { id, restored: best !== undefined };
    });
    const partOfKey = new Map<string, string>();
    components.forEach((c, i) => c.forEach((k) => partOfKey.set(k, partIds[i]!.id)));

    // Profiles: reactivate or create the split-off parts.
    for (const [i, part] of partIds.entries()) {
      if (i === keptIndex) continue;
      const first = Math.min(...components[i]!.map((k) => byKey.get(k)!.firstSeenMs));
      if (part.restored) {
        await trx.raw(`UPDATE profiles SET status = 'active', merged_into = NULL, version = version + 1, updated_at = now() WHERE tenant_id = ? AND id = ?`, [tenantId, part.id]);
      } else {
        await trx.raw('INSERT INTO profiles (tenant_id, id, first_seen_at, last_seen_at) VALUES (?, ?, to_timestamp(? / 1000.0), to_timestamp(? / 1000.0))', [tenantId, part.id, first, first]);
      }
    }
    const moves = keys.filter((k) => partOfKey.get(k) !== profileId).map((k) => ({ ...refColumns(k), profile_id: partOfKey.get(k)! }));
    if (moves.length > 0) {
      await trx.raw(
        `UPDATE identifiers i SET profile_id = m.profile_id FROM json_to_recordset(?::json) AS m(type text, namespace text, value_hash text, profile_id text)
         WHERE i.tenant_id = ? AND i.type = m.type AND i.namespace = m.namespace AND i.value_hash = m.value_hash`,
        [JSON.stringify(moves), tenantId],
      );
    }

    // Events follow their most trusted identifier; traits are recomputed per part from them.
    const settings = await loadIdentitySettings(trx, tenantId);
    const rank = new Map(settings.priority.map((t, i) => [t, i]));
    const { rows: events } = await trx.raw<{ rows: Array<{ message_id: string; event_ms: string; identifier_keys: string[] }> }>(
      `SELECT message_id, (extract(epoch FROM event_ts) * 1000)::bigint AS event_ms, identifier_keys FROM profile_events WHERE tenant_id = ? AND profile_id = ?`,
      [tenantId, profileId],
    );
    const eventCount = new Map<string, number>(partIds.map((p) => [p.id, 0]));
    const eventMoves: Array<{ message_id: string; event_ms: number; profile_id: string }> = [];
    for (const e of events) {
      const anchor = e.identifier_keys
        .filter((k) => partOfKey.has(k))
        .sort((x, y) => (rank.get(parseIdentifierKey(x).type) ?? 99) - (rank.get(parseIdentifierKey(y).type) ?? 99) || (x < y ? -1 : 1))[0];
      const part = anchor === undefined ? profileId : partOfKey.get(anchor)!;
      eventCount.set(part, eventCount.get(part)! + 1);
      if (part !== profileId) eventMoves.push({ message_id: e.message_id, event_ms: Number(e.event_ms), profile_id: part });
    }
    if (eventMoves.length > 0) {
      await trx.raw(
        `UPDATE profile_events t SET profile_id = m.profile_id FROM json_to_recordset(?::json) AS m(message_id text, event_ms bigint, profile_id text)
         WHERE t.tenant_id = ? AND t.message_id = m.message_id AND t.event_ts = to_timestamp(m.event_ms / 1000.0)`,
        [JSON.stringify(eventMoves), tenantId],
      );
    }

    const parts: UnmergedPart[] = [];
    for (const [i, part] of partIds.entries()) {
      const rebuilt = await rebuildTraits(trx, tenantId, part.id, settings);
      parts.push({ profileId: part.id, identifiers: components[i]!, restored: part.restored, events: eventCount.get(part.id)!, traits: rebuilt.traits, version: rebuilt.version });
    }

    const split = parts.filter((p) => p.profileId !== profileId);
    const removedKeys = 'identifier' in request.remove ? [request.remove.identifier] : [request.remove.edge.a, request.remove.edge.b];
    const auditId = stableId(tenantId, profileId, 'unmerge', String(at), removedKeys.join(','));
    await trx.raw(
      `INSERT INTO identity_audit (tenant_id, id, action, profile_id, other_profile_ids, identifiers, rule, reason, actor, occurred_at)
       VALUES (?, ?, 'unmerge', ?, ?, ?::jsonb, 'manual', ?, ?, to_timestamp(? / 1000.0))`,
      [tenantId, auditId, profileId, split.map((p) => p.profileId), JSON.stringify(removedKeys), request.reason ?? null, request.actor, at],
    );
    await enqueueOutbox(trx, tenantId, await unmergeRecords(trx, tenantId, { auditId, profileId, split, removedKeys, request, at }));
    return { auditId, kept: parts.find((p) => p.profileId === profileId)!, split, removedEdges: removed.length, occurredAt: at };
  });
}

/** What the unmerge publishes (through the outbox): its audit record and a snapshot of every part. */
async function unmergeRecords(
  trx: Knex.Transaction,
  tenantId: string,
  u: { auditId: string; profileId: string; split: readonly UnmergedPart[]; removedKeys: readonly string[]; request: UnmergeRequest; at: number },
): Promise<OutboxEntry[]> {
  const audit: IdentityAudit = {
    auditId: u.auditId,
    tenantId,
    action: 'unmerge',
    profileId: u.profileId,
    otherProfileIds: u.split.map((p) => p.profileId),
    identifiers: u.removedKeys.map(identifierRecordOfKey),
    provenance: { messageId: null, sourceId: null, eventTimestamp: null, rule: 'manual', score: null, tier: 'exact', agreedFields: [], actor: u.request.actor, reason: u.request.reason ?? null },
    occurredAt: u.at,
  };
  const states = await readProfileStates(trx, tenantId, [u.profileId, ...u.split.map((p) => p.profileId)]);
  const snapshot = (id: string, splitFrom: string | null): OutboxEntry => ({
    topic: 'profiles.changes',
    profileId: id,
    value: profileChangeRecord(tenantId, states.get(id)!, { change: 'unmerged', splitFromProfileId: splitFrom, causedBy: u.auditId, changedAt: u.at }),
  });
  return [{ topic: 'identity.audit', value: audit }, snapshot(u.profileId, null), ...u.split.map((p) => snapshot(p.profileId, u.profileId))];
}

async function lockIdentifiers(trx: Knex.Transaction, tenantId: string, profileId: string): Promise<IdRow[]> {
  const { rows } = await trx.raw<{ rows: Array<{ type: string; namespace: string; value_hash: string; origin_profile_id: string; first_ms: string }> }>(
    `SELECT type, namespace, value_hash, origin_profile_id, (extract(epoch FROM first_seen_at) * 1000)::bigint AS first_ms
     FROM identifiers WHERE tenant_id = ? AND profile_id = ? ORDER BY type, namespace, value_hash FOR UPDATE`,
    [tenantId, profileId],
  );
  return rows.map((r) => ({ key: `${r.type}:${encodeURIComponent(r.namespace)}:${r.value_hash}`, origin: r.origin_profile_id, firstSeenMs: Number(r.first_ms) }));
}

function edgesToRemove(target: UnmergeTarget, keys: readonly string[], edges: ReadonlyArray<{ id: string; a_key: string; b_key: string }>): string[] {
  if ('identifier' in target) {
    if (!keys.includes(target.identifier)) throw unmergeErrors.error('identifier_not_on_profile', `identifier ${target.identifier} is not on this profile`);
    return edges.filter((e) => e.a_key === target.identifier || e.b_key === target.identifier).map((e) => e.id);
  }
  const [a, b] = target.edge.a < target.edge.b ? [target.edge.a, target.edge.b] : [target.edge.b, target.edge.a];
  const edge = edges.find((e) => e.a_key === a && e.b_key === b);
  if (!edge) throw unmergeErrors.error('edge_not_found', `no active edge between ${a} and ${b} on this profile`);
  return [edge.id];
}

/** Profiles merged into `profileId` (directly or through others): their ids can be given back. */
async function mergedAwayProfiles(trx: Knex.Transaction, tenantId: string, profileId: string): Promise<Set<string>> {
  const { rows } = await trx.raw<{ rows: Array<{ id: string }> }>(`SELECT id FROM profiles WHERE tenant_id = ? AND status = 'merged' AND merged_into = ? FOR UPDATE`, [tenantId, profileId]);
  return new Set(rows.map((r) => r.id));
}

function refColumns(key: string) {
  const r = parseIdentifierKey(key);
  return { type: r.type, namespace: r.namespace, value_hash: r.valueHash };
}
