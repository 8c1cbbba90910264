/**
 * One end-to-end run, shared by `pnpm test:e2e` (small, in CI) and `pnpm bench e2e` (long):
 * a fresh tenant with four mock destinations, the cluster as processes, an identify phase and
 * consents through the profile API, then the bulk through Segment's SDK while processes are killed
 * and one destination fails for a while; then it waits for the pipeline to drain and checks.
 */
import { randomBytes } from 'node:crypto';
import { createDb, migrateToLatest } from '@stratum/db';
import { createCredentialKeyring } from '@stratum/destinations';
import { provisionTenant } from '@stratum/tenancy';
import { waitFor } from '@stratum/testing';
import { startChaos } from './chaos';
import { startCluster, type Cluster, type ClusterOptions } from './cluster';
import { sendCalls, type SendResult } from './sdk-sender';
import { startSinks, stopSinks, type Sink, type SinkName } from './sinks';
import { planTraffic, type TrafficPlan } from './traffic';
import { checkProfiles, checkSink, type ProfileReport, type SinkReport } from './verify';

export interface FaultRunOptions {
  readonly databaseUrl: string;
  readonly workDir: string;
  readonly events: number;
  readonly users: number;
  /** Bulk calls per second (0: as fast as the SDK goes). */
  readonly rate: number;
  /** Mean pause between kill -9s; 0: no kills. */
  readonly killIntervalMs: number;
  /** Processes the chaos loop may kill (default: all). */
  readonly victims?: readonly string[];
  /** How long kills go on after the last call, while the pipeline drains (default 0). */
  readonly chaosTailMs?: number;
  /** How long the `flaky` destination answers 503 once the bulk starts; 0: never. */
  readonly flakyOutageMs: number;
  /** Which destinations (default: all four; `all` is required: the profile check reads it). */
  readonly sinks?: readonly SinkName[];
  /** How long to wait for every expected delivery after the last call. */
  readonly drainTimeoutMs: number;
  readonly seed?: number;
  readonly clusterEnv?: ClusterOptions['env'];
  readonly log: (line: string) => void;
  /** Called as the bulk starts, once it is sent and once delivered (a benchmark samples CPU and lag here). */
  readonly onBulk?: (cluster: Cluster, moment: 'start' | 'sent' | 'drained') => void;
}

export interface FaultRunResult {
  readonly tenantId: string;
  readonly plan: TrafficPlan;
  /** Distinct events planned (identify phase + bulk). */
  readonly uniqueEvents: number;
  readonly bulk: SendResult;
  readonly accepted: number;
  readonly refused: number;
  readonly sinks: SinkReport[];
  readonly profiles: ProfileReport;
  readonly kills: Record<string, number>;
  readonly crashes: Record<string, number>;
  /** From the first bulk call to the last expected delivery. */
  readonly drainedAfterMs: number;
  readonly deliveredAll: boolean;
  /** Gateway receipt → webhook request arrival, per delivered event of the `all` sink, ms. */
  readonly latenciesMs: number[];
}

const CREDENTIALS_KEY = randomBytes(32);

async function recordConsents(cluster: Cluster, adminKey: string, plan: TrafficPlan, log: (line: string) => void): Promise<void> {
  const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
  for (const user of plan.users) {
    let profileId: string | undefined;
    await waitFor(
      async () => {
        const res = await fetch(`${cluster.profileApiUrl}/v1/profiles?identifier=${encodeURIComponent(`user_id:${user.userId}`)}`, { headers }).catch(() => null);
        if (res === null || res.status !== 200) return false;
        profileId = ((await res.json()) as { profiles: Array<{ id: string }> }).profiles[0]?.id;
        return profileId !== undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `the profile of ${user.userId}` },
    );
    const status = user.marketingConsent ? 'granted' : 'denied';
    const res = await fetch(`${cluster.profileApiUrl}/v1/profiles/${profileId}/consents`, { method: 'PUT', headers, body: JSON.stringify({ consents: [{ purpose: 'marketing', status }] }) });
    if (res.status !== 200) throw new Error(`PUT consents for ${user.userId}: ${res.status} ${await res.text()}`);
  }
  log(`consents recorded for ${plan.users.length} users (${plan.users.filter((u) => u.marketingConsent).length} granted marketing)`);
}

export async function runFaultScenario(options: FaultRunOptions): Promise<FaultRunResult> {
  const { log } = options;
  const db = createDb(options.databaseUrl, { maxConnections: 2, applicationName: 'stratum e2e' });
  await migrateToLatest(db);
  const tenant = await provisionTenant(db, { name: `e2e-${randomBytes(4).toString('hex')}` });
  const keyring = createCredentialKeyring({ activeKeyId: 'e2e', keys: { e2e: CREDENTIALS_KEY } });
  const plan = planTraffic({ events: options.events, users: options.users, runId: randomBytes(3).toString('hex'), ...(options.seed === undefined ? {} : { seed: options.seed }) });
  let cluster: Cluster | null = null;
  let sinks: Sink[] = [];
  try {
    cluster = await startCluster({
      databaseUrl: options.databaseUrl,
      workDir: options.workDir,
      credentialKeys: `e2e:${CREDENTIALS_KEY.toString('base64')}`,
      env: {
        ...options.clusterEnv,
        // The per-destination token bucket defaults to 200 requests/s (sparing real platforms); the
        // mocks take more, and the run should be about faults, not the limiter.
        'delivery-adapter': { DELIVERY_DESTINATIONS_TTL_MS: '1000', DELIVERY_RETRY_DELAYS_MS: '1000,3000,8000', DELIVERY_RATE_PER_SECOND: '5000', DELIVERY_RATE_BURST: '1000', ...options.clusterEnv?.['delivery-adapter'] },
        retry: { RETRY_DESTINATION_CACHE_TTL_MS: '1000', ...options.clusterEnv?.retry },
      },
    });
    log(`cluster up: broker ${cluster.bootstrap}, gateway ${cluster.gatewayUrl}, logs under ${options.workDir}/logs`);
    sinks = await startSinks(db, keyring, tenant.tenantId, options.sinks);
    // The adapter and the retry stage see new destinations when their caches refresh.
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const sender = { gatewayUrl: cluster.gatewayUrl, writeKey: tenant.writeKey! };
    const identifies = await sendCalls(plan.identifies, sender);
    await recordConsents(cluster, tenant.adminKey!, plan, log);

    options.onBulk?.(cluster, 'start');
    const chaos = options.killIntervalMs > 0 ? startChaos(cluster, { intervalMs: options.killIntervalMs, seed: options.seed ?? 7, log, ...(options.victims ? { victims: options.victims } : {}) }) : null;
    const flaky = sinks.find((s) => s.name === 'flaky');
    if (flaky !== undefined && options.flakyOutageMs > 0) flaky.mock.faults.failFor(options.flakyOutageMs, 503);
    const bulkStarted = Date.now();
    let lastLogged = 0;
    const bulk = await sendCalls(plan.bulk, { ...sender, rate: options.rate, onProgress: (n) => {
        // About every 5,000 calls.
        if (Math.floor(n / 5000) > Math.floor(lastLogged / 5000)) log(`sent ${n}/${plan.bulk.length}`);
        lastLogged = n;
      } });
    options.onBulk?.(cluster, 'sent');
    log(`bulk sent: ${bulk.calls} calls in ${(bulk.durationMs / 1000).toFixed(1)} s, ${bulk.accepted.size} accepted, ${bulk.refused.size} refused`);
    const accepted = new Set([...identifies.accepted, ...bulk.accepted]);
    const pending = () => sinks.reduce((n, s) => n + checkSink(s, plan, accepted).lost.length, 0);
    // The stages are still working through the backlog: keep killing them for a while.
    if (chaos !== null) {
      const tailEnds = Date.now() + (options.chaosTailMs ?? 0);
      await waitFor(() => pending() === 0 || Date.now() > tailEnds, { timeoutMs: (options.chaosTailMs ?? 0) + 5_000, intervalMs: 500 });
      await chaos.stop();
      log(`chaos stopped after ${chaos.kills.length} kills; every process is up again`);
    }
    let deliveredAll = true;
    await waitFor(() => pending() === 0, { timeoutMs: options.drainTimeoutMs, intervalMs: 500, what: 'every expected delivery' }).catch(() => (deliveredAll = false));
    const drainedAfterMs = Date.now() - bulkStarted;
    options.onBulk?.(cluster, 'drained');
    log(`${deliveredAll ? 'every expected delivery arrived' : 'gave up waiting for deliveries'} ${(drainedAfterMs / 1000).toFixed(1)} s after the first bulk call`);
    // Late repeats (a replayed chunk after the last restart) would show up now.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const reports = sinks.map((s) => checkSink(s, plan, accepted));
    const all = sinks.find((s) => s.name === 'all')!.delivered();
    const profiles = await checkProfiles(db, tenant.tenantId, plan, all);
    const processes = [...cluster.processes.values()];
    return {
      tenantId: tenant.tenantId,
      plan,
      uniqueEvents: new Set([...plan.identifies, ...plan.bulk].map((c) => c.messageId)).size,
      bulk,
      accepted: accepted.size,
      refused: [...bulk.refused.keys(), ...identifies.refused.keys()].filter((id) => !accepted.has(id)).length,
      sinks: reports,
      profiles,
      kills: Object.fromEntries(processes.map((p) => [p.name, p.kills])),
      crashes: Object.fromEntries(processes.map((p) => [p.name, p.crashes])),
      drainedAfterMs,
      deliveredAll,
      latenciesMs: all.flatMap((d) => (d.gatewayReceivedAt === null ? [] : [d.receivedAt - d.gatewayReceivedAt])),
    };
  } finally {
    await cluster?.stop();
    await stopSinks(sinks);
    await db.destroy();
  }
}
