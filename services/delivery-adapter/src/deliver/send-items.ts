/**
 * Delivers one destination's share of a chunk: prepare each event, build the platform's requests
 * (batches), send them through the destination's lane with a few in flight, and classify. Requests
 * start only while the lane's time budget lasts: what is left when it runs out (a slow platform)
 * waits in a retry tier instead of holding the chunk, and with it every other destination.
 * Accepted requests are written to the ledger right away (`onDelivered`), before the next goes.
 */
import { classifyHttpStatus, classifyNetworkError, type AnyAdapter, type Classification, type HttpRequest, type HttpResult, type PreparedEvent } from '@stratum/destinations';
import type { LiveDestination } from '../destinations/live-destinations';
import type { Exchange } from '../send/destination-lane';
import { serviceError, type ItemResult, type WorkItem } from './work';

export interface LaneRun {
  /** When the lane's share of this chunk must stop starting requests (epoch ms). */
  readonly deadline: number;
  readonly concurrency: number;
  readonly now: () => number;
  /** Called with the items of each accepted request before the next result is reported. */
  readonly onDelivered: (items: ReadonlyArray<{ item: WorkItem; externalId: string | null }>) => Promise<void>;
  /** messageIds among the prepared events whose recipient opted out (SMS); they are not sent. */
  readonly optedOut: (prepared: readonly PreparedEvent<unknown>[]) => Promise<Set<string>>;
  /** The platform said the recipient opted out (Twilio 21610): remember it. */
  readonly onOptedOut: (prepared: PreparedEvent<unknown>) => Promise<void>;
}

type Prepared = PreparedEvent<unknown>;

/** Results for `items` (all of one destination, distinct messageIds, past the gate and the ledger). */
export async function sendItems(destination: LiveDestination, items: readonly WorkItem[], run: LaneRun): Promise<Map<WorkItem, ItemResult>> {
  const results = new Map<WorkItem, ItemResult>();
  const { adapter, config } = destination;
  if (!config.ok) {
    for (const item of items) results.set(item, { kind: 'failed_permanent', reason: 'destination_misconfigured', error: serviceError('destination_misconfigured', config.problem, false), httpStatus: null });
    return results;
  }
  const byMessage = new Map<string, WorkItem>();
  const prepared: Prepared[] = [];
  for (const item of items) {
    const p = adapter.prepare(item.event, config.value, { destinationId: destination.destinationId, now: run.now() });
    if (p.kind === 'prepared') {
      prepared.push(p);
      byMessage.set(p.messageId, item);
      continue;
    }
    results.set(item, skipResult(p.outcome, p.reason, p.message, p.notBefore));
  }
  if (prepared.length === 0) return results;
  const optedOut = await run.optedOut(prepared);
  for (const id of optedOut) results.set(byMessage.get(id)!, { kind: 'skipped', status: 'skipped', reason: 'opted_out', message: 'the recipient opted out of messages from this sender' });
  const toSend = optedOut.size === 0 ? prepared : prepared.filter((p) => !optedOut.has(p.messageId));
  if (toSend.length === 0) return results;

  const settle = async (request: HttpRequest, exchange: Exchange) => {
    const its = request.events.map((e) => byMessage.get(e.messageId)!);
    const outcome = resultOf(exchange);
    if (outcome.kind === 'delivered') await run.onDelivered(its.map((item) => ({ item, externalId: outcome.externalId })));
    if (outcome.kind === 'skipped' && outcome.reason === 'opted_out') for (const e of request.events) await run.onOptedOut(toSend.find((p) => p.messageId === e.messageId)!);
    for (const item of its) results.set(item, outcome);
  };

  if (adapter.kind === 'batch') {
    const requests = adapter.buildRequests(toSend, config.value, { now: run.now() });
    await pool(requests, run.concurrency, async (request) => {
      const exchange = await send(destination, request, (r) => adapter.classify(r, request, { now: run.now() }), run);
      if (exchange.sent && exchange.classification.retryIndividually && request.events.length > 1) {
        // One bad event refused the whole batch (Meta, TikTok): resend each alone to find it.
        const alone = toSend.filter((p) => request.events.some((e) => e.messageId === p.messageId));
        for (const p of alone) {
          for (const single of adapter.buildRequests([p], config.value, { now: run.now() })) {
            await settle(single, await send(destination, single, (r) => adapter.classify(r, single, { now: run.now() }), run));
          }
        }
        return;
      }
      await settle(request, exchange);
    });
  } else {
    await pool(toSend, run.concurrency, async (p) => {
      const item = byMessage.get(p.messageId)!;
      const outcome = await runSequence(adapter, destination, p, config.value, run);
      if (outcome.kind === 'delivered') await run.onDelivered([{ item, externalId: outcome.externalId }]);
      results.set(item, outcome);
    });
  }
  return results;
}

function skipResult(outcome: 'expired' | 'filtered' | 'invalid' | 'deferred', reason: string, message: string, notBefore: number | null): ItemResult {
  switch (outcome) {
    case 'expired':
      return { kind: 'skipped', status: 'expired', reason, message };
    case 'filtered':
      return { kind: 'skipped', status: 'skipped', reason, message };
    case 'invalid':
      return { kind: 'failed_permanent', reason: 'invalid_event', error: serviceError(reason, message, false), httpStatus: null };
    case 'deferred':
      return { kind: 'deferred', reason, notBefore: notBefore ?? 0, message };
  }
}

async function send(destination: LiveDestination, request: HttpRequest, classify: (r: HttpResult) => Classification, run: LaneRun): Promise<Exchange> {
  const remaining = run.deadline - run.now();
  if (remaining <= 0) return { sent: false, code: 'destination_backlog', retryAfterMs: null };
  return destination.lane.exchange(request, classify, remaining);
}

const NOT_SENT: Record<Exclude<Exchange, { sent: true }>['code'], string> = {
  circuit_open: "the destination's circuit breaker is open; not sent",
  throttled: "the destination's rate limit would hold this request past its time budget; not sent",
  destination_backlog: 'the destination used up its time budget for this batch; not sent',
};

function resultOf(exchange: Exchange): ItemResult {
  if (!exchange.sent) return { kind: 'failed_retryable', error: serviceError(exchange.code, NOT_SENT[exchange.code], true, exchange.retryAfterMs), httpStatus: null, latencyMs: null };
  const c = exchange.classification;
  switch (c.outcome) {
    case 'delivered':
      return { kind: 'delivered', externalId: c.externalId, httpStatus: exchange.httpStatus, latencyMs: exchange.latencyMs, note: c.note };
    case 'retry':
      return { kind: 'failed_retryable', error: c.error!, httpStatus: exchange.httpStatus, latencyMs: exchange.latencyMs };
    case 'opted_out':
      return { kind: 'skipped', status: 'skipped', reason: 'opted_out', message: c.error?.message ?? 'the recipient opted out' };
    case 'invalid':
      return { kind: 'failed_permanent', reason: 'invalid_event', error: c.error!, httpStatus: exchange.httpStatus };
    case 'failed':
      return { kind: 'failed_permanent', reason: 'permanent_error', error: c.error!, httpStatus: exchange.httpStatus };
  }
}

/** A multi-request flow (Pipedrive: search, then create or update, then merge) for one event. */
async function runSequence(adapter: Extract<AnyAdapter, { kind: 'sequence' }>, destination: LiveDestination, p: Prepared, config: unknown, run: LaneRun): Promise<ItemResult> {
  let step = adapter.start(p, config, { now: run.now() });
  let latencyMs = 0;
  let httpStatus: number | null = null;
  while (!step.done) {
    const exchange = await send(destination, step.request, stepClassification, run);
    if (!exchange.sent) return resultOf(exchange);
    latencyMs += exchange.latencyMs;
    httpStatus = exchange.httpStatus;
    step = adapter.next(step.state, exchange.result, config, { now: run.now() });
  }
  const outcome = resultOf({ sent: true, result: { networkError: null }, classification: step.classification, httpStatus, latencyMs });
  return outcome;
}

/** What a flow's single step means to the breaker: the generic HTTP reading (the flow decides the rest). */
function stepClassification(result: HttpResult): Classification {
  return 'response' in result ? classifyHttpStatus(result.response, { now: Date.now() }) : classifyNetworkError(result.networkError);
}

/** Runs `work` over `inputs` with at most `concurrency` at once. */
async function pool<T>(inputs: readonly T[], concurrency: number, work: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await work(inputs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
}
