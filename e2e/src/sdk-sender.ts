/**
 * Sends planned calls through Segment's own Node SDK (@segment/analytics-node), configured with
 * nothing but the gateway's URL and the write key — a real client, batching and retrying as it
 * does for customers. Each call's callback says whether the SDK got it accepted; those answers are
 * the run's "accepted" count. Calls are paced to a target rate so a benchmark can hold a load.
 */
import { Analytics } from '@segment/analytics-node';
import type { PlannedCall } from './traffic';

export interface SendResult {
  /** Calls made (resends included). */
  readonly calls: number;
  /** messageIds of calls the gateway accepted (for a resend: either send). */
  readonly accepted: ReadonlySet<string>;
  /** messageIds the SDK gave up on, with its last error. */
  readonly refused: ReadonlyMap<string, string>;
  /** When each accepted messageId was first handed to the SDK, epoch ms (for latency). */
  readonly sentAt: ReadonlyMap<string, number>;
  readonly durationMs: number;
}

export interface SenderOptions {
  readonly gatewayUrl: string;
  readonly writeKey: string;
  /** Calls per second; 0 or absent: as fast as the SDK takes them. */
  readonly rate?: number;
  /** SDK retries per batch (default 30: a kill -9 of the gateway or broker must not lose calls). */
  readonly maxRetries?: number;
  readonly flushAt?: number;
  readonly flushIntervalMs?: number;
  /** Called every second with the calls made so far. */
  readonly onProgress?: (calls: number) => void;
}

function paramsOf(call: PlannedCall): Record<string, unknown> {
  const identity = { ...(call.userId === undefined ? {} : { userId: call.userId }), ...(call.anonymousId === undefined ? {} : { anonymousId: call.anonymousId }) };
  const base = { messageId: call.messageId, ...identity } as Record<string, unknown>;
  if (call.type === 'identify') return { ...base, traits: call.traits ?? {} };
  if (call.type === 'page') return { ...base, name: call.name, properties: call.properties ?? {} };
  return { ...base, event: call.event, properties: call.properties ?? {} };
}

export async function sendCalls(calls: readonly PlannedCall[], options: SenderOptions): Promise<SendResult> {
  const analytics = new Analytics({
    writeKey: options.writeKey,
    host: options.gatewayUrl,
    maxRetries: options.maxRetries ?? 30,
    flushAt: options.flushAt ?? 100,
    flushInterval: options.flushIntervalMs ?? 50,
    httpRequestTimeout: 15_000,
  });
  const accepted = new Set<string>();
  const refused = new Map<string, string>();
  const sentAt = new Map<string, number>();
  const callbacks: Array<Promise<void>> = [];
  const started = Date.now();
  const progress = options.onProgress === undefined ? null : setInterval(() => options.onProgress!(made), 1_000);
  let made = 0;
  for (const call of calls) {
    if (options.rate !== undefined && options.rate > 0) {
      const due = started + (made / options.rate) * 1_000;
      const wait = due - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    } else if (made % 500 === 0) {
      // Let the SDK's timers and sockets run between bursts.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (!sentAt.has(call.messageId)) sentAt.set(call.messageId, Date.now());
    callbacks.push(
      new Promise<void>((resolve) => {
        const done = (err?: unknown) => {
          if (err === undefined || err === null) {
            accepted.add(call.messageId);
            refused.delete(call.messageId);
          } else if (!accepted.has(call.messageId)) refused.set(call.messageId, String((err as Error).message ?? err));
          resolve();
        };
        const params = paramsOf(call);
        if (call.type === 'identify') analytics.identify(params as unknown as Parameters<Analytics['identify']>[0], done);
        else if (call.type === 'page') analytics.page(params as unknown as Parameters<Analytics['page']>[0], done);
        else analytics.track(params as unknown as Parameters<Analytics['track']>[0], done);
      }),
    );
    made += 1;
  }
  await analytics.closeAndFlush({ timeout: 600_000 });
  await Promise.all(callbacks);
  if (progress !== null) clearInterval(progress);
  return { calls: made, accepted, refused, sentAt, durationMs: Date.now() - started };
}
