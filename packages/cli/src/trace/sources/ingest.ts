/**
 * Gateway and ingest: the event as it arrived (events.raw), and ingest's verdict on it — valid
 * (events.valid) or quarantined with its reasons (events.invalid). events.invalid also holds poison
 * records of later stages; each is shown under the stage that quarantined it.
 */
import type { Db } from '@stratum/db';
import type { InvalidEvent, RawEvent, ValidEvent } from '@stratum/schemas';
import { collect, type Found, type TraceContext } from '../context';
import { step, type Stage, type StageReport, type StepDraft } from '../timeline';
import type { ScanTarget } from '../topic-scan';

export interface IngestFound {
  readonly raw: Array<Found<RawEvent>>;
  readonly valid: Array<Found<ValidEvent>>;
  readonly invalid: Array<Found<InvalidEvent>>;
}

export const emptyIngestFound = (): IngestFound => ({ raw: [], valid: [], invalid: [] });

export function ingestTargets(ctx: TraceContext, into: IngestFound): ScanTarget[] {
  const ours = (v: { tenantId: string | null; messageId: string | null }) => v.tenantId === ctx.tenantId && v.messageId === ctx.messageId;
  return [
    collect(ctx, { topic: 'events.raw', schema: 'events.raw', matches: ours, into: into.raw }),
    collect(ctx, { topic: 'events.valid', schema: 'events.valid', matches: ours, into: into.valid }),
    collect(ctx, { topic: 'events.invalid', schema: 'events.invalid', matches: ours, into: into.invalid }),
  ];
}

/** Source names by id. The tenancy tables have no row-level security: the tenant is in the WHERE. */
export async function readSourceNames(db: Db, tenantId: string, sourceIds: readonly string[]): Promise<Map<string, string>> {
  if (sourceIds.length === 0) return new Map();
  const rows: Array<{ id: string; name: string }> = await db('sources').where('tenant_id', tenantId).whereIn('id', [...new Set(sourceIds)]).select('id', 'name');
  return new Map(rows.map((r) => [r.id, r.name]));
}

const position = (f: Found<unknown>) => ({ topic: f.topic, partition: f.partition, offset: f.offset });

function sourceText(sourceId: string | null, names: ReadonlyMap<string, string>): string {
  if (sourceId === null) return 'source unknown';
  const name = names.get(sourceId);
  return name === undefined ? `source ${sourceId}` : `source ${name} (${sourceId})`;
}

/** The stage column for a quarantine: events.invalid's `stage` names a service. */
function quarantiningStage(stage: string): Stage {
  if (stage.includes('dedup')) return 'dedup';
  if (stage.includes('identity')) return 'identity';
  if (stage.includes('delivery') || stage.includes('retry')) return 'delivery';
  return 'ingest';
}

function reasonText(r: InvalidEvent['reasons'][number]): string {
  return `${r.code}${r.path === null ? '' : ` at ${r.path}`}: ${r.message}`;
}

function received(f: Found<RawEvent>, names: ReadonlyMap<string, string>): StepDraft {
  const e = f.value;
  const how = e.channel === 'http' ? 'received by the gateway over http' : `published to events.raw (channel ${e.channel})`;
  const request = e.requestId === null ? '' : `, request ${e.requestId}`;
  return step(e.channel === 'http' ? 'gateway' : 'producer', e.receivedAt, `${how}: ${e.type}${e.event === null ? '' : ` "${e.event}"`}, ${sourceText(e.sourceId, names)}${request}`, {
    sourceId: e.sourceId,
    sourceName: names.get(e.sourceId) ?? null,
    channel: e.channel,
    type: e.type,
    event: e.event,
    requestId: e.requestId,
    receivedAt: e.receivedAt,
    ...position(f),
  });
}

function validated(f: Found<ValidEvent>): StepDraft {
  const e = f.value;
  const ids = e.identifiers.map((i) => i.type);
  return step('ingest', e.validatedAt, `valid → events.valid (schema ${e.schemaVersion}; identifiers: ${ids.length === 0 ? 'none' : ids.join(', ')})`, {
    schemaVersion: e.schemaVersion,
    identifiers: ids,
    eventTimestamp: e.timestamp,
    ...position(f),
  });
}

function quarantined(f: Found<InvalidEvent>): StepDraft {
  const e = f.value;
  const [first, ...more] = e.reasons;
  const why = first === undefined ? 'no reason given' : `${reasonText(first)}${more.length === 0 ? '' : ` (+${more.length} more)`}`;
  return step(quarantiningStage(e.stage), e.quarantinedAt, `quarantined by ${e.stage} → events.invalid: ${why}`, {
    quarantinedBy: e.stage,
    reasons: e.reasons,
    origin: e.origin,
    ...position(f),
  });
}

export function ingestReport(found: IngestFound, sourceNames: ReadonlyMap<string, string>): StageReport {
  const steps = [...found.raw.map((f) => received(f, sourceNames)), ...found.valid.map(validated), ...found.invalid.map(quarantined)];
  const byIngest = found.invalid.filter((f) => quarantiningStage(f.value.stage) === 'ingest');
  let status: string | undefined;
  if (found.valid.length > 0) status = `valid (${found.valid.length} cop${found.valid.length === 1 ? 'y' : 'ies'} on events.valid)`;
  else if (byIngest.length > 0) {
    const first = byIngest[0]!.value;
    status = `quarantined by ${first.stage}: ${first.reasons.map(reasonText).join('; ')}`;
  } else if (found.raw.length > 0) status = 'received on events.raw, not on events.valid or events.invalid: ingest has not processed it yet (lagging or stopped?)';
  return {
    steps,
    found: { raw: found.raw.length, valid: found.valid.length, invalid: found.invalid.length },
    status: status === undefined ? [] : [status],
  };
}

/** Poison-record quarantines by stages after ingest, as a status line of their own. */
export function laterQuarantines(found: IngestFound): string[] {
  return found.invalid.filter((f) => quarantiningStage(f.value.stage) !== 'ingest').map((f) => `quarantined by ${f.value.stage}: ${f.value.reasons.map(reasonText).join('; ')}`);
}
