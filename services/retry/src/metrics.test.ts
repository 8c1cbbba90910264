import { Registry } from 'prom-client';
import { promRetryMetrics } from './metrics';

const sample = async (registry: Registry, name: string, labels: Record<string, string>) =>
  (await registry.getSingleMetric(name)!.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;

it("shows a tier's longest head wait over its partitions, and lets it fall once that head is due", async () => {
  const registry = new Registry();
  const m = promRetryMetrics(registry, ['30s', '1h']);
  m.waiting('1h', 'delivery.retry.1h/0', 3_000);
  m.waiting('1h', 'delivery.retry.1h/1', 20);
  m.waiting('30s', 'delivery.retry.30s/0', 5);
  expect(await sample(registry, 'stratum_retry_head_wait_seconds', { tier: '1h' })).toBe(3_000);
  m.waiting('1h', 'delivery.retry.1h/0', 0);
  expect(await sample(registry, 'stratum_retry_head_wait_seconds', { tier: '1h' })).toBe(20);
  expect(await sample(registry, 'stratum_retry_head_wait_seconds', { tier: '30s' })).toBe(5);
});

it('counts decisions by tier, decision and reason, present at 0 from the start', async () => {
  const registry = new Registry();
  const m = promRetryMetrics(registry, ['30s']);
  expect(await sample(registry, 'stratum_retry_decisions_total', { tier: '30s', decision: 'forwarded', reason: 'due' })).toBe(0);
  m.decided('30s', { kind: 'skip', reason: 'consent_revoked' }, 0.2);
  m.decided('30s', { kind: 'dead_letter', reason: 'max_age_exceeded' }, 0.1);
  expect(await sample(registry, 'stratum_retry_decisions_total', { decision: 'skipped', reason: 'consent_revoked' })).toBe(1);
  expect(await sample(registry, 'stratum_retry_decisions_total', { decision: 'dead_lettered', reason: 'max_age_exceeded' })).toBe(1);
});
