/** README.md is the operators' reference: every metric, reason and setting must be in it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';
import { retryConfig } from './config';
import { DEAD_LETTER_REASONS, FORWARD_REASONS, SKIP_REASONS } from './decide';
import { RETRY_METRICS } from './metrics';
import { INVALID_DEAD_LETTER } from './steps/index-dead-letters';
import { PURGE_SKIP_REASONS } from './steps/purge-withdrawn';

const doc = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const section = (title: string) => doc.split(/^## /m).find((s) => s.startsWith(title)) ?? '';

it.each(Object.values(RETRY_METRICS).map((m) => [m.name]))('documents the metric %s', (name) => {
  expect(section('Metrics')).toContain(`\`${name}`);
});

it.each([...SKIP_REASONS, ...FORWARD_REASONS, ...DEAD_LETTER_REASONS, INVALID_DEAD_LETTER, ...Object.values(PURGE_SKIP_REASONS)].map((r) => [r]))('documents the reason %s', (reason) => {
  expect(section('Metrics')).toContain(`\`${reason}\``);
});

it('documents every retry setting beyond the shared stage ones, with its default', () => {
  const shared = new Set(Object.keys(stageProcessFragment).filter((name) => name !== 'STAGE_GROUP_ID'));
  for (const v of describeConfig(retryConfig).filter((v) => !shared.has(v.name))) {
    const row = section('Configuration').split('\n').find((line) => line.includes(`\`${v.name}\``));
    expect([v.name, row !== undefined]).toEqual([v.name, true]);
  }
});
