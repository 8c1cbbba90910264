import { createHmac } from 'node:crypto';
import { twilioSignature, verifyTwilioSignature } from './twilio-signature';

// The worked example of twilio.com/docs/usage/security (auth token 12345); the expected value
// is also what twilio-node's getExpectedTwilioSignature returns for these inputs.
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
const EXPECTED = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

it("matches Twilio's documented example", () => {
  expect(twilioSignature('12345', URL_, PARAMS)).toBe(EXPECTED);
  // The same, computed straight from the documented recipe: URL, then names and values sorted by name.
  const data = URL_ + 'CallSidCA1234567890ABCDE' + 'Caller+14158675310' + 'Digits1234' + 'From+14158675310' + 'To+18005551212';
  expect(createHmac('sha1', '12345').update(data).digest('base64')).toBe(EXPECTED);
});

it('verifies the example and refuses any change to token, URL, params or signature', () => {
  expect(verifyTwilioSignature({ authToken: '12345', url: URL_, params: PARAMS, signature: EXPECTED })).toBe(true);
  expect(verifyTwilioSignature({ authToken: '12346', url: URL_, params: PARAMS, signature: EXPECTED })).toBe(false);
  expect(verifyTwilioSignature({ authToken: '12345', url: URL_.replace('https', 'http'), params: PARAMS, signature: EXPECTED })).toBe(false);
  expect(verifyTwilioSignature({ authToken: '12345', url: URL_, params: { ...PARAMS, Digits: '9999' }, signature: EXPECTED })).toBe(false);
  expect(verifyTwilioSignature({ authToken: '12345', url: URL_, params: PARAMS, signature: EXPECTED.slice(0, -1) })).toBe(false);
  expect(verifyTwilioSignature({ authToken: '12345', url: URL_, params: PARAMS, signature: '' })).toBe(false);
});

it('accepts a signature over the URL with or without the default port, as twilio-node does', () => {
  const withPort = twilioSignature('s3cr3t', 'https://example.com:443/path?test=param', {});
  expect(verifyTwilioSignature({ authToken: 's3cr3t', url: 'https://example.com/path?test=param', params: {}, signature: withPort })).toBe(true);
  const withoutPort = twilioSignature('s3cr3t', 'https://example.com/path?test=param', {});
  expect(verifyTwilioSignature({ authToken: 's3cr3t', url: 'https://example.com:443/path?test=param', params: {}, signature: withoutPort })).toBe(true);
  expect(verifyTwilioSignature({ authToken: 's3cr3t', url: 'https://example.com:8443/path?test=param', params: {}, signature: withoutPort })).toBe(false);
});

it('signs a repeated parameter once per distinct value, values sorted', () => {
  const sig = twilioSignature('t', 'https://a.example/cb', { MediaUrl: ['b', 'a', 'b'], To: '+1' });
  expect(sig).toBe(createHmac('sha1', 't').update('https://a.example/cbMediaUrlaMediaUrlbTo+1').digest('base64'));
});
