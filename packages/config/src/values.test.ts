import type { z } from 'zod';
import { booleanFlag, brokerList, durationMs, identifier, integer, namedKeys, oneOf, port, url } from './values';

/** The parsed value, or the first problem's message. */
function parse(schema: z.ZodType, text: string | undefined): unknown {
  const result = schema.safeParse(text);
  return result.success ? result.data : `error: ${result.error.issues[0]!.message}`;
}

it.each([
  ['0', 0],
  ['9464', 9464],
  [' 8080 ', 8080],
  ['65535', 65535],
  ['65536', 'error: is not a port (0-65535)'],
  ['-1', 'error: is not a port (0-65535)'],
  ['80.5', 'error: is not a port (0-65535)'],
  ['abc', 'error: is not a port (0-65535)'],
])('port() reads %j as %j', (text, expected) => {
  expect(parse(port(), text)).toEqual(expected);
});

it.each([
  ['true', true],
  ['TRUE', true],
  ['1', true],
  ['false', false],
  ['False', false],
  ['0', false],
  ['yes', 'error: is not a boolean (true, false, 1 or 0)'],
])('booleanFlag() reads %j as %j (unlike z.coerce.boolean, "false" is false)', (text, expected) => {
  expect(parse(booleanFlag(), text)).toEqual(expected);
});

it.each([
  ['localhost:9092', ['localhost:9092']],
  ['a:1, b:2 ,c.example.com:9093,', ['a:1', 'b:2', 'c.example.com:9093']],
  ['[::1]:9092', ['[::1]:9092']],
  ['a:1,localhost', 'error: is not a comma-separated host:port list (entry 2 is not host:port)'],
  ['a:0', 'error: is not a comma-separated host:port list (entry 1 is not host:port)'],
  ['a b:1', 'error: is not a comma-separated host:port list (entry 1 is not host:port)'],
  [',', 'error: is an empty list (comma-separated host:port list)'],
])('brokerList() reads %j as %j', (text, expected) => {
  expect(parse(brokerList(), text)).toEqual(expected);
});

it.each([
  ['30000', 30_000],
  ['250ms', 250],
  ['30s', 30_000],
  ['1.5s', 1500],
  ['5min', 300_000],
  ['1h', 3_600_000],
  ['10 s', 10_000],
  ['soon', 'error: is not a duration (milliseconds, or a number with ms, s, min or h)'],
  ['-5', 'error: is not a duration (milliseconds, or a number with ms, s, min or h)'],
  ['5m', 'error: is not a duration (milliseconds, or a number with ms, s, min or h)'],
])('durationMs() reads %j as %j', (text, expected) => {
  expect(parse(durationMs(), text)).toEqual(expected);
});

it('durationMs() checks its bounds', () => {
  expect(parse(durationMs({ min: 1000 }), '999')).toBe('error: is shorter than 1000 ms');
  expect(parse(durationMs({ max: 60_000 }), '2min')).toBe('error: is longer than 60000 ms');
});

it.each([
  ['1', 1],
  ['100000', 100_000],
  ['0', 'error: is not an integer from 1 to 100000'],
  ['1.5', 'error: is not an integer from 1 to 100000'],
  ['1e3', 'error: is not an integer from 1 to 100000'],
])('integer({ min: 1, max: 100000 }) reads %j as %j', (text, expected) => {
  expect(parse(integer({ min: 1, max: 100_000 }), text)).toEqual(expected);
});

it.each([
  ['http://localhost:8081', 'http://localhost:8081'],
  ['https://registry.example.com/', 'https://registry.example.com/'],
  ['ftp://example.com', 'error: is not a URL with http:// or https://'],
  ['localhost:8081', 'error: is not a URL with http:// or https://'],
  ['not a url', 'error: is not a URL with http:// or https://'],
])('url({ protocols: [http, https] }) reads %j as %j', (text, expected) => {
  expect(parse(url({ protocols: ['http', 'https'] }), text)).toEqual(expected);
});

it('url() accepts postgres URLs with credentials', () => {
  expect(parse(url({ protocols: ['postgres', 'postgresql'] }), 'postgresql://app:pw@db:5432/stratum')).toBe('postgresql://app:pw@db:5432/stratum');
  expect(parse(url({ protocols: ['postgres'] }), 'postgres:///nohost')).toBe('error: is not a URL with postgres://');
});

it('oneOf() matches exactly, or ignoring case when asked, and returns the listed spelling', () => {
  expect(parse(oneOf(['info', 'debug']), 'DEBUG')).toBe('error: is not one of info, debug');
  expect(parse(oneOf(['info', 'debug'], { ignoreCase: true }), 'DEBUG')).toBe('debug');
});

it('identifier() takes Kafka-safe names only', () => {
  expect(parse(identifier('a group id'), 'stratum.ingest-v2_a')).toBe('stratum.ingest-v2_a');
  expect(parse(identifier('a group id'), 'has space')).toBe('error: is not a name (letters, digits, ".", "_" or "-", at most 249)');
});

it('helpers describe what they expect, for "required" messages and docs', () => {
  expect([port(), brokerList(), booleanFlag()].map((s) => s.description)).toEqual(['a TCP port, 0-65535', 'comma-separated host:port list', 'true, false, 1 or 0']);
});

describe('namedKeys({ bytes: 32 })', () => {
  const k1 = Buffer.alloc(32, 1).toString('base64');
  const k2 = Buffer.alloc(32, 2).toString('base64');
  const short = Buffer.alloc(16, 3).toString('base64');
  const expected = 'comma-separated id:base64 list of 32-byte keys';

  it.each([
    [`k1:${k1}`, [{ id: 'k1', key: k1 }]],
    [` k1:${k1} , 2026-01.b:${k2},`, [{ id: 'k1', key: k1 }, { id: '2026-01.b', key: k2 }]],
    [',', `error: is an empty list (${expected})`],
    [k1, `error: is not a ${expected} (entry 1: no ":" between id and key)`],
    [`k1:${k1},k 2:${k2}`, `error: is not a ${expected} (entry 2: the id is not 1-64 letters, digits, ".", "_" or "-")`],
    [`k1:${k1},k1:${k2}`, `error: is not a ${expected} (entry 2: the id "k1" is used twice)`],
    [`k1:not base64!`, `error: is not a ${expected} (entry 1: the key of "k1" is not base64)`],
    [`k1:${short}`, `error: is not a ${expected} (entry 1: the key of "k1" is 16 bytes, not 32)`],
  ])('reads %j as %j', (text, result) => {
    expect(parse(namedKeys({ bytes: 32 }), text)).toEqual(result);
  });
});
