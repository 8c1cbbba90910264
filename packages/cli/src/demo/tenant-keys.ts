/**
 * The demo tenant's keys as `stratum start` keeps them in <data-dir>/demo-tenant.json
 * (start/demo-tenant.ts), unless given as flags.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DemoError, isObject, START_COMMAND } from './http';

export interface DemoKeys {
  readonly tenantId: string;
  readonly writeKey: string;
  readonly adminKey: string;
}

export function demoKeys(dataDir: string, flags: { writeKey?: string; adminKey?: string; tenantId?: string }): DemoKeys {
  const file = join(resolve(dataDir), 'demo-tenant.json');
  let saved: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (isObject(parsed)) saved = parsed;
  } else if (flags.writeKey === undefined || flags.adminKey === undefined || flags.tenantId === undefined) {
    throw new DemoError(`${file} does not exist: start the platform first with \`${START_COMMAND}\` (it writes the demo tenant's keys there), or pass --data-dir, or --tenant-id, --write-key and --admin-key`);
  }
  const pick = (flag: string | undefined, key: string) => flag ?? (typeof saved[key] === 'string' ? (saved[key] as string) : undefined);
  const keys = { tenantId: pick(flags.tenantId, 'tenantId'), writeKey: pick(flags.writeKey, 'writeKey'), adminKey: pick(flags.adminKey, 'adminKey') };
  if (keys.adminKey === undefined) throw new DemoError(`${file} has no admin key (an older run created the tenant): pass --admin-key sk_…, or start with a fresh --data-dir`);
  if (keys.tenantId === undefined || keys.writeKey === undefined) throw new DemoError(`${file} lacks the tenant id or write key: pass --tenant-id and --write-key`);
  return keys as DemoKeys;
}
