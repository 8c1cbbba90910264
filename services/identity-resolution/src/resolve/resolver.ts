/**
 * Resolves one tenant's events of a chunk in one tenant-scoped transaction: make sure the event
 * archive has the months, lock, plan, write, read what the outputs need. A race on a new
 * identifier (identity_race) or a deadlock PostgreSQL broke (a merge re-pointing identifiers
 * another chunk holds) redoes the transaction at once, a few times; other failures (PostgreSQL
 * down) go up to the runtime, which retries the chunk with backoff.
 */
import type { Db } from '@stratum/db';
import { enqueueOutbox, lockDoNotContactShared, markListedProfiles, rebuildTraits, stableId, withTenant, type IdentitySettings } from '@stratum/identity';
import type { UniqueEvent } from '@stratum/schemas';
import type { ArchivePartitions } from './archive-partitions';
import { planResolution, type PlannedAudit, type ResolutionPlan } from './plan';
import { lookupKeys, planEventOf } from './plan-input';
import { profileChangeEntries } from './profile-changes';
import { lockState, readChunkAudits, recentMergesOf, storeErrors, writePlan, type ArchivedEvent, type ProfileIdentifierRow, type ProfileRow, type StoredAudit } from './store';

export interface TenantResolution {
  readonly plan: ResolutionPlan;
  /** Surviving profiles the chunk touched, as written. */
  readonly profiles: ReadonlyMap<string, ProfileRow>;
  readonly identifiers: ReadonlyMap<string, ProfileIdentifierRow[]>;
  readonly consents: ReadonlyMap<string, Array<{ purpose: string; granted: boolean; updatedAt: number }>>;
  /** Every decision recorded for the chunk's events (this attempt's, and an earlier attempt's if this is a replay). */
  readonly audits: readonly StoredAudit[];
}

export interface Resolver {
  resolve(tenantId: string, events: readonly UniqueEvent[]): Promise<TenantResolution>;
}

export interface ResolverDependencies {
  db: Db;
  settingsFor(tenantId: string): Promise<IdentitySettings>;
  partitions: ArchivePartitions;
  newProfileId(): string;
  /** The clock for snapshots' changedAt (tests pin it). */
  now?(): number;
  /** Attempts after identity_race before it goes to the runtime as retriable. Default 5. */
  raceAttempts?: number;
}

export const auditIdOf = (tenantId: string, a: PlannedAudit) => stableId(tenantId, a.messageId, a.action, String(a.seq));

function archived(event: UniqueEvent, profileId: string, identifierKeys: string[]): ArchivedEvent {
  return {
    messageId: event.messageId,
    eventTs: event.timestamp,
    receivedAt: event.receivedAt,
    profileId,
    type: event.type,
    eventName: event.event ?? event.name,
    sourceId: event.sourceId,
    identifierKeys,
    payload: archivePayloadOf(event),
  };
}

/** What the archive keeps of an event's content (the timeline the profile API shows). */
export function archivePayloadOf(event: UniqueEvent): Record<string, unknown> {
  const parse = (s: string) => JSON.parse(s) as Record<string, unknown>;
  return {
    channel: event.channel,
    userId: event.userId,
    anonymousId: event.anonymousId,
    previousId: event.previousId,
    groupId: event.groupId,
    event: event.event,
    name: event.name,
    properties: parse(event.properties),
    traits: parse(event.traits),
    context: parse(event.context),
    originalTimestamp: event.originalTimestamp,
    sentAt: event.sentAt,
    requestId: event.requestId,
    schemaVersion: event.schemaVersion,
  };
}

/**
 * The chunk's audits: what an earlier attempt recorded plus what this one inserted. Null when a
 * planned audit is in neither — a concurrent attempt at the same events (a zombie) inserted it
 * after the lock read — so the caller reads them all again.
 */
function chunkAudits(earlier: readonly StoredAudit[], inserted: readonly StoredAudit[], plannedIds: readonly string[]): StoredAudit[] | null {
  const byId = new Map([...earlier, ...inserted].map((a) => [a.id, a]));
  if (plannedIds.some((id) => !byId.has(id))) return null;
  return [...byId.values()].sort((a, b) => a.occurredAt - b.occurredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function createResolver(deps: ResolverDependencies): Resolver {
  const attempts = deps.raceAttempts ?? 5;
  return {
    async resolve(tenantId, events) {
      const planEvents = events.map(planEventOf);
      await deps.partitions.ensure(events.map((e) => e.timestamp));
      const settings = await deps.settingsFor(tenantId);
      for (let attempt = 1; ; attempt++) {
        try {
          return await withTenant(deps.db, tenantId, async (trx) => {
            // Before any row lock: a do-not-contact list change running meanwhile and this chunk see each other's writes.
            await lockDoNotContactShared(trx, tenantId);
            const messageIds = events.map((e) => e.messageId);
            const { earlierAudits, ...state } = await lockState(trx, tenantId, lookupKeys(planEvents), settings, messageIds);
            // The anomaly guard needs the recent merges of the identifiers the chunk merges through: plan, ask about
            // those (a few keys, not the whole chunk's), plan again with what they have done — until no new key comes up.
            const recentMerges = new Map<string, number>();
            const asked = new Set<string>();
            let plan = planResolution({ events: planEvents, ...state, recentMerges, settings, newProfileId: deps.newProfileId });
            for (let round = 0; round < 3; round++) {
              const linking = [...new Set(plan.audits.filter((a) => a.action === 'merge' || a.action === 'review').flatMap((a) => a.identifiers.map((i) => i.key)))].filter((k) => !asked.has(k));
              if (linking.length === 0) break;
              linking.forEach((k) => asked.add(k));
              const found = await recentMergesOf(trx, tenantId, linking, settings.anomaly.windowSeconds);
              if (found.size === 0) continue;
              found.forEach((n, k) => recentMerges.set(k, n));
              plan = planResolution({ events: planEvents, ...state, recentMerges, settings, newProfileId: deps.newProfileId });
            }
            const archive = events.map((e, i) => archived(e, plan.events[i]!.profileId, planEvents[i]!.identifiers.map((id) => id.key)));
            const auditId = (a: PlannedAudit) => auditIdOf(tenantId, a);
            const { profiles, identifiers, consents, insertedAudits } = await writePlan(trx, tenantId, plan, archive, auditId, (r) => stableId(tenantId, r.messageId, 'review', r.identifierKey));
            // A profile created or merged with a listed identifier is marked before its snapshot and events go out.
            for (const id of await markListedProfiles(trx, tenantId, [...profiles.keys()])) profiles.set(id, { ...profiles.get(id)!, doNotContact: true });
            // A late removal under a rule other than latest: the stored state cannot tell what it set aside, the archive can.
            for (const [profileId, { all }] of plan.traits) {
              if (![...all.values()].some((t) => t.stale)) continue;
              const rebuilt = await rebuildTraits(trx, tenantId, profileId, settings);
              profiles.set(profileId, { ...profiles.get(profileId)!, traits: rebuilt.traits, version: rebuilt.version });
            }
            await enqueueOutbox(trx, tenantId, profileChangeEntries(tenantId, events, plan, { profiles, identifiers, consents }, deps.now?.() ?? Date.now()));
            const audits = chunkAudits(earlierAudits, insertedAudits, plan.audits.map(auditId));
            return { plan, profiles, identifiers, consents, audits: audits ?? (await readChunkAudits(trx, tenantId, messageIds)) };
          });
        } catch (err) {
          const redo = storeErrors.is(err, 'identity_race') || storeErrors.is(err, 'identity_inconsistent') || ['40P01', '40001'].includes(String((err as { code?: unknown }).code));
          if (redo && attempt < attempts) continue;
          throw err;
        }
      }
    },
  };
}
