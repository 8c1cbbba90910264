/** Jest global teardown: removes the CLI bundle the global setup built. */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { BUNDLE_VAR } from './cli-bundle';

export default function globalTeardown(): void {
  const bundle = process.env[BUNDLE_VAR];
  if (bundle) rmSync(dirname(bundle), { recursive: true, force: true });
}
