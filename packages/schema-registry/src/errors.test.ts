import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REGISTRY_ERRORS } from './errors';

const docs = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'schema-registry.md'), 'utf8');

describe('the error table', () => {
  it.each(Object.entries(REGISTRY_ERRORS))('documents %s in docs/schema-registry.md', (_name, { code, status }) => {
    expect(docs).toMatch(new RegExp(`^\\| ${status} \\| ${code} \\| \\S`, 'm'));
  });

  it('never uses a 5xx status for a client error (the Confluent client retries GETs on >= 500)', () => {
    const serverSide = Object.entries(REGISTRY_ERRORS).filter(([, e]) => e.status >= 500).map(([name]) => name);
    expect(serverSide.sort()).toEqual(['INTERNAL_ERROR', 'STORE_ERROR']);
  });

  it('gives every error a distinct code', () => {
    const codes = Object.values(REGISTRY_ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
