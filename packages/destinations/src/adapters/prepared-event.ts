/**
 * An event mapped for one destination, with the identity every adapter gives it: its messageId,
 * profileId and idempotency key. Adapters map the payload; this wraps it, so the key is derived
 * one way everywhere.
 */
import type { ResolvedEvent } from '@stratum/schemas';
import { idempotencyKey } from './idempotency-key';
import type { PrepareContext, PreparedEvent, Skip } from './types';

export function preparedEvent<Payload>(event: ResolvedEvent, ctx: PrepareContext, payload: Payload): PreparedEvent<Payload> {
  return { kind: 'prepared', messageId: event.messageId, idempotencyKey: idempotencyKey(event.tenantId, ctx.destinationId, event.messageId), profileId: event.profileId, payload };
}

/** The mapper's result as the adapter's: a Skip as it is, a payload prepared. */
export function preparedOrSkip<Payload extends object>(event: ResolvedEvent, ctx: PrepareContext, mapped: Payload | Skip): PreparedEvent<Payload> | Skip {
  return 'kind' in mapped && (mapped as Skip).kind === 'skip' ? (mapped as Skip) : preparedEvent(event, ctx, mapped as Payload);
}
