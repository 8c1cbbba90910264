/**
 * Event times: ISO-8601 text as the client sent it → UTC epoch milliseconds, and the event time
 * corrected for the client's clock skew the way Segment computes it (docs/ingest.md, "Timestamps").
 */

/**
 * ISO-8601 extended format: a date, optionally a time (minutes, seconds and a fraction of any
 * length, `.` or `,`), optionally an offset (Z, ±hh, ±hhmm, ±hh:mm). `T`, `t` or a space between
 * date and time (RFC 3339 allows the space; SQL exports write it). Date.parse is not used: it also
 * accepts "March 7, 2024" and reads an offset-less time in the server's own zone.
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/**
 * Epoch ms (UTC) of an ISO-8601 date-time, or null when it is not one. A time without an offset
 * is read as UTC (what `datetime.utcnow().isoformat()` and many exports mean); a date alone is
 * midnight UTC. Fractions beyond milliseconds are truncated.
 */
export function parseIsoTimestamp(text: string): number | null {
  const m = ISO_8601.exec(text.trim());
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  const ms = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  // 24:00 and leap seconds (:60) are ISO-8601 but no clock we compare with has them.
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11] ?? 0)];
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime() - offsetMinutes * 60_000;
}

/** The parsed client times of an event (null where not sent). */
export interface ClientTimes {
  readonly timestamp: number | null;
  readonly originalTimestamp: number | null;
  readonly sentAt: number | null;
}

/** What goes into events.valid: the corrected event time and the client's own clock readings. */
export interface EventTimes {
  readonly timestamp: number;
  readonly originalTimestamp: number | null;
  readonly sentAt: number | null;
}

/**
 * Segment's rule. The client's clock reading of the event is `originalTimestamp`, or else an
 * explicitly set `timestamp` (Segment: "you can manually set the timestamp field. This change
 * updates the originalTimestamp field"). With `sentAt` (the client's clock when it sent the
 * batch) the skew is `sentAt − receivedAt`, so the event time is `receivedAt − (sentAt − reading)`.
 * Without `sentAt` the reading is taken as is: an explicit `timestamp` first (historical imports),
 * then `originalTimestamp`. With neither, the event happened when Stratum received it.
 */
export function eventTimes(receivedAt: number, client: ClientTimes): EventTimes {
  const reading = client.originalTimestamp ?? client.timestamp;
  const timestamp =
    client.sentAt !== null && reading !== null ? receivedAt - (client.sentAt - reading) : (client.timestamp ?? client.originalTimestamp ?? receivedAt);
  return { timestamp, originalTimestamp: reading, sentAt: client.sentAt };
}
