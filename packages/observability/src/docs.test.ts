import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_INFO_METRIC } from './metrics-registry';
import { STAGE_METRICS } from './stage-metrics';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'observability.md'), 'utf8');
const rows = [...Object.values(STAGE_METRICS), { name: BUILD_INFO_METRIC, type: 'gauge', labels: ['service', 'version'] }];

it.each(rows.map((m) => [m.name, m]))('documents %s in docs/observability.md with its type and labels', (_name, metric) => {
  const labels = metric.labels.map((l) => `\`${l}\``).join(', ');
  expect(doc).toContain(`| \`${metric.name}\` | ${metric.type} | ${labels} | `);
});
