/** The identifier hash every stage and ad platform agrees on: lower-case hex SHA-256 of the canonical value. */
import { createHash } from 'node:crypto';

/** Lower-case hex SHA-256 of `canonical` (UTF-8), unsalted so it matches what ad platforms expect. */
export function sha256Hex(canonical: string): string {
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
