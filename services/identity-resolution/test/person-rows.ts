/** A `persons.import` record with every person field empty: tests fill in the ones they are about. */
import type { PersonImport } from '@stratum/schemas';

export function personRow(where: Pick<PersonImport, 'tenantId' | 'importId' | 'rowNumber' | 'recordId' | 'receivedAt'>, fields: Partial<PersonImport> = {}): PersonImport {
  return {
    sourceId: 'src_crm',
    givenName: null,
    middleName: null,
    familyName: null,
    email: null,
    phone: null,
    dateOfBirth: null,
    nationalId: null,
    userId: null,
    streetNumber: null,
    addressLine1: null,
    addressLine2: null,
    locality: null,
    postcode: null,
    region: null,
    country: 'AU',
    attributes: '{}',
    ...where,
    ...fields,
  };
}
