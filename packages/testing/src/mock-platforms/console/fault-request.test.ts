import { FaultSchedule } from '../faults';
import { parseFaultRequest } from './fault-request';

function applied(body: unknown): FaultSchedule {
  const parsed = parseFaultRequest(body);
  if (!parsed.ok) throw new Error(parsed.problem);
  const schedule = new FaultSchedule(() => 1_000);
  parsed.fault.apply(schedule);
  return schedule;
}

it('turns each documented body into the FaultSchedule call it names', () => {
  expect(applied({ failForMs: 30_000, status: 503 }).take()).toEqual({ kind: 'server_error', status: 503 });
  expect(applied({ failForMs: 30_000 }).take()).toEqual({ kind: 'server_error', status: 503 });
  const twice = applied({ failNext: 2 });
  expect([twice.take(), twice.take(), twice.take()]).toEqual([{ kind: 'server_error', status: 500 }, { kind: 'server_error', status: 500 }, undefined]);
  expect(applied({ rateLimitNext: 1, retryAfterSeconds: 3 }).take()).toEqual({ kind: 'rate_limited', retryAfterSeconds: 3 });
  expect(applied({ hangNext: 1 }).take()).toEqual({ kind: 'hang' });
  expect(applied({ resetNext: 1 }).take()).toEqual({ kind: 'reset' });
  expect(applied({ delayNext: 1, ms: 250 }).take()).toEqual({ kind: 'delay', ms: 250 });
});

it.each([
  [undefined, /JSON object/],
  [[], /JSON object/],
  [{}, /exactly one of/],
  [{ failNext: 1, hangNext: 1 }, /got failNext, hangNext/],
  [{ failNext: 0 }, /positive integer/],
  [{ failNext: 1.5 }, /positive integer/],
  [{ failNext: 1, status: 404 }, /5xx/],
  [{ hangNext: 1, status: 503 }, /does not take status/],
  [{ rateLimitNext: 1, retryAfterSeconds: -1 }, /retryAfterSeconds/],
  [{ delayNext: 1 }, /needs ms/],
])('refuses %j with a reason', (body, reason) => {
  const parsed = parseFaultRequest(body);
  expect(parsed.ok).toBe(false);
  expect(parsed.ok ? '' : parsed.problem).toMatch(reason);
});
