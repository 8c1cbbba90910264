/** The import's reading and batching without a database: canonical hashes, batches of 1,000, a stop part-way. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { dncCommandErrors } from '../src/commands/dnc-run';
import { BATCH_SIZE, emptyReport, validBatches, writeAll, type ValidValue } from '../src/commands/dnc-import';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const stream = (text: string) => Readable.from([Buffer.from(text)]);

async function collect(text: string, options: Parameters<typeof validBatches>[2] = { region: null }) {
  const report = emptyReport();
  const batches: ValidValue[][] = [];
  for await (const b of validBatches(stream(text), 'x.csv', options, report)) batches.push(b);
  return { report, batches };
}

test('values are hashed as ingest hashes them: email trimmed and lower-cased, phone E.164 in the region, user_id as given', async () => {
  const { batches, report } = await collect('email,phone,user_id\n  Ann@Example.COM ,0412 345 678, u 1\n', { region: 'AU' });
  expect(batches).toEqual([
    [
      { type: 'email', valueHash: sha('ann@example.com'), value: null },
      { type: 'phone', valueHash: sha('+61412345678'), value: null },
      { type: 'user_id', valueHash: sha(' u 1'), value: ' u 1' },
    ],
  ]);
  expect(report).toMatchObject({ read: 1, valid: 3, invalid: 0 });
});

test('NUL and lone surrogates are refused per value, not sent to PostgreSQL', async () => {
  const { report } = await collect('{"user_id":"a\\u0000b"}\n{"user_id":"\\ud800"}\n{"user_id":"ok"}\n');
  expect(report).toMatchObject({ format: 'ndjson', valid: 1, invalid: 2, invalidByReason: { invalid_characters: 2 } });
});

test('batches of 1,000; an empty file or one of blank lines is a usage error', async () => {
  const rows = Array.from({ length: 2 * BATCH_SIZE + 1 }, (_, i) => `u-${i}`);
  const { batches } = await collect(`user_id\n${rows.join('\n')}\n`);
  expect(batches.map((b) => b.length)).toEqual([BATCH_SIZE, BATCH_SIZE, 1]);
  for (const text of ['', '\n  \n']) {
    const err = await collect(text).catch((e: unknown) => e);
    expect(dncCommandErrors.is(err, 'usage')).toBe(true);
  }
});

test('a failure after a committed batch says how far the import got; one before any is passed on as it is', async () => {
  const report = emptyReport();
  const batches = validBatches(stream(`email\n${Array.from({ length: 2 * BATCH_SIZE }, (_, i) => `p${i}@x.com`).join('\n')}\n`), 'x.csv', { region: null }, report);
  let calls = 0;
  const err = await writeAll(
    batches,
    { added: 0 },
    async (b) => {
      if (++calls === 2) throw new Error('connection reset');
      return { added: b.length };
    },
    () => {},
    report,
  ).catch((e: unknown) => e);
  expect(dncCommandErrors.is(err, 'stopped_part_way')).toBe(true);
  expect((err as Error).message).toMatch(/^connection reset; stopped after 1 batch\(es\) of 1000 .*added 1000\)\. Run the same command again/);
  const first = new Error('refused');
  await expect(writeAll(validBatches(stream('email\na@x.com\n'), 'x.csv', { region: null }, emptyReport()), { added: 0 }, () => Promise.reject(first), () => {}, emptyReport())).rejects.toBe(first);
});
