/**
 * `stratum start`'s credential key: destination credentials are encrypted at rest, so the local
 * platform needs a key too. Taken from STRATUM_CREDENTIALS_KEYS when the operator set one, else
 * generated once into <data>/credentials.key (mode 0600) and reused, so destinations created in
 * one run still decrypt in the next. Never for production: there the key comes from a secret store.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function devCredentialKeys(dataDir: string, fromEnv: string | undefined): { keys: string; source: string } {
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { keys: fromEnv.trim(), source: 'STRATUM_CREDENTIALS_KEYS' };
  const file = join(dataDir, 'credentials.key');
  if (!existsSync(file)) writeFileSync(file, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  return { keys: readFileSync(file, 'utf8').trim(), source: file };
}
