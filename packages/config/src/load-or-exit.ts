/**
 * What every service's main.ts does first: read its config from the process environment, and on a
 * problem print every one of them and exit 78 (EX_CONFIG), which supervisors (docker, Kubernetes,
 * `stratum start`) show as a configuration error rather than a crash worth retrying fast.
 */
import type { ConfigDefinition, ConfigOf, ConfigShape } from './define';
import { loadConfig } from './define';
import { ConfigError } from './errors';
import { processEnv } from './process-env';

export const EX_CONFIG = 78;

export function loadConfigOrExit<S extends ConfigShape>(definition: ConfigDefinition<S>): ConfigOf<S> {
  try {
    return loadConfig(definition, processEnv());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(EX_CONFIG);
  }
}
