/**
 * The Pipedrive person an event describes: keyed by cleartext email (Pipedrive matches people by
 * it; a hash would match nobody), named from the golden record. The email exists only when the
 * tenant's PII policy keeps cleartext in profile traits.
 */
import { canonicalEmail } from '@stratum/identifiers';
import type { ResolvedEvent } from '@stratum/schemas';
import { eventFields, stringAt } from '../event-fields';
import { skip } from '../skip-reasons';
import type { Skip } from '../types';

export interface PipedrivePerson {
  /** Canonical (trimmed, lower-cased) email. */
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  readonly profileId: string;
  /** Stratum profiles merged into this one by the event: their Pipedrive persons get merged too. */
  readonly mergedProfileIds: readonly string[];
}

/** The person to upsert for `event`, or why there is none. */
export function pipedrivePerson(event: ResolvedEvent): PipedrivePerson | Skip {
  const merges = event.mergedProfileIds.length > 0;
  if (event.type !== 'identify' && !merges) return skip('event_type_not_supported', `Pipedrive upserts people on identify (or on a merge), not on ${event.type}`);
  const { profileTraits, traits, context } = eventFields(event);
  const raw = stringAt(profileTraits, 'email') ?? stringAt(traits, 'email') ?? stringAt(context, 'traits.email');
  const email = raw === null ? null : canonicalEmail(raw);
  if (email === null) return skip('no_email', raw === null ? 'the profile has no cleartext email' : 'the profile email is not an email address');
  const first = stringAt(profileTraits, 'first_name', 'firstName') ?? stringAt(traits, 'first_name', 'firstName');
  const last = stringAt(profileTraits, 'last_name', 'lastName') ?? stringAt(traits, 'last_name', 'lastName');
  const joined = [first, last].filter((p): p is string => p !== null).join(' ');
  const name = stringAt(profileTraits, 'name') ?? (joined === '' ? null : joined) ?? stringAt(traits, 'name') ?? email;
  return {
    email,
    name,
    phone: stringAt(profileTraits, 'phone') ?? stringAt(traits, 'phone'),
    profileId: event.profileId,
    mergedProfileIds: event.mergedProfileIds,
  };
}
