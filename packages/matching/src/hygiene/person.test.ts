import { cleanPerson } from './person';

it('cleans every field and collects the problems', () => {
  const { person, problems } = cleanPerson(
    {
      id: 'r1',
      fullName: 'SMITH, Dr Jane',
      birthDate: '31/04/1980',
      phone: '0412 345 678',
      email: ' Jane@Example.COM ',
      addressLine1: '5/12 Smith St',
      locality: 'St Kilda',
      postcode: '3182',
      region: 'VIC',
      nationalId: '000-000-000',
    },
    { country: 'AU', dateOrder: 'dmy' },
  );
  expect(person).toEqual({
    id: 'r1',
    givenName: 'Jane',
    middleName: null,
    familyName: 'Smith',
    birthDate: null,
    nationalId: null,
    email: 'jane@example.com',
    phone: '+61412345678',
    unit: '5',
    streetNumber: '12',
    street: 'smith street',
    addressLine2: null,
    locality: 'saint kilda',
    postcode: '3182',
    region: 'vic',
  });
  expect(problems.map((p) => p.code)).toEqual(['name_title_removed', 'date_day_out_of_range', 'national_id_placeholder']);
});

it('reads birth dates from year, month and day columns', () => {
  const { person } = cleanPerson({ id: 'r2', givenName: 'GERD', familyName: 'BAUER', birthYear: '1968', birthMonth: '7', birthDay: '27' }, { country: 'DE' });
  expect(person.birthDate).toEqual({ year: 1968, month: 7, day: 27 });
});
