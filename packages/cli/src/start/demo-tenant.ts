/**
 * The demo tenant `stratum start` creates so a newcomer can send an event at once. Its write key
 * and admin key are kept in <data-dir>/demo-tenant.json (a local dev file; production keys are
 * shown once and stored only hashed), so every later run's banner can print them again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@stratum/db';
import { provisionTenant, rotateWriteKey } from '@stratum/tenancy';

export interface DemoTenant {
  tenantId: string;
  sourceId: string;
  writeKey: string;
  /** For the profile API; null when the tenant was created by an older run that did not keep it. */
  adminKey: string | null;
}

export async function ensureDemoTenant(db: Db, dataDir: string): Promise<DemoTenant> {
  const file = join(dataDir, 'demo-tenant.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoTenant) : null;
  const t = await provisionTenant(db, { name: 'demo', defaultPhoneRegion: 'US' });
  let demo: DemoTenant;
  if (t.writeKey) demo = { tenantId: t.tenantId, sourceId: t.sourceId, writeKey: t.writeKey, adminKey: t.adminKey };
  else if (saved && saved.tenantId === t.tenantId) demo = { ...saved, adminKey: saved.adminKey ?? null };
  // The tenant exists but its keys were lost (the file deleted, or another database): issue a new write key.
  else demo = { tenantId: t.tenantId, sourceId: t.sourceId, writeKey: (await rotateWriteKey(db, t.sourceId)).writeKey, adminKey: null };
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
