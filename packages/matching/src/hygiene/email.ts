/** Emails as ingest canonicalises them (trimmed, lower-cased), so imports and events agree. */
import { canonicalEmail } from '@stratum/identifiers';
import { presentText } from './fold';
import type { Cleaned } from './problems';

/** The canonical email, or null with `email_invalid`. */
export function cleanEmail(raw: string | null | undefined): Cleaned<string> {
  const text = presentText(raw);
  if (text === null) return { value: null, problems: [] };
  const email = canonicalEmail(text);
  return email === null ? { value: null, problems: [{ field: 'email', code: 'email_invalid', input: text }] } : { value: email, problems: [] };
}
