/**
 * Every API's request decoder against random bytes: it either decodes or throws
 * MalformedFrameError — never another exception, never a hang, never a huge allocation.
 */
import fc from 'fast-check';
import { buildApiTable } from '../apis';
import { MalformedFrameError, Reader } from './reader';

const apis = [...buildApiTable().values()];

describe.each(apis.map((api) => [api.name, api] as const))('%s decoder', (_name, api) => {
  it('decodes or rejects random bytes cleanly at every advertised version', () => {
    fc.assert(
      fc.property(fc.integer({ min: api.minVersion, max: api.maxVersion }), fc.uint8Array({ maxLength: 200 }), (version, bytes) => {
        try {
          api.decode(new Reader(Buffer.from(bytes)), version);
        } catch (err) {
          expect(err).toBeInstanceOf(MalformedFrameError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects array counts larger than the frame at once', () => {
    // A count of 2^31-1 right where the first array starts must fail fast, not allocate.
    const lying = Buffer.alloc(64, 0x7f);
    const started = Date.now();
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      try {
        api.decode(new Reader(lying), v);
      } catch (err) {
        expect(err).toBeInstanceOf(MalformedFrameError);
      }
    }
    expect(Date.now() - started).toBeLessThan(500);
  });
});
