/** The flags every `stratum dlq` subcommand shares: which tenant, and which of its dead letters. */
import { type Command, InvalidArgumentError } from 'commander';
import type { DeadLetterFilter } from '@stratum/delivery';
import { duration } from '../flags';

export interface FilterFlags {
  tenant: string;
  destination?: string;
  reason?: string;
  since?: Date;
  until?: Date;
  dlqId?: string[];
  databaseUrl?: string;
  json?: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An ISO time (2026-11-24T09:00Z, 2026-11-24) or a duration back from now (24h, 7d, 90m). */
export function pointInTime(value: string, now = Date.now()): Date {
  const text = value.trim();
  if (ISO_DATE.test(text)) {
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return new Date(at);
  } else {
    try {
      return new Date(now - duration(text) * 1000);
    } catch {
      // Fall through to the message naming both forms.
    }
  }
  throw new InvalidArgumentError(`must be an ISO time (2026-11-24T09:00:00Z) or a duration back from now (90m, 24h, 7d), got "${value}"`);
}

/** `a,b` → dead-letter ids, each a UUID (checked here so a typo is a usage error, not a database one). */
export function dlqIds(value: string, previous: string[] = []): string[] {
  const ids = value.split(',').map((id) => id.trim()).filter((id) => id !== '');
  const bad = ids.filter((id) => !UUID.test(id));
  if (ids.length === 0 || bad.length > 0) throw new InvalidArgumentError(`expected comma-separated dead-letter ids (UUIDs), got "${value}"`);
  return [...previous, ...ids];
}

/** Adds the tenant and filter flags to `command`. */
export function withFilterFlags(command: Command): Command {
  return command
    .requiredOption('--tenant <id|name>', 'the tenant')
    .option('--destination <id>', 'only this destination (dst_…)')
    .option('--reason <code>', 'only this reason: attempts_exhausted, max_age_exceeded, permanent_error, ...')
    .option('--since <time>', 'dead-lettered at or after: an ISO time or a duration back from now (24h, 7d)', (v: string) => pointInTime(v))
    .option('--until <time>', 'dead-lettered before: an ISO time or a duration back from now', (v: string) => pointInTime(v))
    .option('--dlq-id <ids>', 'only these dead letters (comma-separated; repeatable)', dlqIds);
}

/** The store filter the flags describe. */
export function filterOf(flags: FilterFlags): DeadLetterFilter {
  return {
    ...(flags.destination === undefined ? {} : { destinationId: flags.destination }),
    ...(flags.reason === undefined ? {} : { reason: flags.reason }),
    ...(flags.since === undefined ? {} : { since: flags.since }),
    ...(flags.until === undefined ? {} : { until: flags.until }),
    ...(flags.dlqId === undefined ? {} : { dlqIds: flags.dlqId }),
  };
}

/** The filter in words, for messages: `destination dst_x, reason permanent_error, since …`. */
export function describeFilter(filter: DeadLetterFilter): string {
  const parts = [
    filter.destinationId === undefined ? [] : [`destination ${filter.destinationId}`],
    filter.reason === undefined ? [] : [`reason ${filter.reason}`],
    filter.since === undefined ? [] : [`since ${filter.since.toISOString()}`],
    filter.until === undefined ? [] : [`until ${filter.until.toISOString()}`],
    filter.dlqIds === undefined ? [] : [`${filter.dlqIds.length} id(s)`],
  ].flat();
  return parts.length === 0 ? 'no filter' : parts.join(', ');
}
