/**
 * docs/gateway.md against the code: every error code with its status, every metric with its type
 * and labels, every config variable. Fails when one side changes without the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '@stratum/config';
import { gatewayConfig } from '../src/config';
import { GATEWAY_ERROR_CODES, statusOf } from '../src/http/errors';
import { GATEWAY_METRICS } from '../src/metrics/gateway-metrics';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'gateway.md'), 'utf8');

/** The table rows of the section headed `## <title>`, as arrays of trimmed cells. */
function tableRows(title: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (section === undefined) throw new Error(`docs/gateway.md has no "## ${title}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .slice(1)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

it('lists every error code with its status, and no other', () => {
  const rows = tableRows('Error codes');
  const documented = rows.map(([status, code]) => `${status} ${code}`);
  expect(documented.sort()).toEqual(GATEWAY_ERROR_CODES.map((code) => `${statusOf(code)} \`${code}\``).sort());
});

it('lists every metric with its type and labels', () => {
  const rows = tableRows('Metrics');
  const documented = rows.map(([name, type, labels]) => `${name} ${type} ${labels}`.trim());
  const expected = Object.values(GATEWAY_METRICS).map((m) => `\`${m.name}\` ${m.type} ${m.labels.map((l) => `\`${l}\``).join(', ')}`.trim());
  expect(documented.sort()).toEqual(expected.sort());
});

it('lists every config variable', () => {
  const documented = tableRows('Configuration').map(([name]) => name);
  expect(documented.sort()).toEqual(describeConfig(gatewayConfig).map((v) => `\`${v.name}\``).sort());
});
