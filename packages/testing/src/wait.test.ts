import { waitFor } from './wait';

test('waitFor resolves once the check holds', async () => {
  let calls = 0;
  await waitFor(() => ++calls === 3, { intervalMs: 1 });
  expect(calls).toBe(3);
});

test('waitFor accepts an async check', async () => {
  let ready = false;
  setTimeout(() => (ready = true), 20);
  await expect(waitFor(async () => ready, { timeoutMs: 2_000 })).resolves.toBeUndefined();
});

test('waitFor times out naming what it waited for', async () => {
  await expect(waitFor(() => false, { timeoutMs: 50, what: 'the dedup window to close' })).rejects.toMatchObject({
    code: 'timeout',
    message: 'waitFor: timed out after 50 ms waiting for the dedup window to close',
  });
});

test('an exception in the check fails at once instead of being retried', async () => {
  const started = Date.now();
  await expect(
    waitFor(
      () => {
        throw new Error('boom');
      },
      { timeoutMs: 5_000 },
    ),
  ).rejects.toThrow('boom');
  expect(Date.now() - started).toBeLessThan(1_000);
});
