import { decideRetry, DEFAULT_DELIVERY_POLICY, effectivePolicy } from './retry-policy';

const TIERS = [
  { topic: 't.30s', delayMs: 30_000 },
  { topic: 't.5m', delayMs: 300_000 },
  { topic: 't.1h', delayMs: 3_600_000 },
];
const NOW = 1_700_000_000_000;
const error = (retryAfterMs: number | null = null) => ({ code: 'http_5xx', message: '503', httpStatus: 503, retryAfterMs, retryable: true });

describe('decideRetry', () => {
  it('walks the tiers by attempt and stays in the last', () => {
    const tierOf = (attempt: number) => {
      const d = decideRetry({ attempt, firstAttemptAt: NOW, error: error() }, { maxAttempts: 10, maxAgeSeconds: 86_400 }, TIERS, NOW, () => 0);
      return d.kind === 'retry' ? d.tier.topic : d.reason;
    };
    expect([1, 2, 3, 4, 5].map(tierOf)).toEqual(['t.30s', 't.5m', 't.1h', 't.1h', 't.1h']);
  });

  it('adds at most 20% jitter to the tier delay', () => {
    const d = decideRetry({ attempt: 1, firstAttemptAt: NOW, error: error() }, DEFAULT_DELIVERY_POLICY, TIERS, NOW, () => 0.999999);
    expect(d).toMatchObject({ kind: 'retry', tier: TIERS[0] });
    if (d.kind === 'retry') expect(d.notBefore - NOW).toBeGreaterThanOrEqual(30_000);
    if (d.kind === 'retry') expect(d.notBefore - NOW).toBeLessThanOrEqual(36_000);
  });

  it('never retries before Retry-After, moving to a longer tier when needed', () => {
    const d = decideRetry({ attempt: 1, firstAttemptAt: NOW, error: error(120_000) }, DEFAULT_DELIVERY_POLICY, TIERS, NOW, () => 0);
    expect(d).toEqual({ kind: 'retry', tier: TIERS[1], notBefore: NOW + 300_000 });
    const short = decideRetry({ attempt: 1, firstAttemptAt: NOW, error: error(45_000) }, DEFAULT_DELIVERY_POLICY, TIERS, NOW, () => 0);
    expect(short).toEqual({ kind: 'retry', tier: TIERS[1], notBefore: NOW + 300_000 });
    const longer = decideRetry({ attempt: 3, firstAttemptAt: NOW, error: error(2 * 3_600_000) }, DEFAULT_DELIVERY_POLICY, TIERS, NOW, () => 0);
    expect(longer).toEqual({ kind: 'retry', tier: TIERS[2], notBefore: NOW + 2 * 3_600_000 });
  });

  it('dead-letters when attempts are used up', () => {
    expect(decideRetry({ attempt: 3, firstAttemptAt: NOW, error: error() }, { maxAttempts: 3, maxAgeSeconds: 86_400 }, TIERS, NOW)).toEqual({ kind: 'dead_letter', reason: 'attempts_exhausted' });
  });

  it('dead-letters when the next attempt would come after the maximum age', () => {
    const firstAttemptAt = NOW - 4 * 3_600_000 + 10_000;
    expect(decideRetry({ attempt: 2, firstAttemptAt, error: error() }, DEFAULT_DELIVERY_POLICY, TIERS, NOW)).toEqual({ kind: 'dead_letter', reason: 'max_age_exceeded' });
  });

  it('fills a partial policy from the defaults', () => {
    expect(effectivePolicy({ maxAttempts: 2 })).toEqual({ maxAttempts: 2, maxAgeSeconds: DEFAULT_DELIVERY_POLICY.maxAgeSeconds });
    expect(effectivePolicy(null)).toEqual(DEFAULT_DELIVERY_POLICY);
  });
});
