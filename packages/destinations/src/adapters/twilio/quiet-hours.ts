/**
 * SMS quiet hours in the recipient's time zone: no texts between, say, 21:00 and 08:00 local time.
 * Time-zone arithmetic uses only Intl.DateTimeFormat (the IANA database Node ships):
 *
 * - the local wall clock of an instant comes from formatToParts;
 * - the instant of a local wall-clock time is found from the zone offset, refined once (the offset
 *   at the guess may differ from the offset at the answer across a DST change);
 * - a wall-clock time that does not exist (skipped by a spring-forward) resolves to the first
 *   instant after the gap, when the local clock has passed it.
 */

/** A daily window in local minutes after midnight; start > end wraps midnight (21:00-08:00). */
export interface QuietHours {
  readonly startMinute: number;
  readonly endMinute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM` (24 h) as minutes after midnight, or null. */
export function parseClockTime(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m === null ? null : Number(m[1]) * 60 + Number(m[2]);
}

/** The local wall clock of `instant` in `timeZone`, as if it were a UTC timestamp (ms). */
function wallClock(instant: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) + (instant % 1000 + 1000) % 1000;
}

/**
 * The first instant after `after` at which the local clock in `timeZone` reads `wall` (or has
 * passed it, when a DST gap skips it).
 */
function instantOfWallClock(wall: number, timeZone: string, after: number): number {
  const guess = wall - (wallClock(wall, timeZone) - wall);
  const refined = wall - (wallClock(guess, timeZone) - guess);
  if (wallClock(refined, timeZone) === wall) {
    // In a DST overlap the wall time happens twice (1 h apart, 30 min on Lord Howe Island): the earliest one still ahead.
    const occurrences = [refined - 3_600_000, refined - 1_800_000, refined].filter((t) => t > after && wallClock(t, timeZone) === wall);
    return occurrences[0] ?? refined;
  }
  // A gap: binary-search the transition between a time before it and a time after it.
  let lo = Math.min(guess, refined) - 3 * 3_600_000;
  let hi = Math.max(guess, refined) + 3 * 3_600_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, timeZone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * When quiet hours end, if `now` falls inside them in `timeZone`; null when sending is allowed now.
 * The window includes its start minute and excludes its end minute; start = end means no window.
 */
export function quietHoursEnd(now: number, timeZone: string, quiet: QuietHours): number | null {
  const { startMinute: start, endMinute: end } = quiet;
  if (start === end) return null;
  const wall = wallClock(now, timeZone);
  const localMidnight = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  const minute = (wall - localMidnight) / MINUTE_MS;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  // Wrapping windows entered before midnight end tomorrow; all others end today.
  const endDay = start > end && minute >= start ? localMidnight + DAY_MS : localMidnight;
  return instantOfWallClock(endDay + end * MINUTE_MS, timeZone, now);
}
