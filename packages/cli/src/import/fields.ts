/**
 * The fields a person file's columns map to, the header names recognised without `--map`, and
 * `--map col=field` parsing. Column names are compared folded: lower case, only letters and digits
 * ("Date of Birth", "date_of_birth" and "DATE-OF-BIRTH" are one name).
 */
import { InvalidArgumentError } from 'commander';

/** Every target of a column: the persons.import fields plus the inputs hygiene combines. */
export const IMPORT_FIELDS = [
  'recordId',
  'givenName',
  'middleName',
  'familyName',
  'fullName',
  'email',
  'phone',
  'dateOfBirth',
  'birthYear',
  'birthMonth',
  'birthDay',
  'nationalId',
  'userId',
  'streetNumber',
  'addressLine1',
  'addressLine2',
  'locality',
  'postcode',
  'region',
  'country',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** `--map col=ignore`: leave the column out, not even in attributes. */
export const IGNORE = 'ignore';

/** Header names each field is recognised by, folded. */
const DEFAULT_NAMES: Record<ImportField, readonly string[]> = {
  recordId: ['recid', 'recordid', 'id', 'rowid', 'externalid', 'personid'],
  givenName: ['givenname', 'firstname', 'forename', 'given', 'first', 'fname'],
  middleName: ['middlename', 'middlenames', 'middle', 'secondname'],
  familyName: ['familyname', 'surname', 'lastname', 'last', 'family', 'lname'],
  fullName: ['name', 'fullname', 'personname'],
  email: ['email', 'emailaddress', 'mail'],
  phone: ['phone', 'phonenumber', 'mobile', 'mobilenumber', 'telephone', 'tel', 'cell', 'cellphone'],
  dateOfBirth: ['dateofbirth', 'dob', 'birthdate', 'birthday', 'bdate'],
  birthYear: ['birthyear', 'byear', 'yearofbirth'],
  birthMonth: ['birthmonth', 'bmonth', 'monthofbirth'],
  birthDay: ['bday', 'dayofbirth'],
  nationalId: ['socsecid', 'ssn', 'nationalid', 'socialsecuritynumber', 'taxid', 'nin'],
  userId: ['userid', 'customerid', 'accountid'],
  streetNumber: ['streetnumber', 'streetno', 'housenumber', 'number'],
  addressLine1: ['address1', 'addressline1', 'street', 'address', 'streetaddress'],
  addressLine2: ['address2', 'addressline2'],
  locality: ['suburb', 'city', 'town', 'locality'],
  postcode: ['postcode', 'zip', 'zipcode', 'postalcode'],
  region: ['state', 'region', 'province', 'county'],
  country: ['country', 'countrycode'],
};

export const foldColumn = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

const FIELD_BY_FOLDED = new Map<string, ImportField>(IMPORT_FIELDS.map((f) => [foldColumn(f), f]));

/** `--map col=field` (repeatable): the flag's accumulated value, column name as given → field or `ignore`. */
export function mapFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.lastIndexOf('=');
  const column = value.slice(0, eq).trim();
  const field = value.slice(eq + 1).trim();
  if (eq <= 0 || column === '' || field === '') throw new InvalidArgumentError(`expected column=field, got "${value}"`);
  const known = field === IGNORE ? IGNORE : FIELD_BY_FOLDED.get(foldColumn(field));
  if (!known) throw new InvalidArgumentError(`"${field}" is not a field: use one of ${IMPORT_FIELDS.join(', ')}, or ${IGNORE}`);
  return { ...previous, [column]: known };
}

/** How a file's columns are used: the field of each mapped column, and the rest (attributes). */
export interface ColumnPlan {
  /** Column index → field. */
  readonly fields: ReadonlyMap<number, ImportField>;
  /** Column index → column name, for columns that go into attributes. */
  readonly attributes: ReadonlyMap<number, string>;
  /** Field → column name, for the report. */
  readonly mapping: Readonly<Record<string, string>>;
}

/**
 * Plans the columns of a header: explicit `--map` entries first, then the default names; a field
 * takes the first column that claims it. A `--map` naming a column the header lacks is an error
 * (unless `strict: false`: NDJSON keys appear row by row).
 */
export function planColumns(header: readonly string[], explicit: Readonly<Record<string, string>>, options: { strict?: boolean } = {}): ColumnPlan {
  const fields = new Map<number, ImportField>();
  const attributes = new Map<number, string>();
  const taken = new Set<string>();
  const mapping: Record<string, string> = {};
  const byFolded = new Map(Object.entries(explicit).map(([col, field]) => [foldColumn(col), field]));
  for (const col of options.strict === false ? [] : Object.keys(explicit)) {
    if (!header.some((h) => foldColumn(h) === foldColumn(col))) throw new Error(`--map names column "${col}", which the file does not have (columns: ${header.join(', ')})`);
  }
  const claim = (i: number, field: ImportField) => {
    fields.set(i, field);
    taken.add(field);
    mapping[field] = header[i]!;
  };
  header.forEach((name, i) => {
    const field = byFolded.get(foldColumn(name));
    if (field !== undefined && field !== IGNORE && !taken.has(field)) claim(i, field as ImportField);
  });
  header.forEach((name, i) => {
    if (fields.has(i) || byFolded.get(foldColumn(name)) === IGNORE) return;
    const folded = foldColumn(name);
    const field = IMPORT_FIELDS.find((f) => !taken.has(f) && (FIELD_BY_FOLDED.get(folded) === f || DEFAULT_NAMES[f].includes(folded)));
    if (field && !byFolded.has(folded)) claim(i, field);
    else if (name.trim() !== '') attributes.set(i, name);
  });
  return { fields, attributes, mapping };
}
