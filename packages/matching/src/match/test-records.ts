/** Builds match records for unit tests from a few fields. */
import { cleanPerson, type PersonInput } from '../hygiene/person';
import { toMatchRecord, type MatchRecord } from './record';

/** A cleaned, prepared record from the given fields (Australian source). */
export function person(fields: Omit<PersonInput, 'id'> & { id?: string }): MatchRecord {
  return toMatchRecord(cleanPerson({ id: 'x', ...fields }, { country: 'AU' }).person);
}
