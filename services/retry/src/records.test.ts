/** What a decision writes: the next attempt, the outcomes, the dead letter. */
import { exampleRecords } from '@stratum/schemas';
import { deliveryKey } from '@stratum/delivery';
import { deadLetteredOutcome, deadLetterOf, nextAttempt, skippedOutcome } from './records';

const tier = exampleRecords['delivery.attempts'];
const from = { topic: 'delivery.retry.5m', timestamp: tier.notBefore - 30_000 };
const NOW = tier.notBefore + 40;

it('forwards attempt N as N+1 with every other field as it was', () => {
  expect(nextAttempt(tier)).toEqual({ ...tier, attempt: tier.attempt + 1 });
  expect(deliveryKey(tier)).toBe(`${tier.tenantId}:${tier.destinationId}:${tier.profileId}`);
});

it('reports a skip as the attempt that will not be made, and a dead letter after the last one made', () => {
  expect(skippedOutcome(tier, 'consent_revoked', NOW)).toMatchObject({ attempt: tier.attempt + 1, status: 'skipped', reason: 'consent_revoked', occurredAt: NOW, nextAttemptAt: null });
  expect(deadLetteredOutcome(tier, 'max_age_exceeded', NOW)).toMatchObject({ attempt: tier.attempt, status: 'dead_lettered', reason: 'max_age_exceeded', occurredAt: NOW });
});

it('dead-letters with what the tier record knows, under an id the same record always gets', () => {
  const letter = deadLetterOf(tier, 'max_age_exceeded', from, NOW);
  expect(letter).toEqual({
    dlqId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    tenantId: tier.tenantId,
    destinationId: tier.destinationId,
    destinationType: tier.destinationType,
    messageId: tier.messageId,
    profileId: tier.profileId,
    attempts: tier.attempt,
    firstAttemptAt: tier.firstAttemptAt,
    lastAttemptAt: from.timestamp,
    deadLetteredAt: NOW,
    reason: 'max_age_exceeded',
    lastError: tier.lastError,
    originTopic: 'delivery.retry.5m',
    event: tier.event,
  });
  expect(deadLetterOf(tier, 'max_age_exceeded', from, NOW + 5_000).dlqId).toBe(letter.dlqId);
  // A replay that failed again is another letter.
  expect(deadLetterOf({ ...tier, replayOf: letter.dlqId, notBefore: NOW + 99 }, 'max_age_exceeded', from, NOW).dlqId).not.toBe(letter.dlqId);
});
