/** docs/dedup.md is the operators' reference: every metric, drop reason and setting must be in it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '@stratum/config';
import { stageProcessFragment } from '@stratum/stream';
import { dedupConfig } from './config';
import { DEDUP_METRICS } from './metrics';
import { DUPLICATE_REASONS } from './steps/claim-first-copies';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'dedup.md'), 'utf8');
const section = (title: string) => doc.split(/^## /m).find((s) => s.startsWith(title)) ?? '';

it.each(Object.values(DEDUP_METRICS).map((m) => [m.name]))('documents the metric %s', (name) => {
  expect(section('Metrics')).toContain(`\`${name}`);
});

it.each(Object.values(DUPLICATE_REASONS).map((r) => [r]))('documents the drop reason %s', (reason) => {
  expect(section('Metrics')).toContain(`\`${reason}\``);
});

it('documents every dedup setting beyond the shared stage ones, with its default', () => {
  const shared = new Set(Object.keys(stageProcessFragment));
  for (const v of describeConfig(dedupConfig).filter((v) => !shared.has(v.name))) {
    const row = section('Configuration').split('\n').find((line) => line.includes(`\`${v.name}\``));
    expect([v.name, row !== undefined]).toEqual([v.name, true]);
  }
});
