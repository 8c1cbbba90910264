import fc from 'fast-check';
import { ApiError } from './errors';
import { parseQuery } from './query';

it('decodes per RFC 3986: a + stays a plus, %2B too', () => {
  expect(parseQuery('/v1/profiles?identifier=phone:+14155550100', ['identifier'])).toEqual(new Map([['identifier', 'phone:+14155550100']]));
  expect(parseQuery('/v1/profiles?identifier=email:ann%2Bnews%40x.com', ['identifier'])).toEqual(new Map([['identifier', 'email:ann+news@x.com']]));
  expect(parseQuery('/x?a=1&&b=', ['a', 'b'])).toEqual(new Map([['a', '1'], ['b', '']]));
  expect(parseQuery('/x', ['a'])).toEqual(new Map());
});

it('refuses unknown, repeated and badly encoded parameters, naming them', () => {
  expect(parseQuery('/x?limt=5', ['limit', 'cursor'])).toMatchObject({ code: 'invalid_parameter', details: { field: 'limt' } });
  expect(parseQuery('/x?limit=5&limit=6', ['limit'])).toMatchObject({ code: 'invalid_parameter', details: { field: 'limit', reason: 'is given more than once' } });
  expect(parseQuery('/x?limit=%E0%A4%A', ['limit'])).toMatchObject({ code: 'invalid_parameter', details: { reason: 'is not valid percent-encoding' } });
});

it('never throws on any query string', () => {
  fc.assert(
    fc.property(fc.string(), (q) => {
      const result = parseQuery(`/x?${q}`, ['a', 'b']);
      return result instanceof ApiError || result instanceof Map;
    }),
  );
});
