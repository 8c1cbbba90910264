import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configErrorCodes } from './errors';

const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'configuration.md'), 'utf8');

it.each(Object.entries(configErrorCodes.codes))('documents %s in docs/configuration.md', (code, spec) => {
  expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| ${spec.retriable ? 'yes' : 'no'} \\| \\S`, 'm'));
});
