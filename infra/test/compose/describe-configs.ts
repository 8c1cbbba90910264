/**
 * Run under tsx by service-configs.ts, never by jest:
 *
 *   node --import tsx test/compose/describe-configs.ts <workspace root>   < {"<service>": {env…}, …}
 *
 * For each service named on stdin it imports services/<name>/src/config.ts by path — the service's
 * own definition, as its main.ts loads it, rather than a copy that could drift — and prints, as
 * JSON: its variables (describeConfig: required, default, secret) and the result of loading the
 * given environment with it (loadConfig: the parsed config, or every problem).
 * Services are not packages: nothing may import them by name, hence the dynamic import by path.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, describeConfig, loadConfig, type ConfigDefinition, type ConfigShape, type Env } from '@stratum/config';

function isDefinition(value: unknown): value is ConfigDefinition<ConfigShape> {
  return typeof value === 'object' && value !== null && typeof (value as { shape?: unknown }).shape === 'object';
}

/** The one ConfigDefinition a service's config.ts exports (gatewayConfig, ingestConfig, ...). */
async function definitionOf(root: string, service: string): Promise<ConfigDefinition<ConfigShape>> {
  const file = join(root, 'services', service, 'src', 'config.ts');
  const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const definitions = Object.values(exports).filter(isDefinition);
  if (definitions.length !== 1) throw new Error(`${file}: expected one exported defineConfig(...), found ${definitions.length}`);
  return definitions[0]!;
}

const root = process.argv[2];
if (root === undefined) throw new Error('usage: describe-configs.ts <workspace root> < services.json');
const envs = JSON.parse(readFileSync(0, 'utf8')) as Record<string, Env>;

const out: Record<string, unknown> = {};
for (const [service, env] of Object.entries(envs)) {
  const definition = await definitionOf(root, service);
  let config: unknown = null;
  let problems: unknown = null;
  try {
    config = loadConfig(definition, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems = err.problems;
  }
  out[service] = { variables: describeConfig(definition), config, problems };
}
process.stdout.write(JSON.stringify(out));
