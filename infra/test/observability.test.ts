/**
 * The Prometheus config, alert rules and Grafana dashboards in infra/ are product: they must be
 * valid and name only metrics the services really export. A dashboard panel on a renamed metric
 * shows "No data" forever, and an alert on one never fires, so nobody notices; this file does.
 *
 * - static: every dashboard parses, has unique panel ids, queries only the provisioned
 *   datasource; every alert has a severity, a summary, a description and a runbook;
 * - promtool (Debian's `prometheus` package) checks the rules and the scrape config, and replays
 *   prometheus/tests/alerts.test.yml to see that alerts fire when they should;
 * - the metric names: every service runs as a real process against the embedded broker and a
 *   migrated database, each /metrics is scraped, and every name used in a dashboard or alert must
 *   be among them (and every stratum_ metric exported must be on some dashboard).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metricsUrlFrom, spawnTsProcess, uniqueName, useTestPostgres, useTestStack, waitFor, type TestDatabase, type TsProcess } from '@stratum/testing';
import { topicCatalogue } from '@stratum/topics';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const INFRA = join(ROOT, 'infra');
const DASHBOARDS = join(INFRA, 'grafana', 'dashboards');
const RULES = join(INFRA, 'prometheus', 'rules');
const PROMETHEUS_YML = join(INFRA, 'prometheus', 'prometheus.yml');
const ALERT_TESTS = join(INFRA, 'prometheus', 'tests', 'alerts.test.yml');

/** Series Prometheus makes itself for every target; no service exports them. */
const PROMETHEUS_SERIES = new Set(['up']);
/** The runbooks of docs/operations.md the alerts may point at. */
const RUNBOOKS = ['deploy', 'scale', 'upgrade-a-schema', 'replay-a-dlq', 'rotate-keys', 'recover-from-a-broker-loss'];
const SERVICES = ['gateway', 'ingest', 'dedup', 'identity-resolution', 'delivery-adapter', 'retry', 'profile-api'];

// --- what the files say ----------------------------------------------------------------------

interface Target {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: Target[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}
interface Variable {
  name: string;
  type: string;
  datasource?: { uid?: string };
  query?: string | { query?: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}
interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboardFiles = readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'));
const dashboards: Array<[string, Dashboard]> = dashboardFiles.map((f) => [f, JSON.parse(readFileSync(join(DASHBOARDS, f), 'utf8')) as Dashboard]);
const ruleFiles = readdirSync(RULES).filter((f) => f.endsWith('.yml'));
const rules: AlertRule[] = ruleFiles.flatMap((f) => (parseYaml(readFileSync(join(RULES, f), 'utf8')) as { groups: Array<{ rules: AlertRule[] }> }).groups.flatMap((g) => g.rules));
const provisionedUid = (parseYaml(readFileSync(join(INFRA, 'grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: Array<{ uid: string }> }).datasources[0]!.uid;

/** Every panel, rows' nested panels included. */
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const variableQuery = (v: Variable) => (typeof v.query === 'string' ? v.query : (v.query?.query ?? ''));

/** Every PromQL expression of the dashboards and rules, with where it is. */
function expressions(): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const [file, d] of dashboards) {
    for (const p of allPanels(d.panels)) for (const t of p.targets ?? []) out.push({ where: `${file} "${p.title}"`, expr: t.expr ?? '' });
    // label_values(metric{…}, label): only the metric is a name.
    for (const v of d.templating.list) if (v.type === 'query') out.push({ where: `${file} $${v.name}`, expr: /label_values\(\s*([^,]+),/.exec(variableQuery(v))?.[1] ?? '' });
  }
  for (const r of rules) out.push({ where: `rule ${r.alert ?? r.record}`, expr: r.expr });
  return out;
}

const PROMQL_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

/**
 * The metric names in a PromQL expression, read loosely: strings, label matchers, ranges,
 * grouping label lists and Grafana variables removed, what remains that is a name and not a
 * function call or keyword is a metric.
 */
function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = [...stripped.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*\b(?!\s*\()/g)].map((m) => m[0]).filter((n) => !PROMQL_KEYWORDS.has(n.toLowerCase()));
  return [...new Set(names)];
}

/** The GitHub-style anchor of a Markdown heading. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .replace(/\s/g, '-');

// --- static checks ---------------------------------------------------------------------------

describe('PromQL name reading', () => {
  it.each([
    ['sum by (stage, le) (rate(stratum_stage_batch_duration_seconds_bucket{stage=~"$stage"}[$__rate_interval]))', ['stratum_stage_batch_duration_seconds_bucket']],
    ['(sum(rate(stratum_stage_records_in_total{stage="ingest"}[10m])) or vector(0)) == 0', ['stratum_stage_records_in_total']],
    ['a_total / ignoring(reason) group_left sum by (stage) (b_total offset 10m) > 0.05', ['a_total', 'b_total']],
    ['deriv(sum by (stage) (stratum_stage_consumer_lag)[10m:1m]) > 0 and up{service!=""} == 1e3', ['stratum_stage_consumer_lag', 'up']],
  ])('%s', (expr, names) => {
    expect(metricNamesIn(expr).sort()).toEqual([...names].sort());
  });
});

describe('Grafana dashboards', () => {
  it('has the pipeline overview and one dashboard per service', () => {
    expect(dashboardFiles.sort()).toEqual(['dedup', 'delivery', 'gateway', 'identity-resolution', 'ingest', 'pipeline-overview', 'profile-api', 'retry'].map((n) => `${n}.json`));
    expect(new Set(dashboards.map(([, d]) => d.uid)).size).toBe(dashboards.length);
  });

  it.each(dashboards)('%s: unique panel ids, known panel types, inside the 24-column grid', (_file, d) => {
    expect(d.schemaVersion).toBeGreaterThanOrEqual(36);
    const panels = allPanels(d.panels);
    const ids = panels.map((p) => p.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const p of panels) {
      expect([p.title, ['row', 'timeseries', 'stat', 'table'].includes(p.type)]).toEqual([p.title, true]);
      expect([p.title, p.gridPos.x + p.gridPos.w <= 24]).toEqual([p.title, true]);
      if (p.type !== 'row') expect([p.title, (p.targets ?? []).length > 0]).toEqual([p.title, true]);
    }
  });

  it.each(dashboards)('%s: every panel, target and variable queries the provisioned datasource', (_file, d) => {
    const wrong: string[] = [];
    for (const p of allPanels(d.panels)) {
      if (p.type !== 'row' && p.datasource?.uid !== provisionedUid) wrong.push(`panel "${p.title}"`);
      for (const t of p.targets ?? []) if (t.datasource?.uid !== provisionedUid || !t.expr) wrong.push(`a target of "${p.title}"`);
    }
    for (const v of d.templating.list) if (v.type === 'query' && v.datasource?.uid !== provisionedUid) wrong.push(`variable $${v.name}`);
    expect(wrong).toEqual([]);
  });

  it.each(dashboards)('%s: uses only the template variables it defines', (file, d) => {
    const defined = new Set([...d.templating.list.map((v) => v.name), '__rate_interval', '__interval', '__range']);
    const used = expressions()
      .filter((e) => e.where.startsWith(`${file} `))
      .flatMap((e) => [...e.expr.matchAll(/\$\{?(\w+)\}?/g)].map((m) => m[1]!));
    expect([...new Set(used)].filter((v) => !defined.has(v))).toEqual([]);
  });
});

describe('Prometheus alert rules', () => {
  const alerts = rules.filter((r) => r.alert !== undefined);

  it('has the alerts the pipeline needs', () => {
    const names = alerts.map((a) => a.alert);
    for (const name of ['StratumConsumerLagGrowing', 'StratumDlqGrowing', 'StratumBreakerOpen', 'StratumQuarantineRatioHigh', 'StratumDeliveryErrorRatioHigh', 'StratumGateway5xx', 'StratumNoEventsIngested']) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(alerts.map((a) => [a.alert!, a]))('%s has for:, a severity, a summary, a description and a runbook in docs/operations.md', (_name, a) => {
    expect(a.for).toMatch(/^\d+[smh]$/);
    expect(['critical', 'warning']).toContain(a.labels?.severity);
    expect(a.annotations?.summary).toBeTruthy();
    expect(a.annotations?.description).toBeTruthy();
    const runbook = /^docs\/operations\.md#([a-z0-9-]+)$/.exec(a.annotations?.runbook_url ?? '');
    expect(RUNBOOKS).toContain(runbook?.[1]);
  });

  // Every runbook must be one of docs/operations.md's headings.
  const operations = join(ROOT, 'docs', 'operations.md');
  it('points only at headings docs/operations.md has', () => {
    const anchors = new Set([...readFileSync(operations, 'utf8').matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    const missing = alerts.map((a) => a.annotations!.runbook_url!.split('#')[1]!).filter((anchor) => !anchors.has(anchor));
    expect([...new Set(missing)]).toEqual([]);
  });
});

describe('Prometheus scrape config', () => {
  it('scrapes every service on the port it serves /metrics on, labelled with its name, and loads the rules', () => {
    const config = parseYaml(readFileSync(PROMETHEUS_YML, 'utf8')) as { rule_files: string[]; scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[]; labels: Record<string, string> }> }> };
    expect(config.rule_files).toEqual(['/etc/prometheus/rules/*.yml']);
    const targets = Object.fromEntries(config.scrape_configs.map((j) => [j.static_configs[0]!.labels.service, j.static_configs[0]!.targets]));
    const port = (s: string) => (s === 'gateway' ? 8080 : s === 'profile-api' ? 8090 : 9464);
    expect(targets).toEqual(Object.fromEntries(SERVICES.map((s) => [s, [`${s}:${port(s)}`]])));
  });
});

// --- promtool --------------------------------------------------------------------------------

function promtoolVersion(): string | null {
  try {
    return execFileSync('promtool', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0]!;
  } catch {
    return null;
  }
}
const promtool = promtoolVersion();

describe(`promtool (${promtool ?? 'not on PATH: apt-get install prometheus'})`, () => {
  const check = promtool === null ? it.skip : it;
  /** promtool's output; when it fails, an error with all it said (failures go to stdout). */
  const run = (...args: string[]) => {
    try {
      return execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: string; stderr?: string };
      throw new Error(`promtool ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  };

  check('check rules passes on every rule file', () => {
    expect(run('check', 'rules', ...ruleFiles.map((f) => join(RULES, f)))).toMatch(/SUCCESS/);
  });

  // promtool compares annotations too: the copies it runs on have none, so the tests pin down
  // when alerts fire without repeating their text.
  check('test rules: each alert fires when it should (prometheus/tests/alerts.test.yml)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratum-alerts-'));
    try {
      for (const f of ruleFiles) {
        const doc = parseYaml(readFileSync(join(RULES, f), 'utf8')) as { groups: Array<{ rules: AlertRule[] }> };
        for (const g of doc.groups) for (const r of g.rules) delete r.annotations;
        writeFileSync(join(dir, f), stringifyYaml(doc));
      }
      copyFileSync(ALERT_TESTS, join(dir, 'alerts.test.yml'));
      expect(run('test', 'rules', join(dir, 'alerts.test.yml'))).toMatch(/SUCCESS/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // --syntax-only: rule_files is the container's path (/etc/prometheus/rules); the rules are checked above.
  check('check config passes on prometheus.yml', () => {
    expect(run('check', 'config', '--syntax-only', PROMETHEUS_YML)).toMatch(/SUCCESS/);
  });
});

// --- every name is exported by a running service ---------------------------------------------

describe('metric names in dashboards and alerts', () => {
  jest.setTimeout(120_000);
  const stack = useTestStack();
  const postgres = useTestPostgres();
  let database: TestDatabase;
  const processes = new Map<string, TsProcess>();
  /** service → the metric names its /metrics declares (HELP/TYPE: counters with labels have no sample until first use). */
  const exported = new Map<string, Set<string>>();

  beforeAll(async () => {
    database = await postgres.newDatabase();
    // Migrations as the compose job applies them: the stratum CLI.
    const migrate = spawnTsProcess(join(ROOT, 'packages', 'cli', 'src', 'main.ts'), { DATABASE_URL: database.url }, { args: ['db', 'migrate'] });
    if ((await migrate.exit) !== 0) throw new Error(`stratum db migrate failed: ${migrate.stderr()}`);
    // Two partitions each: enough for the stages to start, quick to assign.
    await stack.admin.createTopics({ topics: topicCatalogue.map((t) => ({ topic: t.name, numPartitions: 2 })) });

    const keys = `k1:${randomBytes(32).toString('base64')}`;
    const env = (service: string, extra: Record<string, string> = {}) => ({
      KAFKA_BROKERS: stack.brokers.join(','),
      KAFKA_CLIENT_ID: service,
      SCHEMA_REGISTRY_URL: stack.registryUrl,
      DATABASE_URL: database.url,
      SERVICE_NAME: service,
      // info: the line with the /metrics URL is logged at info.
      LOG_LEVEL: 'info',
      METRICS_PORT: '0',
      STAGE_GROUP_ID: uniqueName(service),
      ...extra,
    });
    const extra: Record<string, Record<string, string>> = {
      gateway: { GATEWAY_PORT: '0', GATEWAY_HOST: '127.0.0.1', STRATUM_CREDENTIALS_KEYS: keys },
      'delivery-adapter': { STRATUM_CREDENTIALS_KEYS: keys, DELIVERY_ATTEMPTS_GROUP_ID: uniqueName('delivery-attempts') },
      'profile-api': { PROFILE_API_PORT: '0', PROFILE_API_HOST: '127.0.0.1', STRATUM_CREDENTIALS_KEYS: keys },
    };
    for (const s of SERVICES) processes.set(s, spawnTsProcess(join(ROOT, 'services', s, 'src', 'main.ts'), env(s, extra[s])));
    // Stop them before the broker goes (the stack's teardown runs this first).
    stack.onStop(async () => {
      for (const p of processes.values()) p.child.kill('SIGTERM');
      await Promise.all([...processes.values()].map((p) => p.exit));
    });

    await Promise.all(
      [...processes].map(async ([service, p]) => {
        await waitFor(() => metricsUrlFrom(p.stdout()) !== null || p.child.exitCode !== null, { timeoutMs: 60_000, what: `${service} to serve /metrics` });
        if (p.child.exitCode !== null) throw new Error(`${service} exited ${p.child.exitCode}: ${p.stderr() || p.stdout().slice(-2000)}`);
        exported.set(service, declaredNames(await (await fetch(metricsUrlFrom(p.stdout())!)).text()));
      }),
    );
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('scraped every service (its build info, process metrics and own metrics)', () => {
    for (const s of SERVICES) expect([s, ['stratum_build_info', 'process_cpu_seconds_total'].every((n) => exported.get(s)?.has(n))]).toEqual([s, true]);
    // Not vacuous: the dashboards and rules name dozens of metrics.
    expect(new Set(expressions().flatMap((e) => metricNamesIn(e.expr))).size).toBeGreaterThan(40);
  });

  it('every metric a dashboard or an alert rule names is exported by a running service', () => {
    const all = new Set([...exported.values()].flatMap((names) => [...names]));
    const missing = expressions().flatMap(({ where, expr }) => metricNamesIn(expr).filter((n) => !all.has(n) && !PROMETHEUS_SERIES.has(n)).map((n) => `${n} (${where})`));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every stratum_ metric a service exports is on a dashboard', () => {
    const onDashboards = new Set(expressions().filter((e) => !e.where.startsWith('rule ')).flatMap((e) => metricNamesIn(e.expr)));
    const missing = [...exported].flatMap(([service, names]) => [...names].filter((n) => n.startsWith('stratum_') && !/_(bucket|sum|count)$/.test(n) && !hasSeries(onDashboards, n)).map((n) => `${n} (${service})`));
    expect(missing).toEqual([]);
  });
});

/** A histogram counts as shown when any of its series is. */
const hasSeries = (names: Set<string>, metric: string) => ['', '_bucket', '_sum', '_count'].some((suffix) => names.has(metric + suffix));

/** The names a Prometheus text exposition declares, with the series names of histograms and summaries. */
function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name! + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name! + s);
  }
  return names;
}
