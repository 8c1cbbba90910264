import { describeRecords, headersAsText, type CollectedRecord } from './collected';

const record = (offset: number, value: unknown): CollectedRecord<unknown> => ({ key: `k${offset}`, value, partition: 1, offset: String(offset), headers: {}, timestamp: '0' });

test('describeRecords lists partition, offset, key and value of each record', () => {
  expect(describeRecords([record(0, { a: 1 }), record(1, null)])).toBe('2 arrived:\n  partition 1 offset 0 key "k0": {"a":1}\n  partition 1 offset 1 key "k1": null');
});

test('describeRecords says when nothing arrived', () => {
  expect(describeRecords([])).toBe('nothing arrived');
});

test('describeRecords cuts long values and long lists', () => {
  const text = describeRecords(Array.from({ length: 25 }, (_, i) => record(i, 'x'.repeat(1_000))));
  expect(text.split('\n')).toHaveLength(1 + 20 + 1);
  expect(text).toContain('… and 5 more');
  expect(text.split('\n')[1]!.length).toBeLessThan(400);
});

test('headers come back as text, repeated names as arrays', () => {
  expect(headersAsText({ a: Buffer.from('1'), b: [Buffer.from('x'), Buffer.from('y')], c: undefined })).toEqual({ a: '1', b: ['x', 'y'] });
  expect(headersAsText(undefined)).toEqual({});
});
