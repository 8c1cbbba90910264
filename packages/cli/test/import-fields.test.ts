/** Column mapping of `stratum import`: default header names, --map, ignore, attributes. */
import { mapFlag, planColumns } from '../src/import/fields';

it('maps Febrl-style and common header names without --map, the rest into attributes', () => {
  const plan = planColumns(['rec_id', 'given_name', 'surname', 'Date of Birth', 'soc_sec_id', 'E-mail', 'Mobile', 'suburb', 'postcode', 'state', 'entity_id'], {});
  expect(plan.mapping).toEqual({
    recordId: 'rec_id',
    givenName: 'given_name',
    familyName: 'surname',
    dateOfBirth: 'Date of Birth',
    nationalId: 'soc_sec_id',
    email: 'E-mail',
    phone: 'Mobile',
    locality: 'suburb',
    postcode: 'postcode',
    region: 'state',
  });
  expect([...plan.attributes.values()]).toEqual(['entity_id']);
});

it('--map wins over the defaults, can drop a column, and refuses unknown fields and absent columns', () => {
  let map = mapFlag('nom=familyName');
  map = mapFlag('surname=ignore', map);
  map = mapFlag('client=recordId', map);
  const plan = planColumns(['client', 'nom', 'surname', 'id'], map);
  expect(plan.mapping).toEqual({ recordId: 'client', familyName: 'nom' });
  expect([...plan.attributes.values()]).toEqual(['id']);
  expect(() => mapFlag('x=shoeSize')).toThrow('"shoeSize" is not a field');
  expect(() => mapFlag('=givenName')).toThrow('expected column=field');
  expect(() => planColumns(['a'], { b: 'givenName' })).toThrow('--map names column "b", which the file does not have');
  expect(planColumns(['a'], { b: 'givenName' }, { strict: false }).mapping).toEqual({});
});
