/**
 * The delivery-adapter's two stages over one engine: `delivery` reads events.resolved and makes
 * one item per enabled destination of the event's tenant; `delivery-attempts` reads
 * delivery.attempts (retries the retry stage released, operators' replays) and makes one item per
 * record. Both write outcomes, retry-tier records and dead letters, in one Kafka transaction with
 * the input offset: a retry record is never written twice, so a crash cannot double the retries.
 */
import { deliveryKey, deliveryOutcome, type RetryTier } from '@stratum/delivery';
import type { DeliveryAttempt, ResolvedEvent } from '@stratum/schemas';
import { batchStep, defineStage, ok, pipeline, type Emission, type RecordContext } from '@stratum/stream';
import type { LiveDestinations } from './destinations/live-destinations';
import type { DeliveryEngine } from './deliver/engine';
import type { PlannedDelivery } from './deliver/ordered-lane';
import { headOf } from './deliver/plan';
import type { WorkItem } from './deliver/work';
import type { DeliveryMetrics } from './metrics';

/** Output names: outcomes, dead letters, quarantine, and one per retry tier (tier topics from the catalogue). */
export type DeliveryOutputs = { outcomes: 'delivery.outcomes'; dlq: 'delivery.dlq'; invalid: 'events.invalid' } & Record<`tier${number}`, 'delivery.attempts'>;

export interface DeliveryStageDeps {
  readonly destinations: LiveDestinations;
  readonly engine: DeliveryEngine;
  readonly tiers: readonly RetryTier[];
  readonly metrics: DeliveryMetrics;
}

export const tierOutput = (index: number): `tier${number}` => `tier${index}`;

export function deliveryOutputs(tiers: readonly RetryTier[]): DeliveryOutputs {
  const outputs = { outcomes: 'delivery.outcomes', dlq: 'delivery.dlq', invalid: 'events.invalid' } as DeliveryOutputs;
  tiers.forEach((_, i) => (outputs[tierOutput(i)] = 'delivery.attempts'));
  return outputs;
}

type Emissions = Emission<DeliveryOutputs>[];

function emissionsOf(planned: readonly PlannedDelivery[], deps: DeliveryStageDeps, count: number): Emissions[] {
  const out: Emissions[] = Array.from({ length: count }, () => []);
  for (const p of planned) {
    const key = deliveryKey(headOf(p.item));
    const list = out[p.item.index]!;
    deps.metrics.countOutcome(p.plan.outcome);
    list.push({ output: 'outcomes', key, value: p.plan.outcome });
    if (p.plan.retry) list.push({ output: tierOutput(deps.tiers.indexOf(p.plan.retry.tier)), key, value: p.plan.retry.record });
    if (p.plan.deadLetter) list.push({ output: 'dlq', key, value: p.plan.deadLetter });
  }
  return out;
}

export function resolvedStage(deps: DeliveryStageDeps, resolvedTopic: string) {
  return defineStage({
    name: 'delivery',
    input: 'events.resolved',
    outputs: deliveryOutputs(deps.tiers),
    quarantine: 'invalid',
    delivery: 'exactly-once',
    pipeline: pipeline<ResolvedEvent>().then(
      batchStep('deliver', async (events: readonly ResolvedEvent[], _ctx: readonly RecordContext[]) => {
        const items: WorkItem[] = [];
        for (const [index, event] of events.entries()) {
          for (const destination of await deps.destinations.forTenant(event.tenantId)) {
            items.push({ index, destination, event, attempt: 1, firstAttemptAt: null, replayOf: null, backfill: false, originTopic: resolvedTopic });
          }
        }
        return emissionsOf(await deps.engine(items), deps, events.length).map((e) => ok(e));
      }),
    ),
    emit: (emissions: Emissions) => emissions,
  });
}

export function attemptsStage(deps: DeliveryStageDeps, attemptsTopic: string) {
  return defineStage({
    name: 'delivery-attempts',
    input: 'delivery.attempts',
    outputs: deliveryOutputs(deps.tiers),
    quarantine: 'invalid',
    delivery: 'exactly-once',
    pipeline: pipeline<DeliveryAttempt>().then(
      batchStep('deliver', async (attempts: readonly DeliveryAttempt[], _ctx: readonly RecordContext[]) => {
        const items: WorkItem[] = [];
        const gone: number[] = [];
        for (const [index, a] of attempts.entries()) {
          const destination = await deps.destinations.find(a.tenantId, a.destinationId);
          if (destination === undefined) {
            gone.push(index);
            continue;
          }
          items.push({ index, destination, event: a.event, attempt: a.attempt, firstAttemptAt: a.firstAttemptAt, replayOf: a.replayOf, backfill: a.backfill, originTopic: attemptsTopic });
        }
        const emissions = emissionsOf(await deps.engine(items), deps, attempts.length);
        for (const index of gone) emissions[index]!.push(disabledOutcome(attempts[index]!));
        return emissions.map((e) => ok(e));
      }),
    ),
    emit: (emissions: Emissions) => emissions,
  });
}

/** The destination was disabled or removed while the event waited: nothing to send it to. */
function disabledOutcome(a: DeliveryAttempt): Emission<DeliveryOutputs> {
  return { output: 'outcomes', key: deliveryKey(a), value: deliveryOutcome(a, a.attempt, 'skipped', Date.now(), { reason: 'destination_disabled' }) };
}
