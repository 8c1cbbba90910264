import { InvalidArgumentError } from 'commander';
import { dedupWindow, dedupWindowSeconds, describeDedupWindow } from './commands/source-flags';
import { duration, formatDuration } from './flags';

test('duration reads s, m, h, d (bare numbers are seconds); formatDuration writes it back', () => {
  expect(['0', '90', '90s', '15m', '24h', '7d', ' 2 D '].map(duration)).toEqual([0, 90, 90, 900, 86_400, 604_800, 172_800]);
  for (const bad of ['', 'soon', '1.5h', '-5m', '7w']) expect(() => duration(bad)).toThrow(InvalidArgumentError);
  expect([59, 60, 90, 5400, 7200, 86_400, 90_000, 7_776_000].map(formatDuration)).toEqual(['59s', '1m', '90s', '90m', '2h', '1d', '25h', '90d']);
  for (const s of [60, 61, 3600, 5400, 604_800]) expect(duration(formatDuration(s))).toBe(s);
});

test('--dedup-window: a duration from 1m to 90d, or default (commander cannot carry a null)', () => {
  expect(dedupWindow('1m')).toBe(60);
  expect(dedupWindow('90d')).toBe(7_776_000);
  expect(dedupWindow('Default')).toBe('default');
  expect(dedupWindowSeconds('default')).toBeNull();
  expect(dedupWindowSeconds(3600)).toBe(3600);
  for (const bad of ['59s', '91d', '0', 'soon', '']) expect(() => dedupWindow(bad)).toThrow(/must be a duration from 1m to 90d \(e\.g\. 30m, 24h, 7d\) or "default"/);
  expect([null, 604_800].map(describeDedupWindow)).toEqual(['inherit', '7d']);
});
