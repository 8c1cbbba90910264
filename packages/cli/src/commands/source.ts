/** `stratum source create|list|update`: a tenant's sources, each with its own write keys, limits and tracking plan. */
import { Command } from 'commander';
import { createSource, listSources, updateSource, type SourceDetails } from '@stratum/tenancy';
import { databaseCommand, lines, runWithDatabase, type DatabaseFlags } from './database-command';
import { addSourceFlags, describeDedupWindow, sourceOptions, type SourceFlags } from './source-flags';

/** What is set on the source; when it inherits a tenant's window, that one too (null effective = the service default). */
function dedupWindow(s: SourceDetails): string {
  const own = describeDedupWindow(s.configuredDedupWindowSeconds);
  return s.configuredDedupWindowSeconds === null && s.dedupWindowSeconds !== null ? `${own} (tenant ${describeDedupWindow(s.dedupWindowSeconds)})` : own;
}

function describe(s: SourceDetails): string {
  const l = s.limits;
  const rate = l.rateLimitPerSecond === 0 ? 'unlimited' : `${l.rateLimitPerSecond}/s burst ${l.rateLimitBurst}`;
  return `${s.sourceId}  ${s.sourceName}${s.enabled ? '' : ' (disabled)'}  event ≤${l.maxEventBytes} B, batch ≤${l.maxBatchBytes} B / ${l.maxBatchEvents} events, rate ${rate}, plan ${s.trackingPlan.mode} (${s.trackingPlan.events.length} events), phone region ${s.defaultPhoneRegion ?? '-'}, dedupWindow=${dedupWindow(s)}\n`;
}

export function sourceCommand(): Command {
  const create = addSourceFlags(
    databaseCommand('create', 'add a source (with its first write key) to a tenant')
      .requiredOption('--tenant <id|name>', 'the tenant')
      .requiredOption('--name <name>', 'source name, unique within the tenant'),
  ).action((flags: DatabaseFlags & SourceFlags & { tenant: string; name: string }) =>
    runWithDatabase('source create', flags, (db) => createSource(db, { tenant: flags.tenant, name: flags.name, ...sourceOptions(flags) }), (s) =>
      lines([
        ['tenantId', s.tenantId],
        ['sourceId', s.sourceId],
        ['writeKey', s.writeKey],
      ]) + 'Store the write key now: Stratum keeps only its hash.\n',
    ),
  );
  const list = databaseCommand('list', "list a tenant's sources with their limits and plans")
    .requiredOption('--tenant <id|name>', 'the tenant')
    .action((flags: DatabaseFlags & { tenant: string }) =>
      runWithDatabase('source list', flags, (db) => listSources(db, flags.tenant), (sources) => sources.map(describe).join('')),
    );
  const update = addSourceFlags(
    databaseCommand('update', "change a source's limits, phone region, dedup window, tracking plan (replaced whole) or state; services see it within their cache TTL")
      .requiredOption('--source <id>', 'the source')
      .option('--disable', 'refuse its write keys (401) and quarantine its Kafka events')
      .option('--enable', 'accept events again'),
  ).action((flags: DatabaseFlags & SourceFlags & { source: string; disable?: boolean; enable?: boolean }) =>
    runWithDatabase(
      'source update',
      flags,
      (db) => updateSource(db, flags.source, { ...sourceOptions(flags), ...(flags.disable ? { enabled: false } : flags.enable ? { enabled: true } : {}) }),
      describe,
    ),
  );
  return new Command('source').description('sources of a tenant: create, list, update').addCommand(create).addCommand(list).addCommand(update);
}
