/**
 * What the NetworkPolicies allow a pod, by port. Peers (`to`, `from`) are kept as data for the
 * caller to judge: which pods they are depends on the cluster, and the test has none.
 */
import type { K8sObject } from './manifests';
import { selects, type Container, resolvePort } from './workloads';

interface PolicyPort {
  readonly port?: number | string;
  readonly protocol?: string;
}
export interface PolicyRule {
  readonly ports?: PolicyPort[];
  readonly to?: unknown[];
  readonly from?: unknown[];
}
interface PolicySpec {
  readonly podSelector: unknown;
  readonly policyTypes?: string[];
  readonly ingress?: PolicyRule[];
  readonly egress?: PolicyRule[];
}

const specOf = (p: K8sObject) => p.spec as unknown as PolicySpec;

/** The policies that select a pod with these labels. */
export function policiesFor(objects: readonly K8sObject[], podLabels: Record<string, string> | undefined): K8sObject[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy' && selects(specOf(o).podSelector, podLabels));
}

/** Whether some policy isolates the pod in this direction (then only its rules let traffic through). */
export const isolated = (policies: readonly K8sObject[], type: 'Ingress' | 'Egress') => policies.some((p) => specOf(p).policyTypes?.includes(type));

/** A rule's ports include `port` (a rule without ports allows every port). Named ports resolve in `container`. */
function rulePortAllows(rule: PolicyRule, port: number, protocol: string, container?: Container): boolean {
  if (!rule.ports?.length) return true;
  return rule.ports.some((p) => (p.protocol ?? 'TCP') === protocol && (p.port === undefined || (container ? resolvePort(container, p.port) : p.port) === port));
}

/** The egress rules that let the pod reach `port` (TCP unless said). */
export function egressRulesTo(policies: readonly K8sObject[], port: number, protocol = 'TCP'): PolicyRule[] {
  return policies.flatMap((p) => specOf(p).egress ?? []).filter((r) => rulePortAllows(r, port, protocol));
}

/** The ingress rules that let connections in on `port` of `container`. */
export function ingressRulesOn(policies: readonly K8sObject[], container: Container, port: number): PolicyRule[] {
  return policies.flatMap((p) => specOf(p).ingress ?? []).filter((r) => rulePortAllows(r, port, 'TCP', container));
}

/** Whether a rule's peers include a pod selected by these labels in a namespace with this name. */
export function peerMatches(rule: PolicyRule, peers: 'from' | 'to', namespace: string, podLabels: Record<string, string> | null): boolean {
  return (rule[peers] ?? []).some((peer) => {
    const p = peer as { namespaceSelector?: unknown; podSelector?: unknown; ipBlock?: unknown };
    if (p.ipBlock) return false;
    const nsOk = p.namespaceSelector === undefined ? false : selects(p.namespaceSelector, { 'kubernetes.io/metadata.name': namespace });
    const podOk = p.podSelector === undefined || podLabels === null || selects(p.podSelector, podLabels);
    return nsOk && podOk;
  });
}
