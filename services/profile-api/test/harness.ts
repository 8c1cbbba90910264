/**
 * The profile API over real HTTP against a real PostgreSQL: a database of its own per test file
 * (migrated), tenants provisioned with real admin keys, the app on a free port, and seeding
 * helpers that write identity rows the way identity resolution does — through withTenant, as the
 * stratum_app role under row-level security (event partitions are created as the owner).
 */
import { createHash } from 'node:crypto';
import { createDb, migrateToLatest, type Db } from '@stratum/db';
import type { CredentialKeyring } from '@stratum/destinations';
import { withTenant } from '@stratum/identity';
import { createMetricsRegistry, silentLogger, type Registry } from '@stratum/observability';
import { createAdminKeyDirectory, provisionTenant, type AdminKeyDirectory } from '@stratum/tenancy';
import { uniqueName, useTestPostgres, type TestDatabase } from '@stratum/testing';
import { createProfileApiApp } from '../src/app';
import type { ConsentView } from '../src/profiles/consents';
import type { MergeRecord } from '../src/profiles/merges';
import type { ProfileView } from '../src/profiles/profile-view';
import type { TimelineEvent } from '../src/profiles/timeline';
import { startServer, type RunningServer } from '../src/server';

export const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface TestTenant {
  readonly tenantId: string;
  readonly adminKey: string;
  readonly writeKey: string;
}

export interface Harness {
  readonly db: Db;
  readonly url: string;
  readonly registry: Registry;
  tenant(): Promise<TestTenant>;
}

export interface HarnessOptions {
  /** Another directory (tests of outages); default: the PostgreSQL one with no caching. */
  directory?: (db: Db) => AdminKeyDirectory;
  /** Another database for the app (tests of outages); default: the test database. */
  appDb?: (db: Db) => Db;
  /** Seals destination credentials; default: none (as without STRATUM_CREDENTIALS_KEYS). */
  keyring?: CredentialKeyring | null;
}

/** Starts everything in beforeAll and stops it in afterAll; read fields inside tests only. */
export function useProfileApi(options: HarnessOptions = {}): Harness {
  const postgres = useTestPostgres();
  let database: TestDatabase;
  let db: Db;
  let server: RunningServer;
  let registry: Registry;
  beforeAll(async () => {
    database = await postgres.newDatabase();
    db = createDb(database.url, { maxConnections: 10 });
    await migrateToLatest(db);
    registry = createMetricsRegistry({ service: 'profile-api-test', version: 'test', processMetrics: false });
    const app = createProfileApiApp({
      db: options.appDb?.(db) ?? db,
      directory: options.directory?.(db) ?? createAdminKeyDirectory(db, { ttlMs: 0, negativeTtlMs: 0 }),
      logger: silentLogger(),
      metrics: registry,
      keyring: options.keyring ?? null,
    });
    server = await startServer(app, { port: 0, host: '127.0.0.1', logger: silentLogger(), shutdownTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await database?.drop();
  });
  return {
    get db() {
      return db;
    },
    get url() {
      return server.url;
    },
    get registry() {
      return registry;
    },
    async tenant() {
      const t = await provisionTenant(db, { name: uniqueName('tenant') });
      return { tenantId: t.tenantId, adminKey: t.adminKey!, writeKey: t.writeKey! };
    },
  };
}

export interface ApiAnswer<B> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: B;
}

/** The bodies, as the API's own types say. */
export type ProfileAnswer = ProfileView & { requestedId: string; mergedInto: string | null };
export interface ProfileList {
  profiles: ProfileView[];
}
export interface EventPage {
  profileId: string;
  events: TimelineEvent[];
  nextCursor: string | null;
}
export interface MergePage {
  profileId: string;
  merges: MergeRecord[];
  nextCursor: string | null;
}
export interface ConsentList {
  profileId: string;
  consents: ConsentView[];
}
export interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  field?: string;
  reason?: string;
  retryAfterSeconds?: number;
  allow?: string[];
  problems?: string[];
}

/** One request; `key` goes in as a bearer token unless `authorization` is given. The body is typed as the caller says. */
export async function call<B = ErrorBody>(
  h: Harness,
  path: string,
  options: { key?: string | null; method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<B>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['authorization'] ??= `Bearer ${options.key}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${h.url}${path}`, {
    method: options.method ?? 'GET',
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.rawBody !== undefined ? { body: options.rawBody } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (metrics): the text
  }
  return { status: response.status, headers: response.headers, body: body as B };
}

// ---- seeding, as identity resolution writes ----

export interface SeedProfile {
  id: string;
  traits?: Record<string, unknown>;
  firstSeenAt?: string;
  lastSeenAt?: string;
  mergedInto?: string;
  doNotContact?: boolean;
  version?: number;
}

export async function seedProfiles(db: Db, tenantId: string, profiles: readonly SeedProfile[]): Promise<void> {
  await withTenant(db, tenantId, async (trx) => {
    // Survivors first: a merged profile names one.
    for (const p of [...profiles].sort((a, b) => Number(a.mergedInto !== undefined) - Number(b.mergedInto !== undefined))) {
      await trx('profiles').insert({
        tenant_id: tenantId,
        id: p.id,
        status: p.mergedInto === undefined ? 'active' : 'merged',
        merged_into: p.mergedInto ?? null,
        traits: JSON.stringify(p.traits ?? {}),
        do_not_contact: p.doNotContact ?? false,
        version: p.version ?? 1,
        first_seen_at: p.firstSeenAt ?? '2026-11-01T00:00:00Z',
        last_seen_at: p.lastSeenAt ?? '2026-11-20T00:00:00Z',
      });
    }
  });
}

export interface SeedIdentifier {
  type: string;
  namespace?: string;
  /** Cleartext to hash (ingest's canonical form is the caller's business). */
  canonical: string;
  /** Stored cleartext; default: the canonical value, or null for email and phone. */
  value?: string | null;
  profileId: string;
  firstSeenAt?: string;
}

export async function seedIdentifiers(db: Db, tenantId: string, identifiers: readonly SeedIdentifier[]): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('identifiers').insert(
      identifiers.map((i) => ({
        tenant_id: tenantId,
        type: i.type,
        namespace: i.namespace ?? '',
        value_hash: sha(i.canonical),
        value: i.value !== undefined ? i.value : i.type === 'email' || i.type === 'phone' ? null : i.canonical,
        profile_id: i.profileId,
        origin_profile_id: i.profileId,
        first_seen_at: i.firstSeenAt ?? '2026-11-01T00:00:00Z',
      })),
    ),
  );
}

/** The archive's monthly partition for `month` (YYYY-MM), created as the owner like identity resolution does. */
export async function ensurePartition(db: Db, month: string): Promise<void> {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  await db.raw(`CREATE TABLE IF NOT EXISTS profile_events_${month.replace('-', '')} PARTITION OF profile_events FOR VALUES FROM ('${month}-01') TO ('${next}-01')`);
}

export interface SeedEvent {
  messageId: string;
  /** ISO-8601; microseconds allowed. */
  eventTs: string;
  profileId: string;
  type?: string;
  event?: string | null;
  sourceId?: string;
  /** Keys of the identifiers the event carried (unmerge sends events where their most trusted one goes). */
  identifierKeys?: string[];
  /** An identify event's traits (survivorship rebuilds golden records from them). */
  traits?: Record<string, unknown>;
}

export async function seedEvents(db: Db, tenantId: string, events: readonly SeedEvent[]): Promise<void> {
  for (const month of new Set(events.map((e) => e.eventTs.slice(0, 7)))) await ensurePartition(db, month);
  await withTenant(db, tenantId, (trx) =>
    trx('profile_events').insert(
      events.map((e) => ({
        tenant_id: tenantId,
        message_id: e.messageId,
        event_ts: e.eventTs,
        profile_id: e.profileId,
        received_at: '2026-11-24T00:00:00Z',
        type: e.type ?? 'track',
        event_name: e.event === undefined ? 'Order Completed' : e.event,
        source_id: e.sourceId ?? 'src_test',
        identifier_keys: e.identifierKeys ?? [],
        payload: JSON.stringify({ messageId: e.messageId, properties: { n: e.messageId }, ...(e.traits ? { traits: e.traits } : {}) }),
      })),
    ),
  );
}

export interface SeedAudit {
  id: string;
  action: 'link' | 'merge' | 'unmerge' | 'review' | 'reject';
  profileId: string;
  otherProfileIds?: string[];
  identifiers?: string[];
  occurredAt: string;
  messageId?: string;
  rule?: string;
  reason?: string;
  actor?: string;
}

export async function seedAudit(db: Db, tenantId: string, rows: readonly SeedAudit[]): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('identity_audit').insert(
      rows.map((a) => ({
        tenant_id: tenantId,
        id: a.id,
        action: a.action,
        profile_id: a.profileId,
        other_profile_ids: a.otherProfileIds ?? [],
        identifiers: JSON.stringify(a.identifiers ?? []),
        message_id: a.messageId ?? null,
        source_id: a.messageId === undefined ? null : 'src_test',
        rule: a.rule ?? 'exact',
        reason: a.reason ?? null,
        actor: a.actor ?? null,
        occurred_at: a.occurredAt,
      })),
    ),
  );
}

export async function seedConsents(
  db: Db,
  tenantId: string,
  rows: ReadonlyArray<{ profileId: string; purpose: string; status: string; effectiveAt: string; source?: string }>,
): Promise<void> {
  await withTenant(db, tenantId, (trx) =>
    trx('consents').insert(rows.map((c) => ({ tenant_id: tenantId, profile_id: c.profileId, purpose: c.purpose, status: c.status, source: c.source ?? 'event', effective_at: c.effectiveAt }))),
  );
}
