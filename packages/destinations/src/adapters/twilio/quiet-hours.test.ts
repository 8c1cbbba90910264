import fc from 'fast-check';
import { isValidTimeZone, parseClockTime, quietHoursEnd } from './quiet-hours';

const NIGHT = { startMinute: parseClockTime('21:00')!, endMinute: parseClockTime('08:00')! };
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (text: string) => Date.parse(text);

describe('a window across midnight (21:00-08:00)', () => {
  it.each([
    // Berlin in winter is UTC+1.
    ['2026-11-24T19:59:59Z', null],
    ['2026-11-24T20:00:00Z', '2026-11-25T07:00:00.000Z'],
    ['2026-11-24T22:30:00Z', '2026-11-25T07:00:00.000Z'],
    ['2026-11-24T23:30:00Z', '2026-11-25T07:00:00.000Z'],
    ['2026-11-25T06:59:59Z', '2026-11-25T07:00:00.000Z'],
    ['2026-11-25T07:00:00Z', null],
  ])('in Europe/Berlin at %s: quiet until %s', (now, until) => {
    expect(iso(quietHoursEnd(at(now), 'Europe/Berlin', NIGHT))).toBe(until);
  });

  it('uses the recipient zone, not the server one', () => {
    // 14:00 UTC is 09:00 in New York (allowed) and 23:00 in Tokyo (quiet until 08:00 JST = 23:00 UTC).
    expect(quietHoursEnd(at('2026-11-24T14:00:00Z'), 'America/New_York', NIGHT)).toBeNull();
    expect(iso(quietHoursEnd(at('2026-11-24T14:00:00Z'), 'Asia/Tokyo', NIGHT))).toBe('2026-11-24T23:00:00.000Z');
  });
});

describe('across DST changes, the end is 08:00 on the local clock', () => {
  it('spring forward (Berlin, 2026-03-29: 02:00 CET → 03:00 CEST)', () => {
    expect(iso(quietHoursEnd(at('2026-03-28T21:00:00Z'), 'Europe/Berlin', NIGHT))).toBe('2026-03-29T06:00:00.000Z');
  });

  it('fall back (Berlin, 2026-10-25: 03:00 CEST → 02:00 CET)', () => {
    expect(iso(quietHoursEnd(at('2026-10-24T20:00:00Z'), 'Europe/Berlin', NIGHT))).toBe('2026-10-25T07:00:00.000Z');
  });

  it('spring forward in New York (2026-03-08)', () => {
    expect(iso(quietHoursEnd(at('2026-03-08T03:00:00Z'), 'America/New_York', NIGHT))).toBe('2026-03-08T12:00:00.000Z');
  });

  it('an end time the spring-forward skips resolves to the moment the clock passes it', () => {
    const untilHalfPastTwo = { startMinute: parseClockTime('22:00')!, endMinute: parseClockTime('02:30')! };
    // 02:30 does not exist in Berlin on 2026-03-29; the clock jumps from 02:00 CET (01:00Z) to 03:00 CEST.
    expect(iso(quietHoursEnd(at('2026-03-28T22:00:00Z'), 'Europe/Berlin', untilHalfPastTwo))).toBe('2026-03-29T01:00:00.000Z');
  });

  it('an end time the fall-back repeats resolves to its first occurrence', () => {
    const untilHalfPastTwo = { startMinute: parseClockTime('22:00')!, endMinute: parseClockTime('02:30')! };
    // 02:30 happens twice in Berlin on 2026-10-25: at 00:30Z (CEST) and 01:30Z (CET).
    expect(iso(quietHoursEnd(at('2026-10-24T21:00:00Z'), 'Europe/Berlin', untilHalfPastTwo))).toBe('2026-10-25T00:30:00.000Z');
  });
});

it('handles a window within one day, and an empty window', () => {
  const lunch = { startMinute: parseClockTime('12:00')!, endMinute: parseClockTime('13:30')! };
  expect(iso(quietHoursEnd(at('2026-06-01T12:15:00Z'), 'UTC', lunch))).toBe('2026-06-01T13:30:00.000Z');
  expect(quietHoursEnd(at('2026-06-01T13:30:00Z'), 'UTC', lunch)).toBeNull();
  expect(quietHoursEnd(at('2026-06-01T03:00:00Z'), 'UTC', { startMinute: 0, endMinute: 0 })).toBeNull();
});

it('always answers a moment after now at which sending is allowed', () => {
  const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
  const minute = fc.integer({ min: 0, max: 1439 });
  fc.assert(
    fc.property(fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }), fc.constantFrom(...zones), minute, minute, (now, zone, start, end) => {
      const quiet = { startMinute: start, endMinute: end };
      const until = quietHoursEnd(now, zone, quiet);
      if (until === null) return;
      expect(until).toBeGreaterThan(now);
      expect(until - now).toBeLessThanOrEqual(26 * 3600 * 1000);
      expect(quietHoursEnd(until, zone, quiet)).toBeNull();
    }),
    { numRuns: 300 },
  );
});

it('reads HH:MM and knows IANA zones', () => {
  expect(parseClockTime('08:00')).toBe(480);
  expect(parseClockTime('23:59')).toBe(1439);
  expect([parseClockTime('24:00'), parseClockTime('8:00'), parseClockTime('08:60')]).toEqual([null, null, null]);
  expect(isValidTimeZone('Europe/Berlin')).toBe(true);
  expect(isValidTimeZone('Mars/Olympus')).toBe(false);
});
