/**
 * Loads services' configs the way their main.ts does, from a given environment: the values a pod
 * with that environment would run with (ports, consumer groups, topics, timeouts), or every
 * problem that would stop it starting. A child process, run by k8s.test.ts with
 * `node --import tsx`: it imports services/<name>/src/config.ts by path, which lint forbids a
 * package to do statically (services are no one's dependency).
 *
 * stdin: a JSON array of { configFile, env }. stdout: a JSON array of { config } or { error }.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig, type ConfigDefinition, type ConfigShape } from '@stratum/config';

interface Job {
  readonly configFile: string;
  readonly env: Record<string, string>;
}

const isDefinition = (v: unknown): v is ConfigDefinition<ConfigShape> => typeof v === 'object' && v !== null && 'shape' in v && typeof v.shape === 'object';

async function run(job: Job): Promise<{ config: Record<string, unknown> } | { error: string }> {
  try {
    const module = (await import(pathToFileURL(job.configFile).href)) as Record<string, unknown>;
    // Each config.ts exports one definition (defineConfig's result), beside helpers and types.
    const definitions = Object.values(module).filter(isDefinition);
    if (definitions.length !== 1) return { error: `${job.configFile} exports ${definitions.length} config definitions, expected 1` };
    return { config: loadConfig(definitions[0]!, job.env) as Record<string, unknown> };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const jobs = JSON.parse(readFileSync(0, 'utf8')) as Job[];
const results = [];
for (const job of jobs) results.push(await run(job));
process.stdout.write(JSON.stringify(results));
