/**
 * k8s/ is product: these checks hold it to the Kubernetes API schemas and to the code.
 *
 * - Every YAML file parses; every object validates against its schema (kubernetes-models for
 *   Kubernetes, KEDA and the Prometheus Operator; a small ajv schema for Strimzi's KafkaTopic).
 * - The base kustomization lists every manifest; `kubectl kustomize` builds the base and both
 *   overlays (when kubectl is on PATH; `KUBECTL=/path/to/kubectl` picks another).
 * - On the base's files and on each build: every service under services/ has a Deployment running
 *   the image's command for it, with an environment its own config.ts accepts (loaded by the
 *   config's code); probes, Service and ServiceMonitor on the port that config makes it listen on;
 *   time to shut down; a PodDisruptionBudget; network policies that let it reach what its config
 *   names; a KEDA ScaledObject on its consumer groups and input topics (stages) or an HPA (gateway).
 * - The KafkaTopics are the catalogue's topics, partitions and configs.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { topicCatalogue, topicNamed, workspaceRoot } from '@stratum/topics';
import { kafkaTopicProblems } from './k8s/kafka-topic-schema';
import { describeObject, findKubectl, isKustomization, kustomizationFiles, kustomizeBuild, loadFiles, readYaml, runChild, yamlFiles, type K8sObject } from './k8s/manifests';
import { egressRulesTo, ingressRulesOn, isolated, peerMatches, policiesFor } from './k8s/network';
import { containerEnv, podTemplate, resolvePort, selects, type Container } from './k8s/workloads';

const ROOT = workspaceRoot();
const K8S = join(ROOT, 'k8s');
const BASE = join(K8S, 'base');
const INFRA = join(ROOT, 'infra');
const rel = (file: string) => relative(ROOT, file);

/** Every service in the code: a folder under services/ with a config.ts. */
const SERVICES = readdirSync(join(ROOT, 'services'))
  .filter((name) => existsSync(join(ROOT, 'services', name, 'src', 'config.ts')))
  .sort();

/** Where each service listens and how long its shutdown may take, by config variable. */
interface Listen {
  readonly port: string;
  readonly host?: string;
  readonly shutdown: string;
}
const LISTEN: Record<string, Listen> = {
  gateway: { port: 'GATEWAY_PORT', host: 'GATEWAY_HOST', shutdown: 'GATEWAY_SHUTDOWN_TIMEOUT_MS' },
  'profile-api': { port: 'PROFILE_API_PORT', host: 'PROFILE_API_HOST', shutdown: 'PROFILE_API_SHUTDOWN_TIMEOUT_MS' },
};
/** The stages: /metrics, /healthz, /readyz on METRICS_PORT, every interface (packages/stream). */
const STAGE_LISTEN: Listen = { port: 'METRICS_PORT', shutdown: 'STAGE_SHUTDOWN_TIMEOUT_MS' };

type Config = Record<string, unknown>;
const str = (c: Config, name: string) => {
  if (typeof c[name] !== 'string') throw new Error(`config has no string ${name}`);
  return c[name];
};
const strs = (c: Config, name: string) => {
  const v = c[name];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Error(`config has no list ${name}`);
  return v as string[];
};

/**
 * The consumer groups each stage's main.ts runs, with their input topics, from its config; the
 * first is the stage's own (STAGE_GROUP_ID). A service missing here consumes nothing.
 */
const CONSUMER_GROUPS: Record<string, (c: Config) => [string, string[]][]> = {
  ingest: (c) => [[str(c, 'STAGE_GROUP_ID'), [str(c, 'INGEST_INPUT_TOPIC')]]],
  dedup: (c) => [[str(c, 'STAGE_GROUP_ID'), [str(c, 'DEDUP_INPUT_TOPIC')]]],
  // The person-import stage runs in the same pods under its own group (services/identity-resolution/src/main.ts).
  'identity-resolution': (c) => [
    [str(c, 'STAGE_GROUP_ID'), [str(c, 'IDENTITY_INPUT_TOPIC')]],
    [str(c, 'IDENTITY_IMPORT_GROUP_ID'), [str(c, 'IDENTITY_IMPORT_TOPIC')]],
  ],
  'delivery-adapter': (c) => [
    [str(c, 'STAGE_GROUP_ID'), [str(c, 'DELIVERY_RESOLVED_TOPIC')]],
    [str(c, 'DELIVERY_ATTEMPTS_GROUP_ID'), [str(c, 'DELIVERY_ATTEMPTS_TOPIC')]],
  ],
  // services/retry/src/config.ts stageGroups(): the other two groups append a suffix.
  retry: (c) => [
    [str(c, 'STAGE_GROUP_ID'), strs(c, 'RETRY_TIER_TOPICS')],
    [`${str(c, 'STAGE_GROUP_ID')}.dlq-index`, [str(c, 'RETRY_DLQ_TOPIC')]],
    [`${str(c, 'STAGE_GROUP_ID')}.consent-purge`, [str(c, 'RETRY_CONSENTS_TOPIC')]],
  ],
};
/** Scaled on CPU by an HPA: the HTTP edge. The profile API runs a fixed count. */
const CPU_SCALED = ['gateway'];

/** Egress beyond what the config names: the destinations' HTTPS APIs. */
const EXTRA_EGRESS: Record<string, number[]> = { 'delivery-adapter': [443] };

/** Who scrapes and who fronts the APIs, as k8s/README.md assumes (the Prometheus Operator's pods, ingress-nginx). */
const PROMETHEUS = { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
const INGRESS_NAMESPACE = 'ingress-nginx';
const FRONTED = ['gateway', 'profile-api'];

/** Shutdown timeout plus this must fit in terminationGracePeriodSeconds: preStop, closing clients. */
const SHUTDOWN_MARGIN_MS = 10_000;

// The Secret is created per cluster, never applied (k8s/base/common/secret.template.yaml): its keys
// and values come from the template, except the credential keys, a placeholder invalid on purpose.
const SECRET_TEMPLATE = join(BASE, 'common', 'secret.template.yaml');
const secretTemplate = readYaml(SECRET_TEMPLATE)[0] as K8sObject;
const TEST_CREDENTIAL_KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;
function secretValue(name: string, key: string): string | undefined {
  if (name !== secretTemplate.metadata.name) return undefined;
  const value = secretTemplate.stringData?.[key];
  return key === 'STRATUM_CREDENTIALS_KEYS' && value !== undefined ? TEST_CREDENTIAL_KEYS : value;
}

// What is checked: the base's own files, and each kustomize build when kubectl is here.
const kubectl = findKubectl();
const BUILDS = ['base', 'overlays/dev', 'overlays/prod'];
const BASE_FILES = kustomizationFiles(BASE).resources;
const fromFiles = (): { objects: K8sObject[] } | { error: string } => {
  try {
    return { objects: loadFiles(BASE_FILES) };
  } catch (err) {
    return { error: (err as Error).message };
  }
};
const SETS = new Map([['k8s/base (its files)', fromFiles()]]);
if (kubectl) for (const dir of BUILDS) SETS.set(`kubectl kustomize k8s/${dir}`, kustomizeBuild(kubectl.path, join(K8S, dir)));

const objectsOf = (set: string): K8sObject[] => {
  const built = SETS.get(set);
  if (!built || 'error' in built) throw new Error(`${set} did not build: ${built ? built.error : 'unknown set'}`);
  return built.objects;
};
const find = (objects: readonly K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

interface Workload {
  deployment: K8sObject;
  container: Container;
  labels: Record<string, string>;
  env: Record<string, string>;
}
function workload(set: string, service: string): Workload {
  const objects = objectsOf(set);
  const deployment = find(objects, 'Deployment', service);
  if (!deployment) throw new Error(`no Deployment ${service}`);
  const template = podTemplate(deployment);
  const container = template.spec.containers.find((c) => c.name === service);
  if (!container) throw new Error(`Deployment ${service} has no container named ${service}`);
  return { deployment, container, labels: template.metadata?.labels ?? {}, env: containerEnv(container, objects, secretValue) };
}

// Loaded by the services' own config code, once for every set and service (a child process).
const configs = new Map<string, { config: Config } | { error: string }>();
const configOf = (set: string, service: string): Config => {
  const result = configs.get(`${set}|${service}`);
  if (!result) throw new Error(`no config loaded for ${service} in ${set}`);
  if ('error' in result) throw new Error(`services/${service} would not start with this environment:\n${result.error}`);
  return result.config;
};
let modelProblems: string[] = [];

beforeAll(() => {
  const jobs: { key: string; configFile: string; env: Record<string, string> }[] = [];
  for (const set of SETS.keys()) {
    for (const service of SERVICES) {
      try {
        jobs.push({ key: `${set}|${service}`, configFile: join(ROOT, 'services', service, 'src', 'config.ts'), env: workload(set, service).env });
      } catch (err) {
        configs.set(`${set}|${service}`, { error: (err as Error).message });
      }
    }
  }
  const results = runChild<({ config: Config } | { error: string })[]>(INFRA, 'service-config.ts', jobs);
  jobs.forEach((job, i) => configs.set(job.key, results[i]!));

  // Every object once: the base's files, the Secret template and every build.
  const objects: { origin: string; object: K8sObject }[] = [];
  for (const file of [...BASE_FILES, SECRET_TEMPLATE]) {
    try {
      objects.push(...(readYaml(file) as K8sObject[]).map((object) => ({ origin: rel(file), object })));
    } catch {
      // a file that does not parse fails the parse check
    }
  }
  for (const [set, built] of SETS) if (set.startsWith('kubectl') && 'objects' in built) objects.push(...built.objects.map((object) => ({ origin: set, object })));
  const strimzi = objects.filter((o) => o.object.kind === 'KafkaTopic');
  const others = objects.filter((o) => o.object.kind !== 'KafkaTopic');
  const verdicts = runChild<string[][]>(INFRA, 'validate-models.ts', others.map((o) => o.object));
  modelProblems = [
    ...others.flatMap((o, i) => verdicts[i]!.map((p) => `${o.origin}: ${describeObject(o.object)}: ${p}`)),
    ...strimzi.flatMap((o) => kafkaTopicProblems(o.object).map((p) => `${o.origin}: ${describeObject(o.object)}: ${p}`)),
  ];
});

describe('k8s/ files', () => {
  it('every YAML file parses, and every object in a manifest has apiVersion, kind and a name', () => {
    const problems: string[] = [];
    for (const file of yamlFiles(K8S)) {
      try {
        const docs = readYaml(file) as Partial<K8sObject>[];
        if (isKustomization(file)) continue;
        for (const o of docs) {
          if (!o.apiVersion || !o.kind || !o.metadata?.name) problems.push(`${rel(file)}: an object without apiVersion, kind or metadata.name`);
        }
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every object validates against its schema (Kubernetes, KEDA, Prometheus Operator, Strimzi KafkaTopic)', () => {
    expect(modelProblems).toEqual([]);
  });

  it('the base kustomization lists every manifest under k8s/base but the Secret template', () => {
    const manifests = yamlFiles(BASE).filter((f) => !isKustomization(f) && f !== SECRET_TEMPLATE);
    expect([...BASE_FILES].sort()).toEqual(manifests.sort());
  });

  it.each(BUILDS.filter((d) => d.startsWith('overlays')))('%s names bases and patches that exist', (dir) => {
    const { bases, patches, resources } = kustomizationFiles(join(K8S, dir));
    expect(bases.map(rel)).toEqual(['k8s/base']);
    for (const file of [...patches, ...resources]) expect(existsSync(file) ? rel(file) : `missing: ${rel(file)}`).toBe(rel(file));
  });
});

describe(`kustomize build (${kubectl?.version ?? 'no kubectl'})`, () => {
  if (!kubectl) {
    it.skip('SKIPPED: kubectl is not on PATH, so the kustomizations were not built (apt-get install kubernetes-client)', () => undefined);
    return;
  }
  it.each(BUILDS)('kubectl kustomize k8s/%s builds', (dir) => {
    const built = SETS.get(`kubectl kustomize k8s/${dir}`)!;
    expect('error' in built ? built.error : null).toBeNull();
  });
});

describe.each([...SETS.keys()])('%s', (set) => {
  it('has a Deployment, Service, PodDisruptionBudget, ServiceMonitor and NetworkPolicy for every service under services/', () => {
    const objects = objectsOf(set);
    const missing = SERVICES.flatMap((s) => ['Deployment', 'Service', 'PodDisruptionBudget', 'ServiceMonitor', 'NetworkPolicy'].filter((kind) => !find(objects, kind, s)).map((kind) => `${kind} ${s}`));
    expect(missing).toEqual([]);
    expect(objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name).sort()).toEqual(SERVICES);
  });

  it('runs every container from the stratum image, and the migration Job before the services', () => {
    const objects = objectsOf(set);
    const pods = objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job').flatMap((o) => podTemplate(o).spec.containers.map((c) => [describeObject(o), c.image] as const));
    for (const [what, image] of pods) expect(`${what}: ${image}`).toMatch(/: ([\w.:-]+\/)*stratum(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/);
    const job = find(objects, 'Job', 'migrate');
    const container = job && podTemplate(job).spec.containers[0];
    // Migrations only: the topics are Strimzi's (the image's `migrate` would apply them too).
    expect(container?.args).toEqual(['stratum', 'db', 'migrate']);
    expect(container && Object.keys(containerEnv(container, objects, secretValue))).toContain('DATABASE_URL');
  });

  it('points Kafka and the schema registry into the namespace it deploys to', () => {
    const config = find(objectsOf(set), 'ConfigMap', 'stratum-config');
    const namespace = config?.metadata.namespace;
    const hosts = [...(config?.data?.KAFKA_BROKERS ?? '').split(','), new URL(config?.data?.SCHEMA_REGISTRY_URL ?? 'http://x').host];
    // <service>.<namespace>.svc: fully qualified, since KEDA's operator resolves it from its own namespace.
    for (const host of hosts) expect(host).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\.svc(\.cluster\.local)?:\d+$/);
    if (namespace) for (const host of hosts) expect(host.split('.')[1]).toBe(namespace);
  });

  it("has the catalogue's topics as KafkaTopics of the cluster the services use, with its partitions and configs", () => {
    const objects = objectsOf(set);
    const topics = objects.filter((o) => o.kind === 'KafkaTopic');
    const spec = (o: K8sObject) => o.spec as { topicName?: string; partitions: number; replicas: number; config: Record<string, unknown> };
    expect(topics.map((t) => spec(t).topicName ?? t.metadata.name).sort()).toEqual(topicCatalogue.map((t) => t.name).sort());
    const brokers = find(objects, 'ConfigMap', 'stratum-config')?.data?.KAFKA_BROKERS ?? '';
    for (const t of topics) {
      const want = topicNamed(spec(t).topicName ?? t.metadata.name);
      // Strimzi names the bootstrap Service <cluster>-kafka-bootstrap.
      expect(brokers.startsWith(`${t.metadata.labels?.['strimzi.io/cluster']}-kafka-bootstrap.`)).toBe(true);
      expect(spec(t).partitions).toBe(want.partitions);
      expect(spec(t).config).toMatchObject({ 'cleanup.policy': want.cleanupPolicy, 'retention.ms': String(want.retentionMs), ...want.configs });
    }
  });

  describe.each(SERVICES)('%s', (service) => {
    const listen = LISTEN[service] ?? STAGE_LISTEN;
    const port = () => {
      const value = configOf(set, service)[listen.port];
      if (typeof value !== 'number') throw new Error(`services/${service}'s config has no ${listen.port}: tell this test where it listens`);
      return value;
    };

    it(`runs the image's \`${service}\` with an environment its config accepts`, () => {
      const { container } = workload(set, service);
      expect(container.command).toBeUndefined();
      expect(container.args).toEqual([service]);
      expect(configOf(set, service)).toBeDefined();
    });

    it('has probes, a Service and a ServiceMonitor on the port it listens on, on every interface', () => {
      const objects = objectsOf(set);
      const { container, labels } = workload(set, service);
      const listening = port();
      if (listen.host) expect(['0.0.0.0', '::']).toContain(configOf(set, service)[listen.host]);
      expect(container.ports?.map((p) => p.containerPort)).toContain(listening);
      expect([container.readinessProbe?.httpGet?.path, resolvePort(container, container.readinessProbe?.httpGet?.port)]).toEqual(['/readyz', listening]);
      expect([container.livenessProbe?.httpGet?.path, resolvePort(container, container.livenessProbe?.httpGet?.port)]).toEqual(['/healthz', listening]);
      if (container.startupProbe) expect([container.startupProbe.httpGet?.path, resolvePort(container, container.startupProbe.httpGet?.port)]).toEqual(['/healthz', listening]);

      const svc = find(objects, 'Service', service)!;
      const svcSpec = svc.spec as { selector: Record<string, string>; ports: { name?: string; port: number; targetPort?: number | string }[] };
      expect(selects(svcSpec.selector, labels)).toBe(true);
      const reaching = svcSpec.ports.filter((p) => resolvePort(container, p.targetPort ?? p.port) === listening);
      expect(reaching.length).toBeGreaterThan(0);

      const monitors = objects.filter((o) => o.kind === 'ServiceMonitor' && selects(o.spec?.selector, svc.metadata.labels));
      const endpoints = monitors.flatMap((m) => (m.spec as { endpoints: { port?: string; path?: string }[] }).endpoints);
      expect(endpoints.some((e) => reaching.some((p) => p.name === e.port) && (e.path ?? '/metrics') === '/metrics')).toBe(true);

      const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && selects(o.spec?.selector, labels));
      expect(pdbs.map((p) => p.metadata.name)).toEqual([service]);
    });

    it('has time to shut down cleanly before SIGKILL', () => {
      const { deployment } = workload(set, service);
      const shutdownMs = configOf(set, service)[listen.shutdown];
      expect(typeof shutdownMs).toBe('number');
      const grace = podTemplate(deployment).spec.terminationGracePeriodSeconds ?? 30;
      expect(grace * 1000).toBeGreaterThanOrEqual((shutdownMs as number) + SHUTDOWN_MARGIN_MS);
    });

    it('may reach what its config names, takes scrapes from Prometheus, and nothing it does not need', () => {
      const objects = objectsOf(set);
      const { container, labels } = workload(set, service);
      const config = configOf(set, service);
      const policies = policiesFor(objects, labels);
      expect([isolated(policies, 'Ingress'), isolated(policies, 'Egress')]).toEqual([true, true]);

      const needs: [string, number, string?][] = [['DNS', 53, 'UDP']];
      const urlPort = (name: string, fallback: number) => (typeof config[name] === 'string' ? [[name, Number(new URL(config[name]).port || fallback)] as [string, number]] : []);
      if (Array.isArray(config.KAFKA_BROKERS)) for (const b of config.KAFKA_BROKERS as string[]) needs.push(['KAFKA_BROKERS', Number(b.split(':').pop())]);
      needs.push(...urlPort('SCHEMA_REGISTRY_URL', 80), ...urlPort('DATABASE_URL', 5432), ...urlPort('REDIS_URL', 6379));
      for (const extra of EXTRA_EGRESS[service] ?? []) needs.push(['destinations', extra]);
      const closed = needs.filter(([, p, protocol]) => egressRulesTo(policies, p, protocol).length === 0).map(([what, p]) => `${what} (port ${p})`);
      expect(closed).toEqual([]);

      const inbound = ingressRulesOn(policies, container, port());
      expect(inbound.some((r) => peerMatches(r, 'from', PROMETHEUS.namespace, PROMETHEUS.labels))).toBe(true);
      if (FRONTED.includes(service)) expect(inbound.some((r) => peerMatches(r, 'from', INGRESS_NAMESPACE, null))).toBe(true);
      // No ingress rule open to every peer: each names who may connect.
      const open = policies.flatMap((p) => (p.spec as { ingress?: { from?: unknown[] }[] }).ingress ?? []).filter((r) => !r.from?.length);
      expect(open).toEqual([]);
    });

    const groups = CONSUMER_GROUPS[service];
    if (groups) {
      it('is scaled by a KEDA ScaledObject on the lag of its consumer groups on its input topics, up to their partitions', () => {
        const objects = objectsOf(set);
        const { deployment, env } = workload(set, service);
        const config = configOf(set, service);
        const expected = groups(config);
        // The replica count is KEDA's: a fixed one would be reset on every apply.
        expect(deployment.spec?.replicas).toBeUndefined();
        const scaled = objects.filter((o) => o.kind === 'ScaledObject' && (o.spec?.scaleTargetRef as { name: string }).name === service);
        expect(scaled).toHaveLength(1);
        const spec = scaled[0]!.spec as { minReplicaCount: number; maxReplicaCount: number; triggers: { type: string; metadata: Record<string, string> }[] };
        const pairs = spec.triggers.map((t) => `${t.type} ${t.metadata.consumerGroup} ${t.metadata.topic}`);
        expect(pairs.sort()).toEqual(expected.flatMap(([g, topics]) => topics.map((t) => `kafka ${g} ${t}`)).sort());
        // The catalogue agrees on who reads what.
        const reads = topicCatalogue.filter((t) => (t.consumedBy as readonly string[]).includes(service)).map((t) => t.name);
        expect(expected.flatMap(([, topics]) => topics).sort()).toEqual(reads.sort());
        for (const t of spec.triggers) {
          const brokers = t.metadata.bootstrapServersFromEnv ? env[t.metadata.bootstrapServersFromEnv] : t.metadata.bootstrapServers;
          expect(brokers).toBe(env.KAFKA_BROKERS);
          // The stages subscribe fromBeginning: a group without offsets owes the whole topic.
          expect(t.metadata.offsetResetPolicy).toBe('earliest');
          expect(t.metadata.lagThreshold).toMatch(/^[1-9]\d*$/);
        }
        const partitions = Math.min(...expected[0]![1].map((t) => topicNamed(t).partitions));
        expect(spec.minReplicaCount).toBeGreaterThanOrEqual(1);
        expect(spec.maxReplicaCount).toBeGreaterThanOrEqual(spec.minReplicaCount);
        expect(spec.maxReplicaCount).toBeLessThanOrEqual(partitions);
        expect(objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec?.scaleTargetRef as { name: string }).name === service)).toEqual([]);
      });
    } else if (CPU_SCALED.includes(service)) {
      it('is scaled on CPU by a HorizontalPodAutoscaler', () => {
        const objects = objectsOf(set);
        const { deployment } = workload(set, service);
        expect(deployment.spec?.replicas).toBeUndefined();
        const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' && (o.spec?.scaleTargetRef as { name: string }).name === service);
        expect(hpas).toHaveLength(1);
        const spec = hpas[0]!.spec as { scaleTargetRef: { kind: string }; minReplicas: number; maxReplicas: number; metrics: { resource?: { name: string } }[] };
        expect(spec.scaleTargetRef.kind).toBe('Deployment');
        expect(spec.metrics.map((m) => m.resource?.name)).toContain('cpu');
        expect(spec.maxReplicas).toBeGreaterThanOrEqual(spec.minReplicas);
      });
    } else {
      it('runs a fixed number of replicas', () => {
        const { deployment } = workload(set, service);
        expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(1);
        expect(objectsOf(set).filter((o) => ['ScaledObject', 'HorizontalPodAutoscaler'].includes(o.kind) && (o.spec?.scaleTargetRef as { name: string }).name === service)).toEqual([]);
      });
    }
  });
});
