import { destinationErrors } from './errors';
import { checkCredentials, checkDeliveryPolicy, checkFilters, checkName, checkSettings, checkType, runSettingsValidator } from './validate';

/** The code and message of the destination error `run` throws. */
function refusal(run: () => unknown): [string, string] {
  try {
    run();
  } catch (err) {
    if (destinationErrors.is(err)) return [err.code, err.message];
    throw err;
  }
  throw new Error('expected a destination error');
}

test('names: trimmed; 1-63 safe characters; never shaped like an id', () => {
  expect(checkName('  Meta CAPI EU ')).toBe('Meta CAPI EU');
  expect(refusal(() => checkName(''))[0]).toBe('invalid_destination_name');
  expect(refusal(() => checkName('dst_0123456789abcdef'))[1]).toMatch(/not starting with "dst_"/);
  expect(refusal(() => checkName('x'.repeat(64)))[0]).toBe('invalid_destination_name');
});

test('types: one of the adapters', () => {
  expect(checkType('meta_capi')).toBe('meta_capi');
  expect(refusal(() => checkType('segment'))).toEqual(['unknown_destination_type', 'destination type must be one of webhook, meta_capi, ga4, tiktok, twilio_sms, pipedrive, got "segment"']);
});

test('settings: a JSON object without secret-looking keys, at most 64 KiB', () => {
  expect(checkSettings({ pixelId: '123', eventNames: { 'Order Completed': 'Purchase' } })).toEqual({ pixelId: '123', eventNames: { 'Order Completed': 'Purchase' } });
  expect(refusal(() => checkSettings([]))).toEqual(['invalid_settings', 'settings must be a JSON object']);
  expect(refusal(() => checkSettings({ url: 'https://x', accessToken: 'EAAB' }))).toEqual([
    'invalid_settings',
    'settings.accessToken looks like a secret: pass it in credentials, which are encrypted (settings are stored in cleartext)',
  ]);
  expect(refusal(() => checkSettings({ blob: 'x'.repeat(70_000) }))[0]).toBe('invalid_settings');
});

test('credentials: a non-empty JSON object', () => {
  expect(checkCredentials({ authToken: 'x' })).toEqual({ authToken: 'x' });
  for (const bad of [{}, 'token', null, ['a']]) expect(refusal(() => checkCredentials(bad))[0]).toBe('invalid_credentials');
});

test('filters: the known fields only, names trimmed and without repeats', () => {
  expect(checkFilters(undefined)).toEqual({});
  expect(checkFilters({ events: [' Order Completed', 'identify', 'Order Completed'], excludeEvents: ['page'], consentPurpose: 'marketing' })).toEqual({
    events: ['Order Completed', 'identify'],
    excludeEvents: ['page'],
    consentPurpose: 'marketing',
  });
  const cases: Array<[unknown, string]> = [
    ['events', 'filters must be a JSON object { events?, excludeEvents?, consentPurpose? }'],
    [{ event: ['a'] }, 'filters has unknown field(s) event; known: events, excludeEvents, consentPurpose'],
    [{ events: [] }, 'filters.events must be a non-empty list of event names or types (leave it out to take every event)'],
    [{ events: ['a', ''] }, 'filters.events [1] must be an event name or type of 1-200 characters, got ""'],
    [{ excludeEvents: [3] }, 'filters.excludeEvents [0] must be an event name or type of 1-200 characters, got 3'],
    [{ events: ['a', 'b'], excludeEvents: ['b'] }, 'filters both include and exclude "b"'],
    [{ consentPurpose: 'has space' }, 'filters.consentPurpose must be a consent purpose such as marketing or sms (1-64 letters, digits, \'_\', \'.\', \':\' or \'-\'), got "has space"'],
  ];
  for (const [filters, message] of cases) expect(refusal(() => checkFilters(filters))).toEqual(['invalid_filters', message]);
});

test('delivery policy: 1-100 attempts, 1 minute to 7 days; nothing set is null', () => {
  expect(checkDeliveryPolicy({ maxAttempts: 5, maxAgeSeconds: 4 * 3600 })).toEqual({ maxAttempts: 5, maxAgeSeconds: 14_400 });
  expect(checkDeliveryPolicy({})).toBeNull();
  expect(checkDeliveryPolicy(null)).toBeNull();
  expect(refusal(() => checkDeliveryPolicy({ maxAttempts: 0 }))).toEqual(['invalid_delivery_policy', 'deliveryPolicy.maxAttempts must be a whole number from 1 to 100, got 0']);
  expect(refusal(() => checkDeliveryPolicy({ maxAgeSeconds: 8 * 86_400 }))[1]).toMatch(/from 60 to 604800 seconds/);
  expect(refusal(() => checkDeliveryPolicy({ retries: 3 }))[0]).toBe('invalid_delivery_policy');
});

test("the caller's type check: its problems become one invalid_settings listing them all", async () => {
  await expect(runSettingsValidator(undefined, 'ga4', {}, null)).resolves.toBeUndefined();
  await expect(runSettingsValidator(() => [], 'ga4', {}, null)).resolves.toBeUndefined();
  const err = await runSettingsValidator(async () => ['measurementId is required', 'apiSecret is required'], 'ga4', {}, null).catch((e: unknown) => e);
  expect(destinationErrors.is(err, 'invalid_settings')).toBe(true);
  expect((err as Error).message).toBe('invalid ga4 settings: measurementId is required; apiSecret is required');
});
