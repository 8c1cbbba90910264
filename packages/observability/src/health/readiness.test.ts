import { isReady, readinessFromChecks } from './readiness';

it('reports each named check: ok, false, a throw, a rejection', async () => {
  const readiness = readinessFromChecks({
    kafka: () => true,
    registry: async () => undefined,
    postgres: async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432\n    at stack');
    },
    sync: () => {
      throw new Error('boom');
    },
    flag: () => false,
  });
  const report = await readiness();
  expect(report).toEqual({
    checks: {
      kafka: { ok: true },
      registry: { ok: true },
      postgres: { ok: false, error: 'connect ECONNREFUSED 127.0.0.1:5432' },
      sync: { ok: false, error: 'boom' },
      flag: { ok: false, error: 'check failed' },
    },
  });
  expect(isReady(report)).toBe(false);
});

it('answers for a hanging check within its timeout and names it', async () => {
  const readiness = readinessFromChecks({ kafka: () => true, postgres: () => new Promise<boolean>(() => {}) }, { timeoutMs: 50 });
  const started = Date.now();
  const report = await readiness();
  expect(Date.now() - started).toBeLessThan(1000);
  expect(report.checks).toEqual({ kafka: { ok: true }, postgres: { ok: false, error: 'timed out after 50 ms' } });
});

it('is ready with every check ok, or with no checks', () => {
  expect(isReady({ checks: { a: { ok: true }, b: { ok: true } } })).toBe(true);
  expect(isReady({ checks: {} })).toBe(true);
});
