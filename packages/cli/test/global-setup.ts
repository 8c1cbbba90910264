/** Jest global setup: compiles the CLI once for every test file of this run (see cli-bundle.ts). */
import { BUNDLE_VAR, RUNNER_VAR, buildCliBundle } from './cli-bundle';

export default async function globalSetup(): Promise<void> {
  if (process.env[RUNNER_VAR] === 'tsx') {
    delete process.env[BUNDLE_VAR];
    return;
  }
  // Set here, in jest's own process, before it starts the workers, which inherit it.
  process.env[BUNDLE_VAR] = await buildCliBundle();
}
