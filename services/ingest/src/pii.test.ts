import { applyPiiPolicy } from './pii';

const parts = () => ({
  properties: { email: 'ada@example.com', order_id: 'o1', nested: { email: 'kept@example.com' } },
  traits: { email: 'ada@example.com', phone: '+14155550132', plan: 'pro' },
  context: {
    ip: '203.0.113.42',
    locale: 'de-DE',
    traits: { phone: '+14155550132', first_name: 'Ada' },
    externalIds: [{ id: 'ada@example.com', type: 'email' }, { id: '003A', type: 'salesforce' }, { id: '+1415', type: ' Phone ' }],
  },
});

it('keep forwards everything as sent', () => {
  const input = parts();
  expect(applyPiiPolicy(input, 'keep')).toBe(input);
});

it('drop removes cleartext email, phone and IP, and nothing else', () => {
  const input = parts();
  expect(applyPiiPolicy(input, 'drop')).toEqual({
    properties: { order_id: 'o1', nested: { email: 'kept@example.com' } },
    traits: { plan: 'pro' },
    context: { locale: 'de-DE', traits: { first_name: 'Ada' }, externalIds: [{ id: '003A', type: 'salesforce' }] },
  });
  expect(input).toEqual(parts()); // the inputs are not modified
});

it('drop leaves objects without PII as they are', () => {
  const clean = { properties: { a: 1 }, traits: {}, context: {} };
  const out = applyPiiPolicy(clean, 'drop');
  expect(out.properties).toBe(clean.properties);
  expect(out.context).toEqual({});
});
