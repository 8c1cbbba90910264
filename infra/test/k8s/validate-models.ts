/**
 * Validates Kubernetes objects against their kubernetes-models schemas (the Kubernetes OpenAPI,
 * and the KEDA and Prometheus Operator CRDs). A child process, run by k8s.test.ts with
 * `node --import tsx`: the models are ES modules only (exports with just an `import` condition),
 * which jest's CommonJS runtime cannot load.
 *
 * stdin: a JSON array of objects. stdout: a JSON array, per object, of its problems (empty: valid).
 */
import { readFileSync } from 'node:fs';

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** The package holding each API group's models; the core group ("v1") is kubernetes-models'. */
const PACKAGES: Record<string, string> = {
  'keda.sh': '@kubernetes-models/keda',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelOf(apiVersion: string, kind: string): Promise<ModelClass> {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const pkg = PACKAGES[group ?? ''] ?? 'kubernetes-models';
  const path = group ? `${pkg}/${group}/${version}/${kind}` : `${pkg}/${version}/${kind}`;
  const module = (await import(path)) as Record<string, ModelClass | undefined>;
  const model = module[kind];
  if (!model) throw new Error(`${path} exports no ${kind}`);
  return model;
}

async function problems(object: { apiVersion?: unknown; kind?: unknown }): Promise<string[]> {
  if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') return ['no apiVersion or kind'];
  let model: ModelClass;
  try {
    model = await modelOf(object.apiVersion, object.kind);
  } catch (err) {
    return [`no model for ${object.apiVersion} ${object.kind}: ${(err as Error).message}`];
  }
  try {
    new model(object).validate();
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

const objects = JSON.parse(readFileSync(0, 'utf8')) as { apiVersion?: unknown; kind?: unknown }[];
const results: string[][] = [];
for (const object of objects) results.push(await problems(object));
process.stdout.write(JSON.stringify(results));
