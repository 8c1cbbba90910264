/**
 * One file row to one persons.import record: cells to fields by the column plan, hygiene by
 * @stratum/matching (names, E.164 phones, canonical emails, dates, addresses), unmapped columns
 * into `attributes`. A row is rejected only when nothing usable identifies a person in it (no
 * name, email, phone, national id or user id after hygiene); what hygiene refused or changed in a
 * kept row is a warning.
 */
import { cleanPerson, isoDate, type CalendarDate, type DateOrder, type PersonInput, type ProblemCode } from '@stratum/matching';
import type { PersonImport } from '@stratum/schemas';
import type { ColumnPlan, ImportField } from './fields';

export const REJECT_REASONS = ['no_identifying_field', 'malformed_csv', 'malformed_json', 'not_an_object'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface RowContext {
  readonly tenantId: string;
  readonly sourceId: string;
  readonly importId: string;
  /** ISO 3166-1 alpha-2 for national phone numbers and postcodes, when the row has no country. */
  readonly region: string | null;
  readonly dateOrder: DateOrder;
  readonly today: CalendarDate;
}

export type RowResult =
  | { readonly accepted: true; readonly record: PersonImport; readonly warnings: readonly ProblemCode[]; readonly phoneGiven: boolean }
  | { readonly accepted: false; readonly reason: RejectReason; readonly warnings: readonly ProblemCode[]; readonly phoneGiven: boolean };

const present = (v: string | undefined): string | null => {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' ? null : t;
};

/** The person in `cells`, cleaned, as a persons.import record, or why it is rejected. */
export function personOfRow(cells: readonly string[], plan: ColumnPlan, rowNumber: number, ctx: RowContext, receivedAt: number): RowResult {
  const f: Partial<Record<ImportField, string>> = {};
  for (const [i, field] of plan.fields) {
    const v = present(cells[i]);
    if (v !== null) f[field] = v;
  }
  const attributes: Record<string, string> = {};
  for (const [i, name] of plan.attributes) {
    const v = present(cells[i]);
    if (v !== null) attributes[name] = v;
  }
  const country = f.country && /^[A-Za-z]{2}$/.test(f.country) ? f.country.toUpperCase() : null;
  const input: PersonInput = {
    id: String(rowNumber),
    fullName: f.fullName ?? null,
    givenName: f.givenName ?? null,
    middleName: f.middleName ?? null,
    familyName: f.familyName ?? null,
    birthDate: f.dateOfBirth ?? null,
    birthYear: f.birthYear ?? null,
    birthMonth: f.birthMonth ?? null,
    birthDay: f.birthDay ?? null,
    nationalId: f.nationalId ?? null,
    email: f.email ?? null,
    phone: f.phone ?? null,
    streetNumber: f.streetNumber ?? null,
    addressLine1: f.addressLine1 ?? null,
    addressLine2: f.addressLine2 ?? null,
    locality: f.locality ?? null,
    postcode: f.postcode ?? null,
    region: f.region ?? null,
  };
  const { person, problems } = cleanPerson(input, { country: country ?? ctx.region, dateOrder: ctx.dateOrder, today: ctx.today });
  const warnings = problems.map((p) => p.code);
  const phoneGiven = f.phone !== undefined;
  const userId = f.userId ?? null;
  if (person.givenName === null && person.familyName === null && person.email === null && person.phone === null && person.nationalId === null && userId === null) {
    return { accepted: false, reason: 'no_identifying_field', warnings, phoneGiven };
  }
  const record: PersonImport = {
    tenantId: ctx.tenantId,
    sourceId: ctx.sourceId,
    importId: ctx.importId,
    rowNumber,
    recordId: f.recordId ?? null,
    receivedAt,
    givenName: person.givenName,
    middleName: person.middleName,
    familyName: person.familyName,
    email: person.email,
    phone: person.phone,
    dateOfBirth: person.birthDate === null ? null : isoDate(person.birthDate),
    nationalId: person.nationalId,
    userId,
    streetNumber: person.streetNumber,
    addressLine1: person.street,
    addressLine2: person.addressLine2 ?? (person.unit === null ? null : `unit ${person.unit}`),
    locality: person.locality,
    postcode: person.postcode,
    region: person.region,
    country: country ?? (f.country ? f.country : ctx.region),
    attributes: JSON.stringify(attributes),
  };
  return { accepted: true, record, warnings, phoneGiven };
}
