/** The events.invalid record for a quarantined or undecodable input record. */
import type { InvalidEvent } from '@stratum/schemas';
import type { RecordContext } from './record-context';

function stringField(value: unknown, key: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = (value as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : null;
}

/** Buffers as base64 so the JSON stays readable and reversible. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? { base64: Buffer.from((v as { data: number[] }).data).toString('base64') } : v));
}

export function quarantineRecord(args: {
  stage: string;
  ctx: RecordContext;
  rawValue: Buffer | null;
  decoded: unknown;
  reason: { code: string; message: string; path?: string };
  /** Further problems of the same record, after `reason`. */
  more?: ReadonlyArray<{ code: string; message: string; path?: string }>;
  now: number;
}): InvalidEvent {
  const { ctx, decoded } = args;
  return {
    tenantId: stringField(decoded, 'tenantId'),
    sourceId: stringField(decoded, 'sourceId'),
    messageId: stringField(decoded, 'messageId'),
    stage: args.stage,
    reasons: [args.reason, ...(args.more ?? [])].map((r) => ({ code: r.code, path: r.path ?? null, message: r.message })),
    origin: { topic: ctx.topic, partition: ctx.partition, offset: Number(ctx.offset), timestamp: ctx.timestamp },
    key: ctx.key,
    value: args.rawValue,
    valueJson: decoded === undefined ? null : toJson(decoded),
    quarantinedAt: args.now,
  };
}

/** The key quarantined records are written with (catalogue: tenantId:sourceId, else _unknown). */
export function quarantineKey(record: InvalidEvent): string {
  return record.tenantId && record.sourceId ? `${record.tenantId}:${record.sourceId}` : '_unknown';
}
