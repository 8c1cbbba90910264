/**
 * Each service's config schema, read from services/<name>/src/config.ts in a tsx child process
 * (describe-configs.ts): jest compiles to CommonJS and services import ESM-only code, and a child
 * loads the definition exactly as the service's main.ts does.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ConfigProblem, VariableDoc } from '@stratum/config';

export interface ServiceConfigReport {
  /** Every variable the service reads, in declaration order. */
  readonly variables: readonly VariableDoc[];
  /** The environment as the service would load it; null when it would refuse to start. */
  readonly config: Readonly<Record<string, unknown>> | null;
  /** Why it would refuse to start; null when it would not. */
  readonly problems: readonly ConfigProblem[] | null;
}

/** Describes each service's config and loads `envs[service]` with it. */
export function describeServiceConfigs(root: string, envs: Readonly<Record<string, Readonly<Record<string, string>>>>): Record<string, ServiceConfigReport> {
  const infra = join(root, 'infra');
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(infra, 'test', 'compose', 'describe-configs.ts'), root], {
    cwd: infra,
    input: JSON.stringify(envs),
    encoding: 'utf8',
    // Nothing from the test runner's environment leaks into what the configs see: they get `envs`.
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`describe-configs.ts failed (${result.status ?? result.signal}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, ServiceConfigReport>;
}
