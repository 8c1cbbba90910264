import type { Action, TopicPlan } from './plan';
import { formatReport, summarise, topicReport } from './report';

const plan = (topic: string, actions: Action[] = [], extra: Partial<TopicPlan> = {}): TopicPlan => ({ topic, actions, problems: [], warnings: [], ...extra });
const create: Action = { kind: 'create', partitions: 12, replicationFactor: 1, configs: { 'cleanup.policy': 'delete', 'retention.ms': '604800000' } };
const alter: Action = { kind: 'alter-configs', changes: [{ name: 'retention.ms', from: '86400000', to: '604800000' }], entries: {} };
const cluster = { brokers: 1, replicationFactor: 1 };

describe('topic status', () => {
  it('follows what was done, what is left and what failed', () => {
    const status = (p: TopicPlan, o: Partial<Parameters<typeof topicReport>[1]>) => topicReport(p, { applied: [], pending: [], error: null, ...o }).status;
    expect(status(plan('a', [create]), { applied: [create] })).toBe('created');
    expect(status(plan('a', [alter]), { applied: [alter] })).toBe('altered');
    expect(status(plan('a'), {})).toBe('ok');
    expect(status(plan('a', [alter]), { pending: [alter] })).toBe('drift');
    expect(status(plan('a', [], { problems: [{ code: 'partitions_below_catalogue', message: 'x' }] }), {})).toBe('drift');
    expect(status(plan('a', [create]), { error: 'create failed' })).toBe('error');
  });
});

describe('formatReport', () => {
  it('prints one line per topic and a summary; exit 0 when everything matches', () => {
    const r = summarise('apply', ['k:9092'], cluster, [
      topicReport(plan('events.raw', [create]), { applied: [create], pending: [], error: null }),
      topicReport(plan('events.unique', [alter]), { applied: [alter], pending: [], error: null }),
      topicReport(plan('delivery.dlq', [], { warnings: [{ code: 'partitions_above_catalogue', message: 'partitions 6, catalogue 3: left as is' }] }), {
        applied: [],
        pending: [],
        error: null,
      }),
    ]);
    expect(r.exitCode).toBe(0);
    expect(formatReport(r).split('\n')).toEqual([
      'events.raw     created: 12 partitions, replication factor 1, cleanup.policy=delete, retention.ms=604800000',
      'events.unique  altered retention.ms 86400000→604800000',
      'delivery.dlq   ok; warning: partitions 6, catalogue 3: left as is',
      '3 topics: 1 created, 1 ok, 1 altered, 0 drift, 0 error, 1 warning (1 broker(s), replication factor 1) — every topic matches the catalogue',
      '',
    ]);
  });

  it('says what --check would do, and exits 1', () => {
    const r = summarise('check', ['k:9092'], cluster, [
      topicReport(plan('events.raw', [create]), { applied: [], pending: [create], error: null }),
      topicReport(plan('events.unique', [alter]), { applied: [], pending: [alter], error: null }),
    ]);
    expect(r.exitCode).toBe(1);
    expect(formatReport(r).split('\n')).toEqual([
      'events.raw     DRIFT missing: would create 12 partitions, replication factor 1, cleanup.policy=delete, retention.ms=604800000',
      'events.unique  DRIFT retention.ms 86400000→604800000',
      '2 topics: 0 created, 0 ok, 0 altered, 2 drift, 0 error, 0 warnings (1 broker(s), replication factor 1) — --check: 2 topic(s) differ from the catalogue; nothing was changed',
      '',
    ]);
  });

  it('reports a refused change as an error, with what was done before it', () => {
    const grow: Action = { kind: 'add-partitions', from: 6, to: 12 };
    const r = summarise('apply', ['k:9092'], cluster, [
      topicReport(plan('events.raw', [grow, alter]), { applied: [grow], pending: [], error: 'altering configs failed: INVALID_CONFIG: Configuration is invalid' }),
    ]);
    expect(r.exitCode).toBe(1);
    expect(formatReport(r).split('\n')[0]).toBe(
      'events.raw  ERROR altering configs failed: INVALID_CONFIG: Configuration is invalid; done before that: partitions 6→12 (keys now map to other partitions)',
    );
  });
});
