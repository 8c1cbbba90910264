/** Durations in milliseconds, as Kafka's *.ms configs take them, and their human form. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** retention.ms that keeps records forever. */
export const FOREVER = -1;

/** `7 d`, `1 h`, `5 min`, `30 s`, `250 ms`; -1 is `forever`. */
export function formatDuration(ms: number): string {
  if (ms === FOREVER) return 'forever';
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['min', MINUTE], ['s', SECOND]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}
