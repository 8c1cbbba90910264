import { parseJsonObject } from './json-object';

it('parses object text, and reads absent or the literal null as {}', () => {
  expect(parseJsonObject('{"a":1,"b":{"c":[1]}}', 'properties')).toEqual({ value: { a: 1, b: { c: [1] } } });
  expect(parseJsonObject(null, 'properties')).toEqual({ value: {} });
  expect(parseJsonObject('null', 'traits')).toEqual({ value: {} });
});

it('refuses text that is not JSON as invalid_json, at the field', () => {
  const result = parseJsonObject('{"a":', 'context');
  expect(result).toEqual({ problem: expect.objectContaining({ code: 'invalid_json', path: 'context' }) });
});

it.each([
  ['[1,2]', 'an array'],
  ['"text"', 'a string'],
  ['42', 'a number'],
  ['true', 'a boolean'],
])('refuses %s as not_an_object (%s)', (text, described) => {
  const result = parseJsonObject(text, 'integrations');
  expect(result).toEqual({ problem: { code: 'not_an_object', path: 'integrations', message: `integrations must be a JSON object, got ${described}` } });
});
