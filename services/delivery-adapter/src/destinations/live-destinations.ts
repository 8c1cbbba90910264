/**
 * The enabled destinations of every tenant, with configs parsed and credentials decrypted, kept in
 * memory and refreshed every `ttlMs` (a disabled destination stops receiving within that time). A
 * destination keeps its lane (breaker state, rate bucket) across refreshes and setting changes, so
 * an edit does not reset an open breaker.
 */
import type { Db } from '@stratum/db';
import { keepsKeyOrder, effectivePolicy, type RetryLimits } from '@stratum/delivery';
import { ADAPTERS, DestinationConfigError, listEnabledDestinations, type AnyAdapter, type CredentialKeyring, type DestinationWithCredentials, type PublicTargetOptions } from '@stratum/destinations';
import type { Logger } from '@stratum/observability';
import { DestinationLane, type BreakerState, type LaneSettings } from '../send/destination-lane';
import type { HttpSender } from '../send/http-sender';

export interface LiveDestination {
  readonly tenantId: string;
  readonly destinationId: string;
  readonly record: DestinationWithCredentials;
  readonly adapter: AnyAdapter;
  /** The adapter's parsed config, or why it could not be parsed (every event dead-letters until fixed). */
  readonly config: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: string };
  readonly lane: DestinationLane;
  readonly ordered: boolean;
  readonly limits: RetryLimits;
}

export interface LiveDestinationsOptions {
  readonly db: Db;
  readonly keyring: CredentialKeyring;
  readonly sender: HttpSender;
  readonly lane: LaneSettings;
  readonly defaults: RetryLimits;
  /** SSRF exceptions for webhook URLs (tests, on-premise receivers). */
  readonly guard: PublicTargetOptions;
  readonly ttlMs: number;
  readonly logger: Logger;
  readonly onBreaker: (d: { tenantId: string; destinationId: string; type: string }, state: BreakerState) => void;
}

export class LiveDestinations {
  private byTenant = new Map<string, LiveDestination[]>();
  private readonly lanes = new Map<string, DestinationLane>();
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: LiveDestinationsOptions) {}

  /** The tenant's enabled destinations (refreshing first when the cache is older than its TTL). */
  async forTenant(tenantId: string): Promise<readonly LiveDestination[]> {
    await this.fresh();
    return this.byTenant.get(tenantId) ?? [];
  }

  async find(tenantId: string, destinationId: string): Promise<LiveDestination | undefined> {
    return (await this.forTenant(tenantId)).find((d) => d.destinationId === destinationId);
  }

  /** Every lane's breaker state (metrics). */
  breakerStates(): Array<{ key: string; state: BreakerState }> {
    return [...this.lanes].map(([key, lane]) => ({ key, state: lane.state() }));
  }

  close(): void {
    for (const lane of this.lanes.values()) lane.shutdown();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt < this.options.ttlMs) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    await this.loading;
  }

  private async load(): Promise<void> {
    const { destinations, unreadable } = await listEnabledDestinations(this.options.db, this.options.keyring);
    for (const u of unreadable) this.options.logger.error({ tenantId: u.tenantId, destinationId: u.destinationId, keyId: u.keyId, code: u.code }, `destination credentials do not decrypt; not delivering to it: ${u.message}`);
    const next = new Map<string, LiveDestination[]>();
    for (const record of destinations) {
      const live = this.live(record);
      next.set(record.tenantId, [...(next.get(record.tenantId) ?? []), live]);
    }
    this.byTenant = next;
    this.loadedAt = Date.now();
  }

  private live(record: DestinationWithCredentials): LiveDestination {
    const adapter = ADAPTERS[record.type];
    let config: LiveDestination['config'];
    try {
      config = { ok: true, value: adapter.parseConfig({ settings: record.settings, credentials: record.credentials }) };
    } catch (err) {
      if (!(err instanceof DestinationConfigError)) throw err;
      config = { ok: false, problem: err.message };
    }
    const key = `${record.tenantId}/${record.destinationId}`;
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      const who = { tenantId: record.tenantId, destinationId: record.destinationId, type: record.type };
      // Only webhooks go to tenant-supplied hosts; the platforms' hosts are fixed in the adapters.
      lane = new DestinationLane(this.options.sender, this.options.lane, record.type === 'webhook' ? this.options.guard : null, { breakerChanged: (state) => this.options.onBreaker(who, state) });
      this.lanes.set(key, lane);
    }
    return {
      tenantId: record.tenantId,
      destinationId: record.destinationId,
      record,
      adapter,
      config,
      lane,
      ordered: keepsKeyOrder(record.type, record.deliveryPolicy),
      limits: effectivePolicy(record.deliveryPolicy, this.options.defaults),
    };
  }
}
