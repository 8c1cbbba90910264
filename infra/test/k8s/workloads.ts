/**
 * Reading workloads the way the kubelet would: a pod template's container, the environment it
 * gets from ConfigMaps and Secrets, the port a probe or a Service names, which objects select it.
 */
import type { K8sObject } from './manifests';

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port?: number | string };
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly args?: string[];
  readonly command?: string[];
  readonly ports?: { readonly name?: string; readonly containerPort: number; readonly protocol?: string }[];
  readonly env?: { readonly name: string; readonly value?: string; readonly valueFrom?: EnvSource }[];
  readonly envFrom?: { readonly configMapRef?: { name: string; optional?: boolean }; readonly secretRef?: { name: string; optional?: boolean } }[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly lifecycle?: { readonly preStop?: unknown };
}

interface EnvSource {
  readonly secretKeyRef?: { name: string; key: string; optional?: boolean };
  readonly configMapKeyRef?: { name: string; key: string; optional?: boolean };
}

export interface PodTemplate {
  readonly metadata?: { readonly labels?: Record<string, string> };
  readonly spec: { readonly containers: Container[]; readonly terminationGracePeriodSeconds?: number };
}

export const podTemplate = (workload: K8sObject) => (workload.spec as { template: PodTemplate }).template;

/** matchLabels against labels; matchExpressions are not used in these manifests and fail the check. */
export function selects(selector: unknown, labels: Record<string, string> | undefined): boolean {
  const s = (selector ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  if (s.matchExpressions?.length) throw new Error('matchExpressions: not understood by these checks');
  // A Service's selector is a plain map; a label selector has matchLabels.
  const wanted = 'matchLabels' in s || 'matchExpressions' in s ? (s.matchLabels ?? {}) : (s as Record<string, string>);
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

const byKindName = (objects: readonly K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);

/**
 * The environment a container starts with: envFrom in order, then env on top (Kubernetes' order).
 * Secrets are not in the manifests (only a template is): `secretValue` supplies their values, and
 * says which keys exist. Throws on a reference that would keep the pod from starting.
 */
export function containerEnv(container: Container, objects: readonly K8sObject[], secretValue: (name: string, key: string) => string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  const configMap = (name: string) => byKindName(objects, 'ConfigMap', name)?.data;
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) {
      const data = configMap(from.configMapRef.name);
      if (!data && !from.configMapRef.optional) throw new Error(`${container.name}: envFrom ConfigMap ${from.configMapRef.name} is not among the manifests`);
      Object.assign(env, data ?? {});
    }
    if (from.secretRef) throw new Error(`${container.name}: envFrom a whole Secret; name the keys it needs (secretKeyRef) instead`);
  }
  for (const e of container.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (!e.valueFrom) env[e.name] = e.value ?? '';
    else if (ref) {
      const value = e.valueFrom.secretKeyRef ? secretValue(ref.name, ref.key) : configMap(ref.name)?.[ref.key];
      if (value !== undefined) env[e.name] = value;
      else if (!ref.optional) throw new Error(`${container.name}: ${e.name} refers to ${ref.name}/${ref.key}, which does not exist`);
    }
  }
  return env;
}

/** The container port a probe or a Service's targetPort names (a number, or a port's name). */
export function resolvePort(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}
