/**
 * The events.valid record: the PII policy applied to the parts as the plan let them through, the
 * free-form parts back to JSON object text, times in UTC epoch ms, validatedAt now.
 */
import type { ValidEvent } from '@stratum/schemas';
import { ok, recordStep, type Step } from '@stratum/stream';
import { applyPiiPolicy } from '../pii';
import type { PlanAppliedEvent } from './apply-tracking-plan';

export function buildValidEventStep(now: () => number): Step<PlanAppliedEvent, ValidEvent> {
  return recordStep('build-valid-event', ({ raw, event, source, identifiers, plan }: PlanAppliedEvent) => {
    const parts = applyPiiPolicy({ properties: plan.properties, traits: plan.traits, context: event.context }, source.piiPolicy);
    return ok({
      tenantId: raw.tenantId,
      sourceId: raw.sourceId,
      channel: raw.channel,
      messageId: raw.messageId,
      type: event.type,
      timestamp: event.times.timestamp,
      originalTimestamp: event.times.originalTimestamp,
      sentAt: event.times.sentAt,
      receivedAt: raw.receivedAt,
      userId: event.userId,
      anonymousId: event.anonymousId,
      event: raw.event,
      name: raw.name,
      groupId: raw.groupId,
      previousId: event.previousId,
      properties: JSON.stringify(parts.properties),
      traits: JSON.stringify(parts.traits),
      context: JSON.stringify(parts.context),
      integrations: JSON.stringify(event.integrations),
      identifiers,
      schemaVersion: plan.schemaVersion,
      requestId: raw.requestId,
      validatedAt: now(),
    });
  });
}
