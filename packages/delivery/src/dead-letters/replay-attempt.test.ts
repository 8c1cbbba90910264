import { exampleRecords } from '@stratum/schemas';
import type { DeadLetterRow } from './dead-letter';
import { replayAttemptOf } from './replay-attempt';

const letter = exampleRecords['delivery.dlq'];
const row: DeadLetterRow = {
  tenantId: letter.tenantId,
  dlqId: letter.dlqId,
  destinationId: letter.destinationId,
  destinationType: letter.destinationType,
  messageId: letter.messageId,
  profileId: letter.profileId,
  attempts: letter.attempts,
  firstAttemptAt: letter.firstAttemptAt,
  lastAttemptAt: letter.lastAttemptAt,
  deadLetteredAt: letter.deadLetteredAt,
  reason: letter.reason,
  lastError: letter.lastError,
  originTopic: letter.originTopic,
  replayCount: 2,
  lastReplayedAt: letter.deadLetteredAt + 1000,
  event: letter.event,
};

test('a replay starts over as attempt 1, due now, naming the dead letter, with the same message, destination, profile and event', () => {
  const now = Date.UTC(2026, 11, 1, 12);
  expect(replayAttemptOf(row, { backfill: true, now })).toEqual({
    key: `${letter.tenantId}:${letter.destinationId}:${letter.profileId}`,
    attempt: {
      tenantId: letter.tenantId,
      destinationId: letter.destinationId,
      destinationType: letter.destinationType,
      messageId: letter.messageId,
      profileId: letter.profileId,
      attempt: 1,
      notBefore: now,
      firstAttemptAt: null,
      lastError: null,
      replayOf: letter.dlqId,
      backfill: true,
      event: letter.event,
    },
  });
  expect(replayAttemptOf(row, { backfill: false, now }).attempt.backfill).toBe(false);
});
