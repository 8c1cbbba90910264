import fc from 'fast-check';
import { eventTimes, parseIsoTimestamp } from './timestamps';

/** `t` (epoch ms) written as local time at `offsetMinutes` from UTC, ISO-8601 with ms and the offset. */
function isoAt(t: number, offsetMinutes: number): string {
  const local = new Date(t + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

// 1970 to 2100, and offsets from -12:00 to +14:00 in quarter hours (every zone in use).
const instant = fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) });
const offset = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);

describe('parseIsoTimestamp', () => {
  it.each([
    ['2026-11-24T09:29:59.750Z', Date.UTC(2026, 10, 24, 9, 29, 59, 750)],
    ['2026-11-24T10:29:59.750+01:00', Date.UTC(2026, 10, 24, 9, 29, 59, 750)],
    ['2026-11-24T04:29:59.750-0500', Date.UTC(2026, 10, 24, 9, 29, 59, 750)],
    ['2026-11-24T14:59:59.750+05:30', Date.UTC(2026, 10, 24, 9, 29, 59, 750)],
    ['2026-11-24T09:29:59Z', Date.UTC(2026, 10, 24, 9, 29, 59)],
    ['2026-11-24T09:29Z', Date.UTC(2026, 10, 24, 9, 29)],
    ['2026-11-24t09:29:59.123456789z', Date.UTC(2026, 10, 24, 9, 29, 59, 123)],
    ['2026-11-24 09:29:59,5+00', Date.UTC(2026, 10, 24, 9, 29, 59, 500)],
    ['2026-11-24T09:29:59', Date.UTC(2026, 10, 24, 9, 29, 59)],
    ['2026-11-24', Date.UTC(2026, 10, 24)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['0099-01-01T00:00:00Z', -59_042_995_200_000],
  ])('reads %s', (text, expected) => {
    expect(parseIsoTimestamp(text)).toBe(expected);
  });

  it.each([
    'yesterday',
    'March 7, 2024',
    '2024-03-07T10:00:00 GMT',
    '1709805600000',
    '',
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-04-31',
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:60:00Z',
    '2024-01-01T23:59:60Z',
    '2024-01-01T10:00:00+24:00',
    '24-01-01',
    '2024-1-1',
  ])('refuses %j', (text) => {
    expect(parseIsoTimestamp(text)).toBeNull();
  });

  it('gives the UTC instant for any instant written at any offset', () => {
    fc.assert(fc.property(instant, offset, (t, off) => parseIsoTimestamp(isoAt(t, off)) === t));
  });
});

describe('eventTimes (Segment: receivedAt − (sentAt − originalTimestamp))', () => {
  const receivedAt = Date.UTC(2026, 10, 24, 9, 30);
  const none = { timestamp: null, originalTimestamp: null, sentAt: null };

  it('corrects the client clock with sentAt and originalTimestamp', () => {
    // The client clock is 1 h fast: it says the event was at 10:29:59.750 and the batch left at 10:29:59.930.
    const times = eventTimes(receivedAt, { ...none, originalTimestamp: receivedAt + 3_600_000 - 250, sentAt: receivedAt + 3_600_000 - 70 });
    expect(times).toEqual({ timestamp: receivedAt - 180, originalTimestamp: receivedAt + 3_600_000 - 250, sentAt: receivedAt + 3_600_000 - 70 });
  });

  it('corrects an explicit timestamp with sentAt when originalTimestamp is absent (it then is the client reading)', () => {
    const times = eventTimes(receivedAt, { ...none, timestamp: receivedAt - 60_000 + 5_000, sentAt: receivedAt + 5_000 });
    expect(times).toEqual({ timestamp: receivedAt - 60_000, originalTimestamp: receivedAt - 60_000 + 5_000, sentAt: receivedAt + 5_000 });
  });

  it('prefers originalTimestamp over an explicit timestamp for the correction', () => {
    const times = eventTimes(receivedAt, { timestamp: receivedAt - 1, originalTimestamp: receivedAt + 900, sentAt: receivedAt + 1_000 });
    expect(times.timestamp).toBe(receivedAt - 100);
  });

  it('takes an explicit timestamp as is without sentAt (historical imports), before originalTimestamp', () => {
    const historical = Date.UTC(2020, 0, 1);
    expect(eventTimes(receivedAt, { ...none, timestamp: historical }).timestamp).toBe(historical);
    expect(eventTimes(receivedAt, { ...none, timestamp: historical, originalTimestamp: historical + 5 }).timestamp).toBe(historical);
  });

  it('falls back to originalTimestamp, then to receivedAt', () => {
    expect(eventTimes(receivedAt, { ...none, originalTimestamp: receivedAt - 7 }).timestamp).toBe(receivedAt - 7);
    expect(eventTimes(receivedAt, none)).toEqual({ timestamp: receivedAt, originalTimestamp: null, sentAt: null });
    expect(eventTimes(receivedAt, { ...none, sentAt: receivedAt + 3 }).timestamp).toBe(receivedAt);
  });

  it('recovers the true event time for any receive time, clock skew, queueing delay and client offset', () => {
    const skew = fc.integer({ min: -7 * 86_400_000, max: 7 * 86_400_000 });
    const delay = fc.integer({ min: 0, max: 3 * 86_400_000 });
    fc.assert(
      fc.property(instant, skew, delay, offset, (trueTime, clockSkew, queued, off) => {
        const at = trueTime + queued; // Stratum receives it after it sat in the client's queue
        const originalTimestamp = parseIsoTimestamp(isoAt(trueTime + clockSkew, off));
        const sentAt = parseIsoTimestamp(isoAt(at + clockSkew, off));
        return eventTimes(at, { timestamp: null, originalTimestamp, sentAt }).timestamp === trueTime;
      }),
    );
  });
});
