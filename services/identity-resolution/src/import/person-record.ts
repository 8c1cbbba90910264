/**
 * One imported row (persons.import, already through hygiene in `stratum import`) in the forms the
 * person-import stage needs: its record id and record identifier (the node the graph links fuzzy
 * matches through), its exact identifiers hashed as ingest hashes them, its comparison record for
 * the Fellegi–Sunter model, and the golden-record traits it brings.
 */
import { PERSON_RECORD_NAMESPACE, identifierKey, type JsonValue } from '@stratum/identity';
import { canonicalEmail, canonicalPhone, sha256Hex } from '@stratum/identifiers';
import { toMatchRecord, type MatchRecord } from '@stratum/matching';
import type { IdentifierType, PersonImport } from '@stratum/schemas';
import type { PlanIdentifier } from '../resolve/plan';

// Record identifiers are external_id in PERSON_RECORD_NAMESPACE: value `importId:rowNumber`, hash = the record id.

export interface ImportedPerson {
  /** sha256(importId:rowNumber): the person_records id and the record identifier's hash. */
  readonly recordId: string;
  /** The archive's and the audit's messageId: `import:<importId>:<rowNumber>`. */
  readonly messageId: string;
  readonly recordKey: string;
  readonly recordIdentifier: PlanIdentifier;
  /** user_id, email, phone: linked exactly, as live events link them. */
  readonly exact: readonly PlanIdentifier[];
  readonly match: MatchRecord;
  /** Present values only: a field missing in a file never removes a trait. */
  readonly traits: Record<string, JsonValue>;
  readonly row: PersonImport;
}

export const importMessageId = (row: Pick<PersonImport, 'importId' | 'rowNumber'>) => `import:${row.importId}:${row.rowNumber}`;
export const personRecordId = (row: Pick<PersonImport, 'importId' | 'rowNumber'>) => sha256Hex(`${row.importId}:${row.rowNumber}`);
export const personRecordKey = (recordId: string) => identifierKey({ type: 'external_id', namespace: PERSON_RECORD_NAMESPACE, valueHash: recordId });

function exactIdentifier(type: IdentifierType, canonical: string, clear: boolean): PlanIdentifier {
  const ref = { type, namespace: '', valueHash: sha256Hex(canonical) };
  return { key: identifierKey(ref), ref, value: clear ? canonical : null };
}

const present = (s: string | null | undefined): string | null => (s === null || s === undefined || s.trim() === '' ? null : s);

function birthDateOf(iso: string | null): { year: number; month: number; day: number } | null {
  const m = iso === null ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
}

export function importedPerson(row: PersonImport): ImportedPerson {
  const recordId = personRecordId(row);
  const recordKey = personRecordKey(recordId);
  const email = present(row.email) === null ? null : canonicalEmail(row.email!);
  // Already E.164 from the importer; read again (international form, no region needed) so a phone hashes exactly as ingest's.
  const phoneResult = present(row.phone) === null ? null : canonicalPhone(row.phone!, row.country);
  const phone = phoneResult !== null && 'e164' in phoneResult ? phoneResult.e164 : null;
  const userId = present(row.userId);
  const exact: PlanIdentifier[] = [];
  if (userId !== null) exact.push(exactIdentifier('user_id', userId, true));
  if (email !== null) exact.push(exactIdentifier('email', email, false));
  if (phone !== null) exact.push(exactIdentifier('phone', phone, false));
  const match = toMatchRecord({
    id: recordId,
    givenName: present(row.givenName),
    middleName: present(row.middleName),
    familyName: present(row.familyName),
    birthDate: birthDateOf(present(row.dateOfBirth)),
    nationalId: present(row.nationalId),
    // Compared for equality only: their hashes compare as the values do, and nothing stores them in clear.
    email: email === null ? null : sha256Hex(email),
    phone: phone === null ? null : sha256Hex(phone),
    unit: null,
    streetNumber: present(row.streetNumber),
    street: present(row.addressLine1),
    addressLine2: present(row.addressLine2),
    locality: present(row.locality),
    postcode: present(row.postcode),
    region: present(row.region),
  });
  const address: Record<string, string> = {};
  for (const [k, v] of [
    ['streetNumber', row.streetNumber],
    ['street', row.addressLine1],
    ['line2', row.addressLine2],
    ['city', row.locality],
    ['postalCode', row.postcode],
    ['state', row.region],
    ['country', row.country],
  ] as const) {
    if (present(v) !== null) address[k] = v!;
  }
  const traits: Record<string, JsonValue> = {};
  for (const [k, v] of [
    ['firstName', row.givenName],
    ['middleName', row.middleName],
    ['lastName', row.familyName],
    ['birthday', row.dateOfBirth],
    ['email', email],
    ['phone', phone],
  ] as const) {
    if (present(v) !== null) traits[k] = v!;
  }
  if (Object.keys(address).length > 0) traits.address = address;
  return {
    recordId,
    messageId: importMessageId(row),
    recordKey,
    recordIdentifier: { key: recordKey, ref: { type: 'external_id', namespace: PERSON_RECORD_NAMESPACE, valueHash: recordId }, value: `${row.importId}:${row.rowNumber}` },
    exact,
    match,
    traits,
    row,
  };
}
