/** Unique names, so tests never share a topic, group, tenant or database. */
import { randomBytes } from 'node:crypto';
import { HarnessError } from './errors';

/** Characters Kafka allows in topic names and that need no escaping in group or tenant ids. */
const LEGAL_PREFIX = /^[a-zA-Z0-9._-]+$/;

/**
 * `<prefix>-<12 random hex digits>`: legal as a Kafka topic, consumer group, transactional id
 * or tenant id (e.g. `uniqueName('tenant')` → `tenant-3f9a0c1b2d4e`).
 */
export function uniqueName(prefix: string): string {
  if (!LEGAL_PREFIX.test(prefix)) {
    throw new HarnessError('misuse', `uniqueName: prefix ${JSON.stringify(prefix)} must be letters, digits, '.', '_' or '-'`);
  }
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** A unique lower-case SQL identifier (`<prefix>_<12 hex>`) that needs no quoting, e.g. a database name. */
export function uniqueIdentifier(prefix: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) {
    throw new HarnessError('misuse', `uniqueIdentifier: prefix ${JSON.stringify(prefix)} must be lower-case letters, digits and '_'`);
  }
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
