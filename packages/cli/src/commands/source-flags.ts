/**
 * The source settings flags shared by `tenant create` (its default source), `source create` and
 * `source update`: limits, phone region, dedup window, tracking plan file.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { checkTrackingPlan, MAX_DEDUP_WINDOW_SECONDS, MIN_DEDUP_WINDOW_SECONDS, type SourceLimits, type SourceOptions, type TrackingPlan } from '@stratum/tenancy';
import { duration, formatDuration } from '../flags';

export interface SourceFlags {
  maxEventBytes?: number;
  maxBatchBytes?: number;
  maxBatchEvents?: number;
  rateLimit?: number;
  rateBurst?: number;
  phoneRegion?: string;
  dedupWindow?: DedupWindowFlag;
  trackingPlan?: TrackingPlan;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`must be a whole number ≥ 0, got "${value}"`);
  return n;
}

/** A size: bytes, or with a KB/MB suffix (1 KB = 1024 bytes, as Segment counts). */
function bytes(value: string): number {
  const match = /^(\d+)\s*(b|kb|k|mb|m)?$/i.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`must be a size such as 32768, 32KB or 1MB, got "${value}"`);
  const unit = (match[2] ?? 'b').toLowerCase();
  return Number(match[1]) * (unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 * 1024 : 1);
}

export const DEDUP_WINDOW_RANGE = `${formatDuration(MIN_DEDUP_WINDOW_SECONDS)} to ${formatDuration(MAX_DEDUP_WINDOW_SECONDS)}`;

/** Seconds, or 'default' (not null: commander turns a parser's null into ''). */
export type DedupWindowFlag = number | 'default';

/**
 * `--dedup-window`: a duration within the bounds, or `default` (a source inherits its tenant's
 * window, a tenant the dedup service's). Checked here too so the message speaks in the flag's
 * units, before any connection is made.
 */
export function dedupWindow(value: string): DedupWindowFlag {
  if (value.trim().toLowerCase() === 'default') return 'default';
  const refuse = () => new InvalidArgumentError(`must be a duration from ${DEDUP_WINDOW_RANGE} (e.g. 30m, 24h, 7d) or "default", got "${value}"`);
  let seconds: number;
  try {
    seconds = duration(value);
  } catch {
    throw refuse();
  }
  if (seconds < MIN_DEDUP_WINDOW_SECONDS || seconds > MAX_DEDUP_WINDOW_SECONDS) throw refuse();
  return seconds;
}

/** The flag as @stratum/tenancy takes it: null clears (inherit). */
export function dedupWindowSeconds(flag: DedupWindowFlag): number | null {
  return flag === 'default' ? null : flag;
}

/** A configured window as lists show it: `7d`, or `inherit` when none is set here. */
export function describeDedupWindow(seconds: number | null): string {
  return seconds === null ? 'inherit' : formatDuration(seconds);
}

function planFile(path: string): TrackingPlan {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new InvalidArgumentError(`cannot read tracking plan ${path}: ${(err as Error).message}`);
  }
  try {
    return checkTrackingPlan(parsed as TrackingPlan);
  } catch (err) {
    throw new InvalidArgumentError(`${path}: ${(err as Error).message}`);
  }
}

export function addSourceFlags(command: Command): Command {
  return command
    .option('--max-event-bytes <size>', 'largest event (default 32KB)', bytes)
    .option('--max-batch-bytes <size>', 'largest request body after decompression (default 500KB)', bytes)
    .option('--max-batch-events <n>', 'most events per batch request (default 2500)', nonNegative)
    .option('--rate-limit <events/s>', 'sustained events per second per write key, 0 = unlimited (default 5000)', nonNegative)
    .option('--rate-burst <events>', 'events allowed at once above the rate (default 10000)', nonNegative)
    .option('--phone-region <CC>', 'ISO country for phone numbers without +country code, e.g. US')
    .option('--dedup-window <duration|default>', `drop repeated messageIds within this window (${DEDUP_WINDOW_RANGE}, e.g. 24h); default = inherit the tenant's (see tenant update)`, dedupWindow)
    .option('--tracking-plan <file.json>', 'tracking plan: {"mode":"allow|omit_unplanned_properties|block","defaultSchemaVersion":"1.0.0","events":[{type,name,version,schema}]}', planFile);
}

export function sourceOptions(flags: SourceFlags): SourceOptions {
  const limits: Partial<SourceLimits> = {
    ...(flags.maxEventBytes === undefined ? {} : { maxEventBytes: flags.maxEventBytes }),
    ...(flags.maxBatchBytes === undefined ? {} : { maxBatchBytes: flags.maxBatchBytes }),
    ...(flags.maxBatchEvents === undefined ? {} : { maxBatchEvents: flags.maxBatchEvents }),
    ...(flags.rateLimit === undefined ? {} : { rateLimitPerSecond: flags.rateLimit }),
    ...(flags.rateBurst === undefined ? {} : { rateLimitBurst: flags.rateBurst }),
  };
  return {
    limits,
    ...(flags.phoneRegion === undefined ? {} : { defaultPhoneRegion: flags.phoneRegion }),
    ...(flags.dedupWindow === undefined ? {} : { dedupWindowSeconds: dedupWindowSeconds(flags.dedupWindow) }),
    ...(flags.trackingPlan === undefined ? {} : { trackingPlan: flags.trackingPlan }),
  };
}
