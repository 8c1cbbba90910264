import { uniqueIdentifier, uniqueName } from './names';

test('uniqueName is the prefix, a dash and 12 hex digits: a legal Kafka topic and group id', () => {
  const name = uniqueName('tenant');
  expect(name).toMatch(/^tenant-[0-9a-f]{12}$/);
  expect(name).toMatch(/^[a-zA-Z0-9._-]{1,249}$/);
});

test('uniqueName never repeats across many calls', () => {
  const names = new Set(Array.from({ length: 1000 }, () => uniqueName('t')));
  expect(names.size).toBe(1000);
});

test('uniqueName refuses a prefix Kafka would not accept in a topic name', () => {
  expect(() => uniqueName('events raw')).toThrow(expect.objectContaining({ code: 'misuse', message: expect.stringContaining('"events raw"') }));
  expect(() => uniqueName('')).toThrow(expect.objectContaining({ code: 'misuse' }));
});

test('uniqueIdentifier is a lower-case SQL identifier that needs no quoting', () => {
  expect(uniqueIdentifier('stratum_test')).toMatch(/^stratum_test_[0-9a-f]{12}$/);
  expect(() => uniqueIdentifier('Stratum-Test')).toThrow(expect.objectContaining({ code: 'misuse' }));
});
