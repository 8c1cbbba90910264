import { RegistryError } from '../errors';
import { parseVersion } from './params';
import { route, Router } from './router';

const ok = () => ({ json: null });
const router = new Router([
  route('GET', '/subjects', ok),
  route('GET', '/subjects/:subject/versions/:version', ok),
  route('DELETE', '/subjects/:subject/versions/:version', ok),
  route('GET', '/', ok),
]);

describe('Router', () => {
  it('matches patterns and percent-decodes segments after splitting', () => {
    const m = router.match('GET', '/subjects/a%2Fb%20c/versions/latest');
    expect(m).toMatchObject({ kind: 'found', params: { subject: 'a/b c', version: 'latest' } });
    expect(router.match('GET', '/subjects/')).toMatchObject({ kind: 'found' });
    expect(router.match('GET', '/')).toMatchObject({ kind: 'found' });
  });

  it('tells a wrong method from an unknown path', () => {
    expect(router.match('POST', '/subjects/s/versions/1')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'DELETE'] });
    expect(router.match('GET', '/subjects/s/nothing/1')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/subjects/%E0%A4%A/versions/1')).toEqual({ kind: 'not-found' });
  });
});

describe('parseVersion', () => {
  it('accepts 1..2^31-1, latest and -1; 42202 for anything else', () => {
    expect(parseVersion('latest')).toBe(-1);
    expect(parseVersion('LATEST')).toBe(-1);
    expect(parseVersion('-1')).toBe(-1);
    expect(parseVersion('7')).toBe(7);
    for (const bad of ['0', '-2', 'abc', '1.5', '2147483648', '']) {
      expect(() => parseVersion(bad)).toThrow(RegistryError);
      try {
        parseVersion(bad);
      } catch (err) {
        expect((err as RegistryError).code).toBe(42202);
      }
    }
  });
});
