import { DESTINATION_TYPES } from '../store/destination';
import { ADAPTERS, adapterFor, destinationConfigProblems } from './registry';
import { ADAPTER_TYPES } from './types';

it('has an adapter for every destination type the store accepts, and no other', () => {
  expect(Object.keys(ADAPTERS).sort()).toEqual([...DESTINATION_TYPES].sort());
  for (const type of ADAPTER_TYPES) expect(ADAPTERS[type].type).toBe(type);
  expect(adapterFor('toString')).toBeNull();
  expect(adapterFor('ga4')?.maxBatch).toBe(25);
});

it('tells the store what is wrong with a destination, one line per problem', () => {
  expect(destinationConfigProblems('ga4', { measurementId: 'G-ABCDEFGH' }, { apiSecret: 'secret-123456' })).toEqual([]);
  expect(destinationConfigProblems('meta_capi', { pixelId: 'x' }, null)).toEqual(['settings.pixelId: "x" is not the numeric pixel (dataset) id', 'credentials.accessToken: required (an access token)']);
  expect(destinationConfigProblems('fax', {}, {})).toEqual(['type: no adapter for "fax"']);
});
