import fc from 'fast-check';
import type { RateLimit } from './rate-limiter';
import { takeTokens, type BucketState } from './token-bucket';

/** Integer rates, costs and millisecond steps keep the arithmetic exact enough to compare strictly. */
const limitArb = fc.record({ ratePerSecond: fc.integer({ min: 1, max: 2_000 }), burst: fc.integer({ min: 1, max: 500 }) });
const opsArb = fc.array(fc.record({ dtMs: fc.integer({ min: 0, max: 400 }), cost: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 80 });

interface Taken {
  atMs: number;
  cost: number;
}

/** Runs the ops against one bucket; returns the allowed takes and the final state and clock. */
function run(limit: RateLimit, ops: { dtMs: number; cost: number }[]) {
  let state: BucketState | undefined;
  let now = 0;
  const allowed: Taken[] = [];
  for (const op of ops) {
    now += op.dtMs;
    const r = takeTokens(state, op.cost, limit, now);
    if (r.decision.allowed) {
      allowed.push({ atMs: now, cost: op.cost });
      state = r.state ?? state;
    }
  }
  return { allowed, state, now };
}

describe('token bucket', () => {
  it('never lets more than burst + rate × elapsed pass in any window', () => {
    fc.assert(
      fc.property(limitArb, opsArb, (limit, ops) => {
        const { allowed } = run(limit, ops);
        for (let i = 0; i < allowed.length; i++) {
          let sum = 0;
          for (let j = i; j < allowed.length; j++) {
            sum += allowed[j]!.cost;
            const elapsedS = (allowed[j]!.atMs - allowed[i]!.atMs) / 1000;
            expect(sum).toBeLessThanOrEqual(limit.burst + limit.ratePerSecond * elapsedS + 1e-6);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lets the whole burst through at once on a new bucket, and not one token more', () => {
    fc.assert(
      fc.property(limitArb, ({ ratePerSecond, burst }) => {
        const first = takeTokens(undefined, burst, { ratePerSecond, burst }, 1_000);
        expect(first.decision.allowed).toBe(true);
        expect(takeTokens(first.state!, 1, { ratePerSecond, burst }, 1_000).decision.allowed).toBe(false);
      }),
    );
  });

  it('refills: after burst / rate seconds of quiet any history leaves a full bucket', () => {
    fc.assert(
      fc.property(limitArb, opsArb, (limit, ops) => {
        const { state, now } = run(limit, ops);
        const later = now + Math.ceil((limit.burst / limit.ratePerSecond) * 1000);
        expect(takeTokens(state, limit.burst, limit, later).decision.allowed).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('retryAfterSeconds is exact to the millisecond: refused a millisecond earlier, allowed at it', () => {
    fc.assert(
      fc.property(limitArb, opsArb, fc.integer({ min: 1, max: 500 }), (limit, ops, cost) => {
        fc.pre(cost <= limit.burst);
        const { state, now } = run(limit, ops);
        const r = takeTokens(state, cost, limit, now);
        fc.pre(!r.decision.allowed);
        if (r.decision.allowed) return;
        expect(r.decision.reason).toBe('rate_limited');
        const waitMs = Math.round(r.decision.retryAfterSeconds * 1000);
        expect(waitMs).toBeGreaterThan(0);
        expect(takeTokens(state, cost, limit, now + waitMs).decision.allowed).toBe(true);
        expect(takeTokens(state, cost, limit, now + waitMs - 1).decision.allowed).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a cost above the burst as exceeds_burst, even on a full bucket', () => {
    const limit = { ratePerSecond: 10, burst: 100 };
    const r = takeTokens(undefined, 101, limit, 0);
    expect(r.decision).toEqual({ allowed: false, retryAfterSeconds: 0, reason: 'exceeds_burst' });
    const drained = takeTokens(undefined, 100, limit, 0).state!;
    expect(takeTokens(drained, 101, limit, 0).decision).toEqual({ allowed: false, retryAfterSeconds: 10, reason: 'exceeds_burst' });
  });

  it('treats rate 0 as unlimited and refills nothing when the clock goes backwards', () => {
    expect(takeTokens(undefined, 1e9, { ratePerSecond: 0, burst: 0 }, 0).decision.allowed).toBe(true);
    const limit = { ratePerSecond: 1_000, burst: 10 };
    const drained = takeTokens(undefined, 10, limit, 5_000).state!;
    expect(takeTokens(drained, 1, limit, 4_000).decision.allowed).toBe(false);
  });
});
