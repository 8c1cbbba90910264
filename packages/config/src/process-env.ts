/**
 * The one place that reads `process.env` (lint forbids it elsewhere in src/): everything else
 * takes its environment as an argument, so tests pass their own and nothing reads config late.
 */

/** A copy of the process environment, for `loadConfig` in a service's `main.ts`. */
export function processEnv(): Record<string, string | undefined> {
  return { ...process.env };
}
