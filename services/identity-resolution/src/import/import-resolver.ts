/**
 * Resolves one tenant's chunk of imported person rows in one tenant-scoped transaction, on the
 * same identity graph and write path as live events (resolve/plan.ts, resolve/store.ts):
 *
 *   1. take the tenant's import lock and bring the in-memory record index up to date
 *      (record-index.ts); skip rows already in it (a re-delivered or re-imported row creates nothing);
 *   2. decide each row against the stored records sharing a blocking key with it and against the
 *      chunk's earlier rows (match-chunk.ts);
 *   3. turn each row into a planned identify event: its own record identifier, its exact
 *      identifiers (user id, email, phone — hashed as ingest hashes them, so a live profile with
 *      the same email is found), and the record identifiers of the records it auto-merges with;
 *      the planner links and merges them exactly as it does live events (limits, anomaly guard,
 *      survivor = first seen, traits by survivorship), and the edges keep the graph unmergeable;
 *   4. write the plan, the person records, the audit (rule
 *      `exact:<type>` or `fuzzy:fellegi_sunter` with score, tier and fields) and the review
 *      entries of borderline pairs, the snapshots and the decisions through the outbox.
 *
 * A row whose candidates span several profiles above the threshold merges them (the planner's
 * merge path), unless two of those records contradict each other (below cannot-link): that link
 * goes to review instead. Pairs of profiles a reviewer rejected are never merged by a match nor
 * queued again (rejected-links.ts).
 */
import type { Db } from '@stratum/db';
import {
  enqueueOutbox,
  identifierRecordOfKey,
  lockDoNotContactShared,
  markListedProfiles,
  parseIdentifierKey,
  readRejectedPairs,
  rebuildTraits,
  stableId,
  withTenant,
  type IdentitySettings,
  type OutboxEntry,
  type RejectedPairs,
} from '@stratum/identity';
import type { IdentityAudit, PersonImport, UniqueEvent } from '@stratum/schemas';
import type { ArchivePartitions } from '../resolve/archive-partitions';
import { planResolution, type PlanEvent, type PlanIdentifier, type PlannedAudit, type ResolutionPlan } from '../resolve/plan';
import { lookupKeys } from '../resolve/plan-input';
import { profileChangeEntries } from '../resolve/profile-changes';
import { auditIdOf } from '../resolve/resolver';
import { lockState, recentMergesOf, storeErrors, writePlan, type StoredAudit } from '../resolve/store';
import type { MatchCandidate, RowDecisions, RowMatch } from './match-chunk';
import { importedPerson, type ImportedPerson } from './person-record';
import { statisticsRefresher, type StatisticsRefresher } from './planner-statistics';
import type { RecordIndex, StoredRecords } from './record-index';
import { withoutRejectedLinks } from './rejected-links';
import { importStoreErrors, insertPersonRecords, profilesOfKeys, provenanceOf, type MatchProvenance } from './store';

export const FUZZY_RULE = 'fuzzy:fellegi_sunter';
export const FUZZY_REVIEW_REASON = 'fuzzy_match';

/** How a row was resolved: onto an existing profile by an exact identifier or a match of that tier, or a new profile. */
export type RowOutcome = 'exact' | 'strong' | 'fuzzy' | 'new';

export interface ImportResolution {
  /** Rows of the chunk resolved now (re-delivered ones excluded). */
  readonly resolved: number;
  /** Rows skipped: already resolved by an earlier delivery (or twice in the chunk). */
  readonly skipped: number;
  readonly outcomes: Readonly<Record<RowOutcome, number>>;
  /** Review entries queued. */
  readonly reviews: number;
  readonly merges: number;
  readonly profilesCreated: number;
  readonly pairsCompared: number;
  /** Rows whose decisions were worked out while the sub-chunk before them was written. */
  readonly decidedAhead: number;
  /** Per input row (in order): its profile, or null when skipped. */
  readonly profileIds: ReadonlyArray<string | null>;
}

export interface PersonImportResolver {
  resolve(tenantId: string, rows: readonly PersonImport[]): Promise<ImportResolution>;
}

export interface PersonImportResolverDependencies {
  db: Db;
  settingsFor(tenantId: string): Promise<IdentitySettings>;
  partitions: ArchivePartitions;
  newProfileId(): string;
  /** Stored blocks larger than this are not compared (default 1000). */
  maxBlockSize?: number;
  /** The tenants' stored records, and the matcher's thread that holds them (record-index.ts). */
  index: RecordIndex;
  /** Re-analyses the tables as tenants grow (default: planner-statistics.ts's defaults). */
  statistics?: StatisticsRefresher;
  /**
   * Rows per transaction (default 1000): a stage chunk is resolved in sub-chunks, each one's
   * matching worked out while the one before is written.
   */
  subChunkRows?: number;
  now?(): number;
  raceAttempts?: number;
}

const EMPTY_OUTCOMES: Record<RowOutcome, number> = { exact: 0, strong: 0, fuzzy: 0, new: 0 };

export function createPersonImportResolver(deps: PersonImportResolverDependencies): PersonImportResolver {
  const maxBlockSize = deps.maxBlockSize ?? 1000;
  const attempts = deps.raceAttempts ?? 5;
  const index = deps.index;
  const statistics = deps.statistics ?? statisticsRefresher(deps.db);
  const subChunkRows = deps.subChunkRows ?? 1000;
  const candidateOf = (p: ImportedPerson): MatchCandidate => ({ match: p.match, recordKey: p.recordKey });

  /**
   * Starts working out `people`'s decisions, on the matcher's thread, while the chunk before
   * (`pending`, not committed yet) is planned and written here. A failure only means they are
   * worked out again when needed.
   */
  const lookAhead = (people: readonly ImportedPerson[], stored: StoredRecords, pending: readonly MatchCandidate[]): Lookahead => {
    const rows = people.map(candidateOf);
    return { rows, expectedSeq: null, decisions: index.match(stored, rows, pending, maxBlockSize).catch(() => null) };
  };

  /**
   * One sub-chunk in one tenant transaction (redone on a race). `ahead`: decisions worked out in
   * advance, used only if the index holds exactly what they assumed (the previous sub-chunk
   * committed, nothing else arrived) and the rows to resolve are the ones they were for.
   * `onMatched`: called once this sub-chunk's decisions are known, to start the next one's.
   */
  async function resolvePart(
    tenantId: string,
    people: readonly ImportedPerson[],
    settings: IdentitySettings,
    planSettings: IdentitySettings,
    ahead: Lookahead | null,
    onMatched: ((stored: StoredRecords, pending: readonly MatchCandidate[]) => void) | null,
  ): Promise<PartResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { result, committed } = await withTenant(deps.db, tenantId, async (trx): Promise<{ result: PartResult; committed: { fresh: readonly MatchCandidate[]; records: number } | null }> => {
          const stored = await index.catchUp(trx, tenantId);
          await lockDoNotContactShared(trx, tenantId);
          const fresh = people.filter((p) => !stored.has(p.recordKey));
          if (fresh.length === 0) return { result: { ...NOTHING_RESOLVED, profileOf: new Map(), committedSeq: null }, committed: null };

          // 2. Decisions, against the index (worked out ahead while the previous sub-chunk was written, when still valid).
          const candidates = fresh.map(candidateOf);
          const early = await decisionsAhead(ahead, stored, candidates);
          let decisions = early ?? (await index.match(stored, candidates, [], maxBlockSize));
          onMatched?.(stored, candidates);

          // 3. Plan, as live events are planned.
          const planEventsOf = (rows: readonly RowDecisions[]): PlanEvent[] =>
            fresh.map((p, i) => ({
              messageId: p.messageId,
              sourceId: p.row.sourceId,
              type: 'identify',
              eventTs: p.row.receivedAt,
              identifiers: [p.recordIdentifier, ...p.exact, ...rows[i]!.links.map((l) => linkIdentifier(l.recordKey))],
              traits: p.traits,
            }));
          let planEvents = planEventsOf(decisions);
          const keys = [...new Set(lookupKeys(planEvents))].sort();
          // No earlier audits to find (no message ids): a row an earlier attempt stored is skipped above, by its person record.
          const { earlierAudits: _earlier, ...state } = await lockState(trx, tenantId, keys, planSettings, []);
          // What reviewers rejected stays apart: such links are dropped (and not queued again, below).
          const rejected = await readRejectedPairs(trx, tenantId);
          if (rejected.size > 0) {
            decisions = withoutRejectedLinks(fresh.map((p) => p.exact.map((x) => x.key)), decisions, state.known, rejected);
            planEvents = planEventsOf(decisions);
          }
          const recentMerges = new Map<string, number>();
          let plan = planResolution({ events: planEvents, ...state, recentMerges, settings: planSettings, newProfileId: deps.newProfileId });
          const linking = [...new Set(plan.audits.filter((a) => a.action === 'merge' || a.action === 'review').flatMap((a) => a.identifiers.map((x) => x.key)))];
          if (linking.length > 0) {
            const found = await recentMergesOf(trx, tenantId, linking, settings.anomaly.windowSeconds);
            if (found.size > 0) {
              found.forEach((n, k) => recentMerges.set(k, n));
              plan = planResolution({ events: planEvents, ...state, recentMerges, settings: planSettings, newProfileId: deps.newProfileId });
            }
          }

          // A review entry names the other record's profile; nothing is linked to it, so it is read, not locked with its traits.
          const reviewKeys = [...new Set(decisions.flatMap((d) => d.reviews.map((r) => r.recordKey)))].filter((k) => !state.known.has(k));
          const reviewed = await profilesOfKeys(trx, tenantId, reviewKeys);
          const explained = explain(fresh, decisions, plan, new Map([...reviewed, ...state.known]), rejected);
          const finalPlan: ResolutionPlan = { ...plan, audits: explained.audits, reviews: [...plan.reviews, ...explained.reviews] };
          const archive = fresh.map((p, i) => ({
            messageId: p.messageId,
            eventTs: p.row.receivedAt,
            receivedAt: p.row.receivedAt,
            profileId: plan.events[i]!.profileId,
            type: 'identify',
            eventName: null,
            sourceId: p.row.sourceId,
            identifierKeys: planEvents[i]!.identifiers.map((x) => x.key),
            payload: { traits: p.traits, import: { importId: p.row.importId, rowNumber: p.row.rowNumber, recordId: p.row.recordId, attributes: JSON.parse(p.row.attributes) as unknown } },
          }));
          const auditId = (a: PlannedAudit) => auditIdOf(tenantId, a);
          const reviewId = (r: ResolutionPlan['reviews'][number]) => stableId(tenantId, r.messageId, 'review', r.identifierKey);

          // 4. Write.
          const { profiles, identifiers, consents, insertedAudits } = await writePlan(trx, tenantId, finalPlan, archive, auditId, reviewId);
          const maxSeq = await insertPersonRecords(
            trx,
            tenantId,
            fresh.map((person, i) => ({ person, profileId: plan.events[i]!.profileId, outcome: explained.outcomes[i]! })),
          );
          const provenanceById = new Map(explained.audits.flatMap((a) => (a.match ? [[auditId(a), a.match as MatchProvenance] as const] : [])));
          for (const id of await markListedProfiles(trx, tenantId, [...profiles.keys()])) profiles.set(id, { ...profiles.get(id)!, doNotContact: true });
          for (const [profileId, { all: traitRows }] of plan.traits) {
            if (![...traitRows.values()].some((t) => t.stale)) continue;
            const rebuilt = await rebuildTraits(trx, tenantId, profileId, settings);
            profiles.set(profileId, { ...profiles.get(profileId)!, traits: rebuilt.traits, version: rebuilt.version });
          }
          // profileChangeEntries reads only each event's messageId.
          const asEvents = fresh.map((p) => ({ messageId: p.messageId }) as UniqueEvent);
          const now = deps.now?.() ?? Date.now();
          const entries: OutboxEntry[] = [
            ...profileChangeEntries(tenantId, asEvents, finalPlan, { profiles, identifiers, consents }, now),
            ...insertedAudits.map((a): OutboxEntry => ({ topic: 'identity.audit', value: auditRecord(tenantId, a, provenanceById.get(a.id) ?? null) })),
          ];
          await enqueueOutbox(trx, tenantId, entries);

          const outcomes = { ...EMPTY_OUTCOMES };
          explained.outcomes.forEach((o) => outcomes[o]++);
          return {
            result: {
              resolved: fresh.length,
              outcomes,
              reviews: explained.reviews.length,
              merges: plan.merged.size,
              profilesCreated: plan.newProfiles.size,
              pairsCompared: decisions.reduce((n, d) => n + d.compared, 0),
              decidedAhead: early ? fresh.length : 0,
              profileOf: new Map(fresh.map((p, i) => [p.recordId, plan.events[i]!.profileId])),
              committedSeq: maxSeq,
            },
            committed: { fresh: candidates, records: stored.size + fresh.length },
          };
        });
        // Committed: the index takes the chunk's records (a rolled-back attempt never gets here).
        if (committed) {
          index.committed(tenantId, committed.fresh, result.committedSeq!);
          statistics.grown(tenantId, committed.records);
        }
        return result;
      } catch (err) {
        const redo =
          storeErrors.is(err, 'identity_race') ||
          storeErrors.is(err, 'identity_inconsistent') ||
          importStoreErrors.is(err, 'person_record_race') ||
          ['40P01', '40001'].includes(String((err as { code?: unknown }).code));
        if (redo && attempt < attempts) continue;
        throw err;
      }
    }
  }

  return {
    async resolve(tenantId, rows) {
      const all = rows.map(importedPerson);
      // A row delivered twice within the chunk counts once.
      const firstOf = new Map<string, number>();
      all.forEach((p, i) => firstOf.has(p.recordId) || firstOf.set(p.recordId, i));
      await deps.partitions.ensure(all.map((p) => p.row.receivedAt));
      const settings = await deps.settingsFor(tenantId);
      // Record identifiers (external_id) rank last: an exact identifier anchors a row when it has one, so the audit tells exact links from fuzzy ones.
      const planSettings: IdentitySettings = { ...settings, priority: [...settings.priority.filter((t) => t !== 'external_id'), 'external_id'] };
      const unique = [...firstOf.values()].sort((a, b) => a - b).map((i) => all[i]!);
      const parts: ImportedPerson[][] = [];
      for (let i = 0; i < unique.length; i += subChunkRows) parts.push(unique.slice(i, i + subChunkRows));

      const total = { ...NOTHING_RESOLVED, outcomes: { ...EMPTY_OUTCOMES } };
      const profileOf = new Map<string, string>();
      const next: { ahead: Lookahead | null } = { ahead: null };
      for (let k = 0; k < parts.length; k++) {
        const ahead = next.ahead;
        next.ahead = null;
        const following = parts[k + 1];
        const startNext = following
          ? (stored: StoredRecords, pending: readonly MatchCandidate[]) => {
              // A redone attempt starts it again, from what the attempt decided.
              next.ahead = lookAhead(following, stored, pending);
            }
          : null;
        const part = await resolvePart(tenantId, parts[k]!, settings, planSettings, ahead, startNext);
        // Set by startNext during resolvePart (a closure the compiler does not follow); valid only
        // on the records this part committed (nothing committed: the next part matches afresh).
        const started = next.ahead as Lookahead | null;
        if (started && part.committedSeq !== null) started.expectedSeq = part.committedSeq;
        total.resolved += part.resolved;
        total.reviews += part.reviews;
        total.merges += part.merges;
        total.profilesCreated += part.profilesCreated;
        total.pairsCompared += part.pairsCompared;
        total.decidedAhead += part.decidedAhead;
        for (const o of Object.keys(total.outcomes) as RowOutcome[]) total.outcomes[o] += part.outcomes[o];
        part.profileOf.forEach((profileId, recordId) => profileOf.set(recordId, profileId));
      }
      return {
        ...total,
        skipped: rows.length - total.resolved,
        profileIds: all.map((p, i) => (firstOf.get(p.recordId) === i ? (profileOf.get(p.recordId) ?? null) : null)),
      };
    },
  };
}

/** A sub-chunk's decisions, being worked out while the sub-chunk before it is written. */
interface Lookahead {
  readonly rows: readonly MatchCandidate[];
  /** Null if the matcher failed. */
  readonly decisions: Promise<RowDecisions[] | null>;
  /** The index's `loadedSeq` once the sub-chunk before committed (null until then). */
  expectedSeq: number | null;
}

/** The decisions worked out ahead, if they were for these rows against exactly this index; null otherwise. */
async function decisionsAhead(ahead: Lookahead | null, stored: StoredRecords, rows: readonly MatchCandidate[]): Promise<RowDecisions[] | null> {
  if (!ahead) return null;
  const valid = ahead.expectedSeq !== null && stored.loadedSeq === ahead.expectedSeq && ahead.rows.length === rows.length && ahead.rows.every((r, i) => r.recordKey === rows[i]!.recordKey);
  return valid ? ahead.decisions : null;
}

interface PartResult {
  readonly resolved: number;
  readonly outcomes: Record<RowOutcome, number>;
  readonly reviews: number;
  readonly merges: number;
  readonly profilesCreated: number;
  readonly pairsCompared: number;
  readonly decidedAhead: number;
  /** Profile per resolved row's record id. */
  readonly profileOf: ReadonlyMap<string, string>;
  /** The highest person-record seq it committed; null when it committed nothing. */
  readonly committedSeq: number | null;
}

const NOTHING_RESOLVED = { resolved: 0, outcomes: EMPTY_OUTCOMES, reviews: 0, merges: 0, profilesCreated: 0, pairsCompared: 0, decidedAhead: 0 };

function linkIdentifier(key: string): PlanIdentifier {
  return { key, ref: parseIdentifierKey(key), value: null };
}

interface Explained {
  /** With the match provenance (score, tier, fields) on those a match or an exact identifier decided. */
  audits: PlannedAudit[];
  reviews: Array<ResolutionPlan['reviews'][number] & { match: MatchProvenance }>;
  outcomes: RowOutcome[];
}

/**
 * The planner's audits with the import's provenance: a merge through a matched record's
 * identifier, or a link whose profile a match decided (no exact identifier of the row was known),
 * is `fuzzy:fellegi_sunter` with the pair's score, tier and fields; exact links keep
 * `exact:<type>`. Borderline pairs that did not end on one profile become review entries (and a
 * `review` audit each).
 */
function explain(fresh: readonly ImportedPerson[], decisions: readonly RowDecisions[], plan: ResolutionPlan, known: ReadonlyMap<string, string>, rejected: RejectedPairs): Explained {
  const finalOf = (p: string): string => {
    let x = p;
    for (let i = 0; i < 1000 && plan.merged.has(x); i++) x = plan.merged.get(x)!;
    return x;
  };
  const rowOfKey = new Map(fresh.map((p, i) => [p.recordKey, i]));
  const indexOfMessage = new Map(fresh.map((p, i) => [p.messageId, i]));
  const knownBefore = new Set(known.keys());
  const exactHitOf: Array<PlanIdentifier | null> = [];
  fresh.forEach((p) => {
    exactHitOf.push(p.exact.find((x) => knownBefore.has(x.key)) ?? null);
    for (const x of [p.recordIdentifier, ...p.exact]) knownBefore.add(x.key);
  });
  const matchOf = (i: number, key: string): RowMatch | undefined => decisions[i]!.links.find((l) => l.recordKey === key);
  const exactProvenance = (type: string): MatchProvenance => ({ score: null, tier: 'exact', fields: { agreed: [type] } });

  const audits: PlannedAudit[] = [];
  const linked = new Set<string>();
  for (const a of plan.audits) {
    const i = indexOfMessage.get(a.messageId)!;
    let out = a;
    let prov: MatchProvenance | null = null;
    if (a.action === 'merge') {
      const via = a.identifiers.at(-1)!;
      const m = matchOf(i, via.key) ?? a.identifiers.map((x) => matchOf(i, x.key)).find((x) => x !== undefined);
      if (m) {
        out = { ...a, rule: FUZZY_RULE };
        prov = provenanceOf(m.decision);
      } else prov = exactProvenance(via.ref.type);
    } else if (a.action === 'link') {
      const hit = exactHitOf[i];
      const best = decisions[i]!.links[0];
      if (hit) {
        out = { ...a, rule: `exact:${hit.ref.type}` };
        prov = exactProvenance(hit.ref.type);
      } else if (best) {
        out = { ...a, rule: FUZZY_RULE };
        prov = provenanceOf(best.decision);
      }
    }
    audits.push(prov ? { ...out, match: prov } : out);
    if (a.action === 'link' || a.action === 'merge') linked.add(a.messageId);
  }

  // The review queue is for people: a row that found its profile (exact identifier or strong
  // match) queues only the links the chain guard held back; a row that found none queues its best
  // borderline pair. Every weaker pair of every row would be most of a file on synthetic data
  // (relatives and neighbours share surname, street and postcode) and bury the decisions that matter.
  const reviews: Explained['reviews'] = [];
  fresh.forEach((p, i) => {
    const mine = plan.events[i]!.profileId;
    const queued = new Set<string>();
    const found = exactHitOf[i] !== null || decisions[i]!.links.length > 0;
    let borderline = 0;
    decisions[i]!.reviews.forEach((r, k) => {
      const heldBack = r.decision.action === 'merge';
      if (!heldBack && (found || borderline > 0)) return;
      const j = rowOfKey.get(r.recordKey);
      const stored = known.get(r.recordKey);
      const theirs = j !== undefined ? plan.events[j]!.profileId : stored !== undefined ? finalOf(stored) : null;
      if (theirs === null || theirs === mine || queued.has(theirs) || rejected.has(mine, theirs)) return;
      queued.add(theirs);
      if (!heldBack) borderline++;
      const prov = provenanceOf(r.decision);
      reviews.push({ identifierKey: r.recordKey, candidates: [mine, theirs], messageId: p.messageId, reason: FUZZY_REVIEW_REASON, match: prov });
      const audit: PlannedAudit = {
        action: 'review',
        profileId: mine,
        otherProfileIds: [theirs],
        identifiers: [p.recordIdentifier, linkIdentifier(r.recordKey)],
        messageId: p.messageId,
        sourceId: p.row.sourceId,
        eventTs: p.row.receivedAt,
        rule: FUZZY_RULE,
        reason: FUZZY_REVIEW_REASON,
        // After the planner's own audits of the event (they number from 0).
        seq: 1000 + k,
        match: prov,
      };
      audits.push(audit);
    });
  });

  const reviewed = new Set(reviews.map((r) => r.messageId));
  const outcomes: RowOutcome[] = fresh.map((p, i) => {
    if (exactHitOf[i]) return 'exact';
    const best = decisions[i]!.links[0];
    if (best && linked.has(p.messageId)) return best.decision.tier === 'exact' ? 'exact' : 'strong';
    return reviewed.has(p.messageId) ? 'fuzzy' : 'new';
  });
  return { audits, reviews, outcomes };
}

/** A stored decision as an identity.audit record, with the match's score, tier and agreed fields. */
export function auditRecord(tenantId: string, a: StoredAudit, provenance: MatchProvenance | null): IdentityAudit {
  return {
    auditId: a.id,
    tenantId,
    action: a.action,
    profileId: a.profileId,
    otherProfileIds: a.otherProfileIds,
    identifiers: a.identifierKeys.map(identifierRecordOfKey),
    provenance: {
      messageId: a.messageId,
      sourceId: a.sourceId,
      eventTimestamp: a.eventTs,
      rule: a.rule,
      score: provenance?.score ?? null,
      tier: provenance?.tier ?? (a.rule.startsWith('exact:') ? 'exact' : null),
      agreedFields: provenance ? [...provenance.fields.agreed] : [],
      actor: null,
      reason: a.reason,
    },
    occurredAt: a.occurredAt,
  };
}
