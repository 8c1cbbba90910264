/** docs/ingest.md is the operators' reference: every reason code, illegal value and metric must be in it, and nothing else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ILLEGAL_IDENTIFIER_VALUES } from '@stratum/identifiers';
import { INGEST_METRICS } from './metrics';
import { QUARANTINE_REASONS } from './reasons';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'ingest.md'), 'utf8');
const section = (title: string) => doc.split(/^## /m).find((s) => s.startsWith(title)) ?? '';

it('documents exactly the reason codes ingest uses, one table row each', () => {
  const rows = [...section('Reason codes').matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]);
  expect(rows.sort()).toEqual(Object.keys(QUARANTINE_REASONS).sort());
});

it('lists every illegal identifier value', () => {
  const listed = section('What is checked');
  for (const value of ILLEGAL_IDENTIFIER_VALUES) expect(listed).toContain(`\`${value}\``);
});

it.each(Object.values(INGEST_METRICS).map((m) => [m.name, m]))('documents %s with its type and labels', (_name, metric) => {
  const labels = metric.labels.length === 0 ? '—' : metric.labels.map((l) => `\`${l}\``).join(', ');
  expect(doc).toContain(`| \`${metric.name}\` | ${metric.type} | ${labels} | `);
});
