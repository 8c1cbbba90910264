import fc from 'fast-check';
import { Refusal } from '../http/errors';
import { eventJson } from './event-json';

describe('eventJson', () => {
  it('measures exactly the UTF-8 bytes of JSON.stringify(event), for any JSON object', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('properties', 'context', '__proto__', '0', '10', 'é', '\u2028', '"'));
    fc.assert(
      fc.property(fc.dictionary(key, fc.jsonValue(), { maxKeys: 12 }), (object) => {
        const event = JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
        const result = eventJson(event, 0);
        expect(result).not.toBeInstanceOf(Refusal);
        expect((result as { size: number }).size).toBe(Buffer.byteLength(JSON.stringify(event), 'utf8'));
      }),
      { numRuns: 500 },
    );
  });

  it('measures parsed text with escapes, lone surrogates and numbers that print longer', () => {
    const text = '{"a":"\\u00e9\\ud800\\u2028\\/","n":1e20,"m":-0,"p":{"__proto__":{"x":[1e-7]}},"":null}';
    const event = JSON.parse(text) as Record<string, unknown>;
    expect((eventJson(event, undefined) as { size: number }).size).toBe(Buffer.byteLength(JSON.stringify(event), 'utf8'));
  });

  it('keeps the JSON text of the free-form objects, null when null or absent', () => {
    const result = eventJson({ userId: 'u', properties: { a: 1 }, context: null }, 0);
    expect(result).toEqual({ size: expect.any(Number), objects: { properties: '{"a":1}', traits: null, context: null, integrations: null } });
  });
});
