/**
 * Reading k8s/: YAML files, kustomizations, `kubectl kustomize` builds, and the two child
 * processes (model validation, service configs) that must run outside jest's CommonJS runtime.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The shape of any Kubernetes object, as far as the checks read it. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

/** Every *.yaml file under `dir`, sorted. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return name.endsWith('.yaml') || name.endsWith('.yml') ? [path] : [];
    });
}

/** The documents of a YAML file; throws naming the file and every parse error or warning. */
export function readYaml(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const problems = docs.flatMap((d) => [...d.errors, ...d.warnings].map((e) => e.message));
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  // A document of only comments (a banner before the first ---) is null: not an object.
  return docs.map((d) => d.toJS() as unknown).filter((d) => d !== null);
}

export const isKustomization = (file: string) => /(^|\/)kustomization\.ya?ml$/.test(file);

/** The files a kustomization names, as absolute paths. */
export function kustomizationFiles(dir: string): { resources: string[]; patches: string[]; bases: string[] } {
  const [k] = readYaml(join(dir, 'kustomization.yaml')) as { resources?: string[]; patchesStrategicMerge?: string[]; bases?: string[] }[];
  const abs = (list: string[] | undefined) => (list ?? []).map((p) => join(dir, p));
  return { resources: abs(k?.resources), patches: abs(k?.patchesStrategicMerge), bases: abs(k?.bases) };
}

export function loadFiles(files: readonly string[]): K8sObject[] {
  return files.flatMap((f) => readYaml(f) as K8sObject[]);
}

/** A kubectl whose `kustomize` can build, or null when none is on PATH (`KUBECTL` names another). */
export function findKubectl(): { path: string; version: string } | null {
  const path = process.env.KUBECTL ?? 'kubectl';
  const run = spawnSync(path, ['version', '--client'], { encoding: 'utf8' });
  if (run.error || run.status !== 0) return null;
  // kubectl 1.20 prints a Go struct (GitVersion:"v1.20.2"), later ones plain lines.
  const version = /GitVersion:"([^"]+)"/.exec(run.stdout)?.[1] ?? /Client Version: (\S+)/.exec(run.stdout)?.[1] ?? 'unknown version';
  const kustomize = /Kustomize Version: (\S+)/.exec(run.stdout)?.[1];
  return { path, version: `kubectl ${version}${kustomize ? `, kustomize ${kustomize}` : ''}` };
}

/** `kubectl kustomize dir`: the objects, or the error kustomize printed. */
export function kustomizeBuild(kubectl: string, dir: string): { objects: K8sObject[] } | { error: string } {
  const run = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) return { error: run.error.message };
  if (run.status !== 0) return { error: `exit ${run.status}: ${run.stderr.trim()}` };
  const docs = parseAllDocuments(run.stdout);
  const problems = docs.flatMap((d) => d.errors.map((e) => e.message));
  if (problems.length) return { error: `output does not parse: ${problems.join('; ')}` };
  return { objects: docs.map((d) => d.toJS() as K8sObject).filter((o) => o !== null) };
}

/** Runs one of the helper scripts next to this file with `node --import tsx`, JSON in and out. */
export function runChild<T>(infraDir: string, script: string, input: unknown): T {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(infraDir, 'test', 'k8s', script)], {
    cwd: infraDir,
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`${script} failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export const describeObject = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
