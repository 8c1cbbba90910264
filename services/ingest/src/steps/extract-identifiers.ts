/**
 * Identifiers, canonicalised and hashed (../identifiers/extract.ts), from the event as the client
 * sent it: before the tracking plan omits anything and before the PII policy drops cleartext.
 * Values that could not be identifiers are counted, not fatal to the event.
 */
import type { Identifier } from '@stratum/schemas';
import { ok, recordStep, type Step } from '@stratum/stream';
import { extractIdentifiers } from '../identifiers/extract';
import type { IngestMetrics } from '../metrics';
import type { CheckedSourcedEvent } from './check-event';

export interface IdentifiedEvent extends CheckedSourcedEvent {
  readonly identifiers: Identifier[];
}

export function extractIdentifiersStep(metrics: IngestMetrics): Step<CheckedSourcedEvent, IdentifiedEvent> {
  return recordStep('extract-identifiers', (e: CheckedSourcedEvent) => {
    const { event, source } = e;
    const { identifiers, rejected } = extractIdentifiers({ ...event, defaultPhoneRegion: source.defaultPhoneRegion });
    for (const r of [...event.ignoredIdentifiers, ...rejected]) metrics.countRejectedIdentifier(r.type, r.reason);
    return ok({ ...e, identifiers });
  });
}
