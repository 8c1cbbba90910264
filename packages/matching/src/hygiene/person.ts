/**
 * One person record through hygiene: every field cleaned by its rule, the problems collected.
 * The result is what matching compares; the problems are what an import report counts.
 */
import { isIllegalIdentifier } from '@stratum/identifiers';
import { normalisePostcode, normaliseAddressLine, parseStreetAddress } from './address';
import { dateFromParts, parseDate, type CalendarDate, type DateOrder } from './date';
import { cleanEmail } from './email';
import { foldForComparison, presentText } from './fold';
import { cleanNameParts, parsePersonName } from './name';
import { cleanPhone } from './phone';
import type { Problem } from './problems';

/** A person record as a source has it: every field optional text (columns mapped by the importer). */
export interface PersonInput {
  readonly id: string;
  /** The whole name in one field, used when the parts are absent. */
  readonly fullName?: string | null;
  readonly givenName?: string | null;
  readonly middleName?: string | null;
  readonly familyName?: string | null;
  /** Text: YYYYMMDD, ISO, or day/month/year in the source's order. */
  readonly birthDate?: string | null;
  /** Year, month and day columns, used when `birthDate` is absent. */
  readonly birthYear?: string | null;
  readonly birthMonth?: string | null;
  readonly birthDay?: string | null;
  /** A national identifier (social security, tax or health number): strong but not infallible. */
  readonly nationalId?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly streetNumber?: string | null;
  readonly addressLine1?: string | null;
  readonly addressLine2?: string | null;
  /** Suburb, town or city. */
  readonly locality?: string | null;
  readonly postcode?: string | null;
  /** State, county or province. */
  readonly region?: string | null;
}

/** What hygiene knows about the source of a file. */
export interface SourceSettings {
  /** ISO 3166-1 alpha-2: the region national phone numbers are read in, and the postcode format. */
  readonly country: string | null;
  /** The order of separated dates in this source (03/04/1990). */
  readonly dateOrder?: DateOrder | null;
  /** Birth dates after this are refused: the import's date, passed in so results are repeatable. */
  readonly today?: CalendarDate | null;
}

/** A cleaned person: display values (names in display case) and normalised comparison values. */
export interface CleanPerson {
  readonly id: string;
  readonly givenName: string | null;
  readonly middleName: string | null;
  readonly familyName: string | null;
  readonly birthDate: CalendarDate | null;
  readonly nationalId: string | null;
  readonly email: string | null;
  /** E.164. */
  readonly phone: string | null;
  readonly unit: string | null;
  readonly streetNumber: string | null;
  /** Street line, normalised (lower case, street types spelled out). */
  readonly street: string | null;
  readonly addressLine2: string | null;
  readonly locality: string | null;
  readonly postcode: string | null;
  readonly region: string | null;
}

/** Cleans every field of a record by its rule; nothing is thrown, problems are returned. */
export function cleanPerson(input: PersonInput, source: SourceSettings): { person: CleanPerson; problems: Problem[] } {
  const problems: Problem[] = [];
  const take = <T>(cleaned: { value: T | null; problems: readonly Problem[] }): T | null => {
    problems.push(...cleaned.problems);
    return cleaned.value;
  };
  const hasParts = [input.givenName, input.middleName, input.familyName].some((v) => presentText(v) !== null);
  const name = hasParts
    ? take(cleanNameParts({ given: input.givenName ?? null, middle: input.middleName ?? null, family: input.familyName ?? null }))
    : presentText(input.fullName) === null
      ? null
      : take(parsePersonName(input.fullName));
  const dateOptions = { order: source.dateOrder ?? null, notAfter: source.today ?? null };
  const birthDate = presentText(input.birthDate) !== null ? take(parseDate(input.birthDate, 'birth_date', dateOptions)) : take(birthDateFromColumns(input, dateOptions));
  const address = parseStreetAddress(input.addressLine1, input.streetNumber);
  const person: CleanPerson = {
    id: input.id,
    givenName: name?.given ?? null,
    middleName: name?.middle ?? null,
    familyName: name?.family ?? null,
    birthDate,
    nationalId: cleanNationalId(input.nationalId, problems),
    email: take(cleanEmail(input.email)),
    phone: take(cleanPhone(input.phone, source.country)),
    unit: address.unit,
    streetNumber: address.number,
    street: address.street,
    addressLine2: normaliseAddressLine(input.addressLine2),
    locality: normaliseAddressLine(input.locality),
    postcode: take(normalisePostcode(input.postcode, source.country)),
    region: presentText(input.region) === null ? null : foldForComparison(input.region!),
  };
  return { person, problems };
}

function birthDateFromColumns(input: PersonInput, options: { order: DateOrder | null; notAfter: CalendarDate | null }) {
  const parts = [input.birthYear, input.birthMonth, input.birthDay].map(presentText);
  if (parts.every((p) => p === null)) return { value: null, problems: [] };
  const [year, month, day] = parts.map((p) => (p !== null && /^\d+$/.test(p) ? Number(p) : Number.NaN));
  return dateFromParts(year!, month!, day!, 'birth_date', { notAfter: options.notAfter }, parts.join('-'));
}

/** Letters and digits of a national id, upper case; placeholders ("000000000", "n/a") are not ids. */
function cleanNationalId(raw: string | null | undefined, problems: Problem[]): string | null {
  const text = presentText(raw);
  if (text === null) return null;
  const compact = text.toUpperCase().replace(/[^A-Z\d]/g, '');
  if (compact === '' || isIllegalIdentifier(text) || /^(.)\1*$/.test(compact)) {
    problems.push({ field: 'national_id', code: 'national_id_placeholder', input: text });
    return null;
  }
  return compact;
}
