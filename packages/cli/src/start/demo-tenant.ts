/**
 * The demo tenant `stratum start` creates so a newcomer can send an event at once. Its write key
 * is kept in <data-dir>/demo-tenant.json (a local dev file; production keys are shown once and
 * stored only hashed), so every later run's banner can print it again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@stratum/db';
import { provisionTenant, rotateWriteKey } from '@stratum/tenancy';

export interface DemoTenant {
  tenantId: string;
  sourceId: string;
  writeKey: string;
}

export async function ensureDemoTenant(db: Db, dataDir: string): Promise<DemoTenant> {
  const file = join(dataDir, 'demo-tenant.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoTenant) : null;
  const t = await provisionTenant(db, { name: 'demo', defaultPhoneRegion: 'US' });
  let demo: DemoTenant;
  if (t.writeKey) demo = { tenantId: t.tenantId, sourceId: t.sourceId, writeKey: t.writeKey };
  else if (saved && saved.tenantId === t.tenantId) demo = saved;
  // The tenant exists but its key was lost (the file deleted, or another database): issue a new one.
  else demo = { tenantId: t.tenantId, sourceId: t.sourceId, writeKey: (await rotateWriteKey(db, t.sourceId)).writeKey };
  writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  return demo;
}
