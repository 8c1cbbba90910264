/** Reading do-not-contact files: lines from a stream, CSV records, the file's shape, one line's values. */
import { Readable } from 'node:stream';
import { detectFormat, inputLines, MAX_LINE_CHARS, parseLine, splitCsv, type InputLine } from '../src/commands/dnc-input';

async function linesOf(chunks: string[]): Promise<InputLine[]> {
  const out: InputLine[] = [];
  for await (const l of inputLines(Readable.from(chunks.map((c) => Buffer.from(c))))) out.push(l);
  return out;
}

test('lines: \\n and \\r\\n endings, a leading byte order mark dropped, lines split across chunks, no empty last line', async () => {
  expect(await linesOf(['\uFEFFemail\r\na@x.c', 'om\r\n\nb@x.com'])).toEqual([
    { line: 1, text: 'email' },
    { line: 2, text: 'a@x.com' },
    { line: 3, text: '' },
    { line: 4, text: 'b@x.com' },
  ]);
  expect(await linesOf(['a\n'])).toEqual([{ line: 1, text: 'a' }]);
});

test('an overlong line is reported as such (text null) without being kept, and the next line reads normally', async () => {
  const long = 'x'.repeat(MAX_LINE_CHARS + 10);
  expect(await linesOf(['email\n', long.slice(0, 40_000), long.slice(40_000), '\nok@x.com\n'])).toEqual([
    { line: 1, text: 'email' },
    { line: 2, text: null },
    { line: 3, text: 'ok@x.com' },
  ]);
});

test('CSV records: quotes, escaped quotes, commas inside quotes, an open quote refused', () => {
  expect(splitCsv('a,"b,c","say ""hi""",')).toEqual(['a', 'b,c', 'say "hi"', '']);
  expect(splitCsv(' a@x.com ')).toEqual([' a@x.com ']);
  expect(splitCsv('"open')).toBeNull();
});

test('the shape: a header naming columns, NDJSON, one value per line only with --type', () => {
  expect(detectFormat('x.csv', 'Name, EMAIL ,phone,notes', undefined)).toEqual({
    kind: 'csv',
    columns: [
      { index: 1, type: 'email' },
      { index: 2, type: 'phone' },
    ],
    ignored: ['name', 'notes'],
  });
  expect(detectFormat('x.csv', 'email,phone', 'phone')).toEqual({ kind: 'csv', columns: [{ index: 1, type: 'phone' }], ignored: ['email'] });
  expect(detectFormat('x.csv', 'email', 'user_id')).toBe('the header names email but no user_id column');
  expect(detectFormat('x.ndjson', '{"email":"a@x.com"}', undefined)).toEqual({ kind: 'ndjson', types: ['email', 'phone', 'user_id'] });
  expect(detectFormat('-', ' {"phone":"+1"}', 'phone')).toEqual({ kind: 'ndjson', types: ['phone'] });
  expect(detectFormat('x.txt', 'a@x.com', 'email')).toEqual({ kind: 'values', type: 'email' });
  expect(detectFormat('x.txt', 'a@x.com', undefined)).toMatch(/names no identifier column/);
});

test("a line's values: empty cells are no value, JSON numbers are text for phones and user ids only", () => {
  const csv = detectFormat('x.csv', 'email,phone', undefined);
  if (typeof csv === 'string') throw new Error(csv);
  expect(parseLine(csv, 'a@x.com,')).toEqual({ values: [{ type: 'email', raw: 'a@x.com', column: 'email' }] });
  expect(parseLine(csv, ' , ')).toEqual({ problem: 'no_value' });
  const ndjson = detectFormat('x.ndjson', '{}', undefined);
  if (typeof ndjson === 'string') throw new Error(ndjson);
  expect(parseLine(ndjson, '{"phone":61412345678,"user_id":7,"other":1}')).toEqual({
    values: [
      { type: 'phone', raw: '61412345678', column: 'phone' },
      { type: 'user_id', raw: '7', column: 'user_id' },
    ],
  });
  expect(parseLine(ndjson, '{"email":1}')).toEqual({ problem: 'not_text', column: 'email' });
  expect(parseLine(ndjson, '{"email":null}')).toEqual({ problem: 'no_value' });
  expect(parseLine(ndjson, '"a@x.com"')).toEqual({ problem: 'not_an_object' });
  expect(parseLine(ndjson, '{')).toEqual({ problem: 'invalid_json' });
  expect(parseLine({ kind: 'values', type: 'user_id' }, ' u 1 ')).toEqual({ values: [{ type: 'user_id', raw: ' u 1 ', column: null }] });
});
