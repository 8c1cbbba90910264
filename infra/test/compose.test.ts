/**
 * docker-compose.yml, the Dockerfile and docker/entrypoint.sh against the code. There is no Docker
 * engine where this runs, so these files must be right by construction: every service's
 * environment is loaded with the service's own config schema, its probes and published ports use
 * the port that config says it listens on, the image's entrypoint starts every service, and the
 * build context holds what the image runs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { DEFAULT_CONTAINER_IMAGES } from '@stratum/testing';
import { workspaceRoot } from '@stratum/topics';
import {
  commandOf,
  dependenciesOf,
  environmentOf,
  interpolateAll,
  parseEnvFile,
  publishedContainerPorts,
  readCompose,
  referencedVariables,
  type ComposeFile,
  type ComposeService,
} from './compose/compose-file';
import { isIgnored, readDockerignore } from './compose/dockerignore';
import { runEntrypoint } from './compose/entrypoint';
import { describeServiceConfigs, type ServiceConfigReport } from './compose/service-configs';

const root = workspaceRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every folder under services/ with a main.ts is a process the platform runs. */
const SERVICES = readdirSync(join(root, 'services'))
  .filter((name) => existsSync(join(root, 'services', name, 'src', 'main.ts')))
  .sort();
/** What the services need around them; prometheus.yml and the k8s manifests name them so. */
const INFRASTRUCTURE = ['kafka', 'schema-registry', 'postgres', 'redis', 'init', 'prometheus', 'grafana'];

/** .env as an operator fills it in from .env.example. */
const dotEnv: Record<string, string> = {
  ...parseEnvFile(read('.env.example')),
  POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
  STRATUM_CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  GRAFANA_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
};

const { text: composeText, parsed: composeRaw } = readCompose(root);
const compose = interpolateAll(composeRaw, dotEnv) as ComposeFile;
const service = (name: string): ComposeService => {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const envOf = (name: string) => environmentOf(service(name));

/** A Go-style duration (`40s`, `1m30s`, `500ms`) in ms, as Compose reads stop_grace_period. */
function durationMs(text: string | undefined): number {
  if (text === undefined) return 0;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]!]!;
  return total;
}

describe('docker-compose.yml', () => {
  it('has a service for every folder under services/ and the infrastructure, and nothing else', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICES, ...INFRASTRUCTURE].sort());
  });

  it('reads only variables .env.example documents, and refuses to start without each secret', () => {
    const referenced = referencedVariables(composeText);
    expect([...referenced.keys()].sort()).toEqual(Object.keys(parseEnvFile(read('.env.example'))).sort());
    const required = [...referenced].filter(([, v]) => v.required).map(([name]) => name);
    expect(required.sort()).toEqual(['GRAFANA_ADMIN_PASSWORD', 'POSTGRES_PASSWORD', 'STRATUM_CREDENTIALS_KEYS']);
    for (const name of required) {
      expect(() => interpolateAll(composeRaw, { ...dotEnv, [name]: '' })).toThrow(name);
    }
  });

  it('declares every named volume it mounts, and every folder it bind-mounts exists', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === 'string' ? v.split(':')[0]! : (v.source ?? '');
        if (source.startsWith('.') || source.startsWith('/')) expect({ name, source, exists: existsSync(join(root, source)) }).toEqual({ name, source, exists: true });
        else expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
    }
  });

  it('gives every long-running service a restart policy and a healthcheck', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === 'init') continue;
      expect({ name, restart: s.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, test: s.healthcheck?.test !== undefined }).toEqual({ name, test: true });
    }
  });
});

describe('the Stratum services in docker-compose.yml', () => {
  let reports: Record<string, ServiceConfigReport>;

  beforeAll(() => {
    reports = describeServiceConfigs(root, Object.fromEntries(SERVICES.map((name) => [name, envOf(name)])));
  });

  /** The one *_PORT variable a service listens on: GATEWAY_PORT, PROFILE_API_PORT or METRICS_PORT. */
  function listenPort(name: string): number {
    const ports = reports[name]!.variables.filter((v) => v.name.endsWith('_PORT'));
    expect(ports.map((v) => v.name)).toHaveLength(1);
    return reports[name]!.config![ports[0]!.name] as number;
  }

  it.each(SERVICES)('%s runs the one Stratum image, the process chosen by its command', (name) => {
    const s = service(name);
    expect(s.image).toBe(service('init').image);
    expect(s.build).toEqual(service('init').build);
    expect(commandOf(s)).toEqual([name]);
  });

  it.each(SERVICES)('%s sets every variable its config schema requires, and none it does not read', (name) => {
    const { variables } = reports[name]!;
    const env = envOf(name);
    const required = variables.filter((v) => v.required && v.default === undefined).map((v) => v.name);
    expect(required.filter((v) => !(env[v] ?? '').trim())).toEqual([]);
    const known = new Set(variables.map((v) => v.name));
    expect(Object.keys(env).filter((v) => !known.has(v))).toEqual([]);
  });

  it.each(SERVICES)('%s would start with that environment: its config schema accepts every value', (name) => {
    expect(reports[name]!.problems).toBeNull();
  });

  it.each(SERVICES)('%s reports itself under its compose name (logs, stratum_build_info, Kafka client id)', (name) => {
    const env = envOf(name);
    expect(env['SERVICE_NAME']).toBe(name);
    if (reports[name]!.variables.some((v) => v.name === 'KAFKA_CLIENT_ID')) expect(env['KAFKA_CLIENT_ID']).toBe(name);
  });

  it.each(SERVICES)('%s listens on every interface, and probes and publishes the port it listens on', (name) => {
    const port = listenPort(name);
    // Loopback would pass the in-container probe and still hide the service from Prometheus.
    for (const v of reports[name]!.variables.filter((d) => d.name.endsWith('_HOST'))) expect(reports[name]!.config![v.name]).toBe('0.0.0.0');
    const test = service(name).healthcheck?.test ?? [];
    const command = Array.isArray(test) ? test.join(' ') : test;
    expect(command).toContain(`http://127.0.0.1:${port}/readyz`);
    for (const published of publishedContainerPorts(service(name))) expect(published).toBe(port);
  });

  it.each(SERVICES)('%s has a probe timeout /readyz can meet and a grace period its shutdown fits in', (name) => {
    const s = service(name);
    // /readyz answers within 2 s even when a dependency hangs (docs/observability.md).
    expect(durationMs(s.healthcheck?.timeout)).toBeGreaterThanOrEqual(3000);
    const shutdown = reports[name]!.variables.find((v) => v.name.endsWith('SHUTDOWN_TIMEOUT_MS'))!;
    expect(durationMs(s.stop_grace_period)).toBeGreaterThan(reports[name]!.config![shutdown.name] as number);
  });

  it.each(SERVICES)('%s starts after the init job and the dependencies it reads', (name) => {
    const deps = dependenciesOf(service(name));
    const env = envOf(name);
    expect(deps['init']).toBe('service_completed_successfully');
    if (env['SCHEMA_REGISTRY_URL'] !== undefined) expect(deps['schema-registry']).toBe('service_healthy');
    if (env['REDIS_URL'] !== undefined) expect(deps['redis']).toBe('service_healthy');
  });

  it.each(SERVICES)('%s points at the compose network addresses of Kafka, the registry, PostgreSQL and Redis', (name) => {
    const config = reports[name]!.config!;
    const kafkaListener = advertisedListener('PLAINTEXT');
    if ('KAFKA_BROKERS' in config) expect(config['KAFKA_BROKERS']).toEqual([kafkaListener]);
    if ('SCHEMA_REGISTRY_URL' in config) expect(config['SCHEMA_REGISTRY_URL']).toBe(`http://schema-registry:${new URL(envOf('schema-registry')['SCHEMA_REGISTRY_LISTENERS']!).port}`);
    const db = new URL(config['DATABASE_URL'] as string);
    const postgres = envOf('postgres');
    expect([db.hostname, db.port, db.username, decodeURIComponent(db.password), db.pathname]).toEqual(['postgres', '5432', postgres['POSTGRES_USER'], postgres['POSTGRES_PASSWORD'], `/${postgres['POSTGRES_DB']}`]);
    if (config['REDIS_URL'] !== undefined) expect(new URL(config['REDIS_URL'] as string).host).toBe('redis:6379');
  });

  it('are the targets infra/prometheus/prometheus.yml scrapes, on the ports they serve /metrics on', () => {
    const prometheus = parse(read('infra/prometheus/prometheus.yml'), { merge: true }) as {
      scrape_configs: Array<{ static_configs?: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((job) => (job.static_configs ?? []).flatMap((c) => c.targets));
    expect(targets.sort()).toEqual(SERVICES.map((name) => `${name}:${listenPort(name)}`).sort());
  });

  it('share one consumer group per stage, never two stages in one group', () => {
    const groups = SERVICES.flatMap((name) => Object.entries(reports[name]!.config!).filter(([k]) => k.endsWith('GROUP_ID')).map(([, v]) => v));
    expect(new Set(groups).size).toBe(groups.length);
  });
});

/** The host:port Kafka advertises on a listener. */
function advertisedListener(listener: string): string {
  const advertised = envOf('kafka')['KAFKA_ADVERTISED_LISTENERS']!.split(',');
  const entry = advertised.find((l) => l.startsWith(`${listener}://`));
  if (entry === undefined) throw new Error(`kafka advertises no ${listener} listener`);
  return entry.slice(listener.length + 3);
}

describe('the init job', () => {
  it('runs migrations and the topic catalogue once, after Kafka and PostgreSQL are healthy', () => {
    const init = service('init');
    expect(commandOf(init)).toEqual(['migrate']);
    expect(init.restart).toBe('no');
    expect(dependenciesOf(init)).toEqual({ kafka: 'service_healthy', postgres: 'service_healthy' });
    expect(envOf('init')['KAFKA_BROKERS']).toBe(advertisedListener('PLAINTEXT'));
    expect(envOf('init')['DATABASE_URL']).toBe(envOf('ingest')['DATABASE_URL']);
  });

  it('`migrate` runs `stratum db migrate`, then `stratum topics apply` on its brokers', async () => {
    const run = await runEntrypoint(root, ['migrate'], envOf('init'));
    expect(run.code).toBe(0);
    expect(run.calls.map((c) => c.args)).toEqual([
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'db', 'migrate'],
      ['--import', 'tsx', 'packages/cli/src/main.ts', 'topics', 'apply', '--brokers', 'kafka:9092'],
    ]);
  });
});

describe('the infrastructure in docker-compose.yml', () => {
  it('runs Kafka and the registry at the versions the testcontainers harness tests against', () => {
    expect(service('kafka').image).toBe(DEFAULT_CONTAINER_IMAGES.kafka);
    expect(service('schema-registry').image).toBe(DEFAULT_CONTAINER_IMAGES.registry);
    expect(service('postgres').image).toMatch(/^postgres:16\b/);
  });

  it('runs Kafka as one KRaft node whose internal topics fit one broker', () => {
    const kafka = envOf('kafka');
    expect(kafka['KAFKA_PROCESS_ROLES']!.split(',').sort()).toEqual(['broker', 'controller']);
    expect(Buffer.from(kafka['CLUSTER_ID']!, 'base64url')).toHaveLength(16);
    for (const v of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) expect(kafka[v]).toBe('1');
    // Every advertised listener is one Kafka listens on, with a protocol.
    const listeners = new Map(kafka['KAFKA_LISTENERS']!.split(',').map((l) => [l.split('://')[0]!, Number(l.split(':').at(-1))]));
    const protocols = new Set(kafka['KAFKA_LISTENER_SECURITY_PROTOCOL_MAP']!.split(',').map((p) => p.split(':')[0]));
    for (const a of kafka['KAFKA_ADVERTISED_LISTENERS']!.split(',')) {
      const name = a.split('://')[0]!;
      expect(listeners.get(name)).toBe(Number(a.split(':').at(-1)));
      expect(protocols.has(name)).toBe(true);
    }
  });

  it('stores the registry in the Kafka the services use', () => {
    expect(envOf('schema-registry')['SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS']).toBe(`PLAINTEXT://${advertisedListener('PLAINTEXT')}`);
  });

  it('runs Prometheus on infra/prometheus and Grafana on infra/grafana', () => {
    const prometheus = service('prometheus');
    expect(prometheus.volumes).toContain('./infra/prometheus:/etc/prometheus:ro');
    expect(commandOf(prometheus)).toContain('--config.file=/etc/prometheus/prometheus.yml');
    const grafana = service('grafana');
    expect(grafana.volumes).toEqual(expect.arrayContaining(['./infra/grafana/provisioning:/etc/grafana/provisioning:ro', './infra/grafana/dashboards:/var/lib/grafana/dashboards:ro']));
    const home = envOf('grafana')['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH']!;
    expect(existsSync(join(root, 'infra/grafana/dashboards', home.replace('/var/lib/grafana/dashboards/', '')))).toBe(true);
  });
});

describe('Compose Specification', () => {
  // The schema comes from dclint's package (it ships compose-spec's JSON schema). Until infra's
  // devDependencies declare it, this is skipped, named so the reason shows in the run.
  const infraPackage = JSON.parse(read('infra/package.json')) as { devDependencies?: Record<string, string> };
  const declared = infraPackage.devDependencies?.['dclint'] !== undefined;
  (declared ? it : it.skip)(`docker-compose.yml is valid${declared ? '' : ' (skipped: add dclint to infra devDependencies)'}`, () => {
    // Its exports map opens only package.json; the schema sits beside it.
    const manifest = createRequire(join(root, 'infra', 'package.json')).resolve('dclint/package.json');
    const schema = JSON.parse(readFileSync(join(dirname(manifest), 'schemas', 'compose.schema.json'), 'utf8')) as object;
    // validateSchema off: the schema names its draft by an https URL ajv does not have under that key.
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('builds on node:20-bookworm-slim with the pnpm package.json names', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-bookworm-slim$/m);
    expect(runtime).toMatch(/^\$\{NODE_IMAGE\} AS runtime/);
    const pnpm = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager;
    expect(`pnpm@${/^ARG PNPM_VERSION=(.+)$/m.exec(dockerfile)?.[1]}`).toBe(pnpm);
  });

  it('installs from the lockfile only, without devDependencies, every service and the CLI', () => {
    const installs = [...dockerfile.replace(/\\\n/g, ' ').matchAll(/pnpm install ([^\n]*)/g)].map((m) => m[1]!);
    expect(installs.length).toBeGreaterThan(0);
    for (const flags of installs) expect(flags).toMatch(/--offline --frozen-lockfile/);
    const deps = installs.find((flags) => flags.includes('--prod'))!;
    expect(deps).toContain("--filter-prod '@stratum/service-*...'");
    expect(deps).toContain("--filter-prod '@stratum/cli...'");
    for (const name of SERVICES) expect((JSON.parse(read(`services/${name}/package.json`)) as { name: string }).name).toMatch(/^@stratum\/service-/);
  });

  it('runs as a non-root user, under tini, through docker/entrypoint.sh', () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/bin\/sh", "\/app\/docker\/entrypoint\.sh"\]$/m);
    expect(runtime).toMatch(/apt-get install [^\n]*\btini\b/);
  });

  it('copies from the build context only files .dockerignore lets in', () => {
    const rules = readDockerignore(root);
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+)$/gm)) {
      const sources = m[1]!.trim().split(/\s+/).slice(0, -1);
      for (const source of sources) {
        if (source === '.') continue;
        expect({ source, exists: existsSync(join(root, source)), ignored: isIgnored(rules, source) }).toEqual({ source, exists: true, ignored: false });
      }
    }
  });
});

describe('.dockerignore', () => {
  const rules = readDockerignore(root);

  /** Every file under `dir`, relative to the root, skipping node_modules. */
  function filesUnder(dir: string): string[] {
    return readdirSync(join(root, dir)).flatMap((entry) => {
      if (entry === 'node_modules') return [];
      const path = `${dir}/${entry}`;
      return statSync(join(root, path)).isDirectory() ? filesUnder(path) : [path];
    });
  }

  // Helpers in a test/ folder inside src/ (packages/broker/src/log/test/) are for tests only.
  it('lets in the manifests, the lockfile, the install settings and every source file the processes load', () => {
    const needed = [
      'package.json',
      'pnpm-lock.yaml',
      'pnpm-workspace.yaml',
      '.npmrc',
      'tooling/tsconfig.base.json',
      'docker/entrypoint.sh',
      'docker/copy-closure.mjs',
      ...['packages', 'services'].flatMap((top) =>
        readdirSync(join(root, top)).flatMap((name) => [`${top}/${name}/package.json`, `${top}/${name}/tsconfig.json`, ...filesUnder(`${top}/${name}/src`).filter((f) => !f.endsWith('.test.ts') && !f.includes('/test/'))]),
      ),
    ];
    expect(needed.filter((path) => !existsSync(join(root, path)) || isIgnored(rules, path))).toEqual([]);
  });

  it('keeps out secrets, installed modules, data, tests and what only development uses', () => {
    const kept = ['.env', '.git/config', 'node_modules/x', 'services/gateway/node_modules/x', 'data/kafka/x', 'packages/stream/src/runner.test.ts', 'services/gateway/test/x.ts', 'docs/operations.md', 'e2e/package.json', 'infra/package.json', 'bench/run.ts'];
    expect(kept.filter((path) => !isIgnored(rules, path))).toEqual([]);
  });
});

describe('docker/entrypoint.sh', () => {
  it.each(SERVICES)('`%s` execs node on the service\'s src/main.ts from the workspace root, so SIGTERM reaches node', async (name) => {
    const run = await runEntrypoint(root, [name]);
    expect(run.code).toBe(0);
    // identity-resolution runs with a larger young generation (the entrypoint says why).
    const nodeFlags = name === 'identity-resolution' ? ['--max-semi-space-size=64'] : [];
    expect(run.calls).toEqual([{ cwd: root, args: [...nodeFlags, '--import', 'tsx', `services/${name}/src/main.ts`], pid: run.pid }]);
    expect(existsSync(join(root, 'services', name, 'src', 'main.ts'))).toBe(true);
  });

  it('`stratum …` runs any stratum command, and `topics …` passes its flags to topics apply', async () => {
    const cli = await runEntrypoint(root, ['stratum', 'tenant', 'create', '--name', 'acme']);
    expect(cli.calls).toEqual([{ cwd: root, args: ['--import', 'tsx', 'packages/cli/src/main.ts', 'tenant', 'create', '--name', 'acme'], pid: cli.pid }]);
    const topics = await runEntrypoint(root, ['topics', '--check'], { KAFKA_BROKERS: 'k1:9092,k2:9092' });
    expect(topics.calls.map((c) => c.args)).toEqual([['--import', 'tsx', 'packages/cli/src/main.ts', 'topics', 'apply', '--brokers', 'k1:9092,k2:9092', '--check']]);
  });

  it('refuses an unknown process, and migrate without KAFKA_BROKERS, before starting anything', async () => {
    const unknown = await runEntrypoint(root, ['gatewya']);
    expect([unknown.code, unknown.calls.length]).toEqual([64, 0]);
    expect(unknown.stderr).toContain('unknown command: gatewya');
    const noBrokers = await runEntrypoint(root, ['migrate'], { DATABASE_URL: 'postgres://x@y/z' });
    expect([noBrokers.code, noBrokers.calls.length]).toEqual([64, 0]);
  });

  it('stops a migrate whose database step failed, with its exit code, before it creates topics', async () => {
    const run = await runEntrypoint(root, ['migrate'], { KAFKA_BROKERS: 'kafka:9092', FAKE_NODE_FAIL_ON: 'db' });
    expect(run.code).toBe(3);
    expect(run.calls.map((c) => c.args.slice(3))).toEqual([['db', 'migrate']]);
  });
});
