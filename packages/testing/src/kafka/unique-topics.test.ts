import { topicNamed } from '@stratum/topics';
import { prefixedSpec } from './unique-topics';

test('a copy keeps partitions, retention and configs, and prefixes the topic name and its dead letter', () => {
  const raw = topicNamed('events.raw');
  expect(prefixedSpec(raw, 't-1')).toEqual({ ...raw, name: 't-1.events.raw', deadLetter: 't-1.events.invalid' });
});

test('every topic a copy refers to (retry tiers, dead letter, tier-of) is prefixed too', () => {
  const attempts = prefixedSpec(topicNamed('delivery.attempts'), 't-1');
  expect(attempts.retryTiers.map((t) => t.topic)).toEqual(['t-1.delivery.retry.30s', 't-1.delivery.retry.5m', 't-1.delivery.retry.1h']);
  expect(attempts.deadLetter).toBe('t-1.delivery.dlq');
  expect(prefixedSpec(topicNamed('delivery.retry.30s'), 't-1').retryTierOf).toBe('t-1.delivery.attempts');
});
