import { lateBound } from './late-bound';

test('reading a field before the hook ran throws a clear error', () => {
  const stack = lateBound<{ brokers: string[] }>('useTestStack()');
  expect(() => stack.value.brokers).toThrow(expect.objectContaining({ code: 'misuse', message: expect.stringMatching(/^useTestStack\(\) is not started yet/) }));
});

test('after set, fields and methods read through', () => {
  const holder = lateBound<{ brokers: string[]; first(): string }>('x');
  const actual = { brokers: ['a:1'], first: () => actual.brokers[0]! };
  holder.set(actual);
  expect(holder.value.brokers).toEqual(['a:1']);
  expect(holder.value.first()).toBe('a:1');
  expect({ ...holder.value }).toEqual(actual);
  expect(holder.current()).toBe(actual);
});

test('an unset holder can still be awaited and printed (then/symbols answer undefined)', async () => {
  const holder = lateBound<{ x: number }>('x');
  await expect(Promise.resolve(holder.value)).resolves.toBe(holder.value);
  expect(holder.current()).toBeUndefined();
});
