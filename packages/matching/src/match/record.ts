/**
 * A cleaned person in the form comparisons read: names folded, codes and keys computed once per
 * record rather than once per pair (a record takes part in many pairs).
 */
import { foldForComparison } from '../hygiene/fold';
import type { CleanPerson } from '../hygiene/person';
import { phoneticCode } from './strings';

export interface MatchRecord {
  readonly id: string;
  /** Folded names ("o brien" → "obrien": spaces dropped so split and joined names compare equal). */
  readonly given: string | null;
  readonly middle: string | null;
  readonly family: string | null;
  readonly givenPhonetic: string | null;
  readonly familyPhonetic: string | null;
  /** YYYYMMDD, so typos compare as edits on digits. */
  readonly birthDigits: string | null;
  readonly nationalId: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly streetNumber: string | null;
  /** Street line without spaces: "pridhamstreet" and "pridham street" compare equal. */
  readonly street: string | null;
  readonly addressLine2: string | null;
  readonly locality: string | null;
  readonly postcode: string | null;
  readonly region: string | null;
}

/** The comparison form of a cleaned person. */
export function toMatchRecord(person: CleanPerson): MatchRecord {
  const given = compactName(person.givenName);
  const family = compactName(person.familyName);
  const birth = person.birthDate;
  return {
    id: person.id,
    given,
    middle: compactName(person.middleName),
    family,
    givenPhonetic: phoneticCode(given),
    familyPhonetic: phoneticCode(family),
    birthDigits: birth === null ? null : `${String(birth.year).padStart(4, '0')}${String(birth.month).padStart(2, '0')}${String(birth.day).padStart(2, '0')}`,
    nationalId: person.nationalId,
    email: person.email,
    phone: person.phone,
    streetNumber: person.streetNumber,
    street: compact(person.street),
    addressLine2: compact(person.addressLine2),
    locality: compact(person.locality),
    postcode: person.postcode,
    region: person.region,
  };
}

function compactName(name: string | null): string | null {
  return name === null ? null : compact(foldForComparison(name));
}

function compact(text: string | null): string | null {
  if (text === null) return null;
  const joined = text.replace(/\s+/g, '');
  return joined === '' ? null : joined;
}
