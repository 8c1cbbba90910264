import { queryParameter, signedUrl } from './signed-url';

const PATH = '/v1/webhooks/twilio/ten_1?stratum_key=msg_abc';

it('puts the public origin before the path and query as received', () => {
  expect(signedUrl('https://events.example.com', { pathAndQuery: PATH, headers: { host: '10.0.0.7:8080' }, encrypted: false })).toBe(`https://events.example.com${PATH}`);
  expect(signedUrl('https://example.com/stratum/', { pathAndQuery: PATH, headers: {}, encrypted: false })).toBe(`https://example.com/stratum${PATH}`);
});

it('without a public URL, rebuilds the URL as received', () => {
  expect(signedUrl(null, { pathAndQuery: PATH, headers: { host: 'gw.local:8080' }, encrypted: false })).toBe(`http://gw.local:8080${PATH}`);
  expect(signedUrl(null, { pathAndQuery: PATH, headers: { host: 'gw.local' }, encrypted: true })).toBe(`https://gw.local${PATH}`);
  expect(signedUrl(null, { pathAndQuery: PATH, headers: { host: 'gw.example', 'x-forwarded-proto': 'https, http' }, encrypted: false })).toBe(`https://gw.example${PATH}`);
  expect(signedUrl(null, { pathAndQuery: PATH, headers: { host: 'gw.example', 'x-forwarded-proto': 'gopher' }, encrypted: false })).toBe(`http://gw.example${PATH}`);
});

it('reads one query parameter', () => {
  expect(queryParameter(PATH, 'stratum_key')).toBe('msg_abc');
  expect(queryParameter(PATH, 'other')).toBeUndefined();
  expect(queryParameter('/v1/webhooks/twilio/ten_1', 'stratum_key')).toBeUndefined();
});
