/**
 * One trace: read the topics' window once (every stage's topics in one pass), then PostgreSQL (the
 * dedup claims and source names on the command's connection, the tenant tables in one
 * tenant-scoped snapshot), and let each stage's source say what happened to the event.
 */
import { withTenant, type Db } from '@stratum/db';
import { confluentRegistryClient } from '@stratum/schemas';
import { findTenant } from '@stratum/tenancy';
import type { TraceContext } from './context';
import { traceErrors } from './errors';
import { asUnreachable, traceKafka } from './kafka-client';
import { dedupReport, dedupTargets, emptyDedupFound, readClaims } from './sources/dedup';
import { deliveryReport, deliveryTargets, emptyDeliveryFound, readDeliveryRows } from './sources/delivery';
import { emptyIdentityFound, identityReport, identityTargets, readIdentityRows } from './sources/identity';
import { emptyIngestFound, ingestReport, ingestTargets, laterQuarantines, readSourceNames } from './sources/ingest';
import { foundAnything, inTimeOrder, iso, scannedOf, type ScannedTopic, type Trace } from './timeline';
import { scanTopics } from './topic-scan';

export interface TraceRequest {
  readonly messageId: string;
  /** Tenant id or name. */
  readonly tenant: string;
  /** Topics are read from this time on. */
  readonly since: Date;
  readonly brokers: readonly string[];
  readonly registryUrl: string;
  /** Topics are named `<prefix>.<catalogue name>` (a per-environment or test copy of the catalogue). */
  readonly topicPrefix?: string;
  /** Give up on a partition that makes no progress for this long (default 5 s). */
  readonly idleMs?: number;
}

export async function runTrace(db: Db, request: TraceRequest): Promise<Trace> {
  const { messageId } = request;
  const { tenantId, name: tenantName } = await findTenant(db, request.tenant);
  const prefix = request.topicPrefix === undefined || request.topicPrefix === '' ? '' : `${request.topicPrefix}.`;
  const ctx: TraceContext = { tenantId, messageId, registry: confluentRegistryClient(request.registryUrl), topicName: (name) => `${prefix}${name}` };

  const ingest = emptyIngestFound();
  const dedup = emptyDedupFound();
  const identity = emptyIdentityFound();
  const delivery = emptyDeliveryFound();
  const targets = [...ingestTargets(ctx, ingest), ...dedupTargets(ctx, dedup), ...identityTargets(ctx, identity), ...deliveryTargets(ctx, delivery)];
  let stats;
  try {
    stats = await scanTopics(traceKafka(request.brokers), targets, { fromTimestamp: request.since.getTime(), ...(request.idleMs === undefined ? {} : { idleMs: request.idleMs }) });
  } catch (err) {
    throw asUnreachable(err, `Kafka (${request.brokers.join(',')}) or the schema registry (${request.registryUrl})`);
  }
  const scanned = scannedOf(stats.map((s) => ({ catalogueName: s.topic.slice(prefix.length), stats: s })));

  const claims = await readClaims(db, tenantId, messageId);
  const sourceNames = await readSourceNames(db, tenantId, ingest.raw.map((f) => f.value.sourceId));
  const profileIds = [...identity.resolved.map((f) => f.value.profileId), ...identity.audits.map((f) => f.value.profileId)];
  // One snapshot: the profile, its merges and the delivery rows are read as of one moment.
  const rows = await withTenant(
    db,
    tenantId,
    async (trx) => ({ identity: await readIdentityRows(trx, tenantId, messageId, profileIds), delivery: await readDeliveryRows(trx, tenantId, messageId) }),
    { mode: 'snapshot' },
  );

  const reports = {
    ingest: ingestReport(ingest, sourceNames),
    dedup: dedupReport(ingest.valid, dedup, claims),
    identity: identityReport(identity, rows.identity),
    delivery: deliveryReport(delivery, rows.delivery, tenantId),
  };
  const all = Object.values(reports);
  if (!foundAnything(all)) {
    const records = Object.values(scanned).reduce((n, s) => n + s.records, 0);
    const missing = Object.values(scanned).filter((s) => !s.exists).map((s) => s.topic);
    const absent = missing.length === 0 ? '' : `; topics that do not exist: ${missing.join(', ')} (wrong --topic-prefix?)`;
    throw traceErrors.error(
      'not_found',
      `not found: no message ${messageId} of tenant ${tenantName} (${tenantId}) on any topic since ${iso(request.since.getTime())} (${records} records read) nor in PostgreSQL; try a longer --since, or check the messageId and tenant${absent}`,
      { details: { scanned } },
    );
  }
  return {
    messageId,
    tenantId,
    tenantName,
    since: iso(request.since.getTime()),
    steps: inTimeOrder(all.flatMap((r) => r.steps)),
    status: [
      ...reports.ingest.status,
      ...laterQuarantines(ingest),
      ...reports.dedup.status,
      ...reports.identity.status,
      ...gaps({ passedDedup: dedup.unique.length > 0, resolved: reports.identity.status.length > 0, delivery: reports.delivery.status.length > 0 }),
      ...reports.delivery.status,
      ...unread(scanned),
    ],
    found: {
      topics: Object.fromEntries(Object.entries(scanned).map(([name, s]) => [name, s.matched])),
      ingest: reports.ingest.found,
      dedup: reports.dedup.found,
      identity: reports.identity.found,
      profile: reports.identity.profile,
      delivery: reports.delivery.found,
    },
    scanned,
  };
}

/** The stage after the last one that saw the event, when it should have: where the event is waiting. */
function gaps(reached: { passedDedup: boolean; resolved: boolean; delivery: boolean }): string[] {
  if (reached.resolved && !reached.delivery) return ['no delivery found: no destination takes this event (filters, consent, none enabled), or delivery-adapter has not got to it yet'];
  if (reached.passedDedup && !reached.resolved) return ['passed dedup but not on events.resolved: identity-resolution has not resolved it yet (lagging, or quarantined it?)'];
  return [];
}

/** Partitions not read to their end: what is past them was not searched. */
function unread(scanned: Record<string, ScannedTopic>): string[] {
  return Object.entries(scanned).flatMap(([name, s]) =>
    s.complete ? [] : [`${name}: ${s.incomplete.map((p) => `partition ${p.partition} read to offset ${p.reached} of ${p.end}`).join(', ')} (it stopped making progress): the rest of it was not searched`],
  );
}
