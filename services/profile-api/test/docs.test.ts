/**
 * docs/profile-api.md against the code: every error code with its status, every metric with its
 * type and labels, every config variable. Fails when one side changes without the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeConfig } from '@stratum/config';
import { profileApiConfig } from '../src/config';
import { API_ERROR_CODES, statusOf } from '../src/http/errors';
import { PROFILE_API_METRICS } from '../src/metrics';
import { PROFILE_ROUTES } from '../src/routes';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'profile-api.md'), 'utf8');

/** The table rows of the section headed `## <title>`, as arrays of trimmed cells. */
function tableRows(title: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (section === undefined) throw new Error(`docs/profile-api.md has no "## ${title}" section`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('|---'))
    .slice(1)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

it('lists every error code with its status, and no other', () => {
  const documented = tableRows('Error codes').map(([status, code]) => `${status} ${code}`);
  expect(documented.sort()).toEqual(API_ERROR_CODES.map((code) => `${statusOf(code)} \`${code}\``).sort());
});

it('lists every metric with its type and labels', () => {
  const documented = tableRows('Metrics').map(([name, type, labels]) => `${name} ${type} ${labels}`);
  const expected = Object.values(PROFILE_API_METRICS).map((m) => `\`${m.name}\` ${m.type} ${m.labels.map((l) => `\`${l}\``).join(', ')}`);
  expect(documented.sort()).toEqual(expected.sort());
});

it('lists every config variable with its default', () => {
  const documented = tableRows('Configuration').map(([name, value]) => `${name} ${value}`);
  // Optional without a default (the credential keys): `unset`, as docs/configuration.md writes it.
  const value = (v: { required: boolean; default: unknown }) => (v.required ? 'required' : v.default === undefined ? 'unset' : `\`${String(v.default)}\``);
  const expected = describeConfig(profileApiConfig).map((v) => `\`${v.name}\` ${value(v)}`);
  expect(documented.sort()).toEqual(expected.sort());
});

it('lists every endpoint', () => {
  const documented = tableRows('Endpoints').map(([endpoint]) => endpoint!.replace(/^`|`$/g, '').split('?')[0]);
  for (const route of PROFILE_ROUTES) expect(documented).toContain(`${route.method} ${route.path}`);
});
