import { FaultSchedule } from './faults';

test('queued faults are used up one per request, in the order they were added', () => {
  const faults = new FaultSchedule().failNext(2, 503).rateLimitNext(1, 30).hangNext(1);

  const taken = [faults.take(), faults.take(), faults.take(), faults.take(), faults.take()];

  expect(taken).toEqual([
    { kind: 'server_error', status: 503 },
    { kind: 'server_error', status: 503 },
    { kind: 'rate_limited', retryAfterSeconds: 30 },
    { kind: 'hang' },
    undefined,
  ]);
});

test('a timed rule wins over the queue until it expires, then the queue resumes', () => {
  let now = 1_000;
  const faults = new FaultSchedule(() => now).delayNext(1, 250).failFor(500);

  expect(faults.take()).toEqual({ kind: 'server_error', status: 503 });
  now += 499;
  expect(faults.take()).toEqual({ kind: 'server_error', status: 503 });
  now += 1;
  expect(faults.take()).toEqual({ kind: 'delay', ms: 250 });
  expect(faults.take()).toBeUndefined();
});

test('recover() forgets queued faults and the timed rule', () => {
  const faults = new FaultSchedule().resetNext(3).during(60_000, { kind: 'hang' });

  faults.recover();

  expect(faults.take()).toBeUndefined();
});

test('a fault count must be a positive integer', () => {
  expect(() => new FaultSchedule().failNext(0)).toThrow(RangeError);
});
