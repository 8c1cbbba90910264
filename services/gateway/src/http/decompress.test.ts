import { gzipSync } from 'node:zlib';
import { Refusal } from './errors';
import { decompress, parseContentEncoding } from './decompress';

describe('parseContentEncoding', () => {
  it('reads the codings in the order they were applied, ignoring identity and case', () => {
    expect(parseContentEncoding(undefined)).toEqual([]);
    expect(parseContentEncoding('identity')).toEqual([]);
    expect(parseContentEncoding('GZip, identity, br')).toEqual(['gzip', 'br']);
    expect(parseContentEncoding('x-gzip')).toEqual(['gzip']);
  });

  it('refuses anything else with unsupported_encoding', () => {
    const result = parseContentEncoding('gzip, compress');
    expect(result).toBeInstanceOf(Refusal);
    expect((result as Refusal).code).toBe('unsupported_encoding');
  });
});

describe('decompress', () => {
  it('allows exactly the limit and refuses one byte more', () => {
    const body = gzipSync(Buffer.alloc(1000, 0x61));
    expect((decompress(body, ['gzip'], 1000) as Buffer).length).toBe(1000);
    // One byte over is still inflated completely, so its size is exact; more stops at limit + 1.
    expect(decompress(body, ['gzip'], 999)).toMatchObject({ code: 'batch_too_large', details: { limit: 999, size: 1000 } });
    expect(decompress(body, ['gzip'], 998)).toMatchObject({ code: 'batch_too_large', details: { limit: 998, size: 999, sizeIsLowerBound: true } });
  });
});
