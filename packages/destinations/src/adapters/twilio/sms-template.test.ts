import { renderTemplate, unknownPlaceholders } from './sms-template';

const scope = {
  traits: { first_name: 'Ada', address: { city: 'London' }, vip: true, tags: ['a'] },
  properties: { order_id: 'ord-1', total: 89.97, note: '{{traits.first_name}}' },
  event: 'Order Shipped',
};

it('fills traits, properties and the event name', () => {
  expect(renderTemplate('Hi {{traits.first_name}}, {{ event }}: {{properties.order_id}} ({{properties.total}} EUR) to {{traits.address.city}}', scope)).toBe(
    'Hi Ada, Order Shipped: ord-1 (89.97 EUR) to London',
  );
});

it('renders missing values, objects and arrays as nothing', () => {
  expect(renderTemplate('[{{traits.last_name}}][{{traits.address}}][{{traits.tags}}][{{traits}}]', scope)).toBe('[][][][]');
  expect(renderTemplate('{{traits.vip}}', scope)).toBe('true');
});

it('never expands a value that looks like a placeholder, and walks own properties only', () => {
  expect(renderTemplate('{{properties.note}}', scope)).toBe('{{traits.first_name}}');
  expect(renderTemplate('{{traits.__proto__}}{{traits.constructor.name}}{{properties.toString}}', scope)).toBe('');
});

it('writes a literal {{ for {{{{ and leaves other braces alone', () => {
  expect(renderTemplate('{{{{traits.first_name}} {a} }}', scope)).toBe('{{traits.first_name}} {a} }}');
});

it('finds placeholders with an unknown root', () => {
  expect(unknownPlaceholders('{{traits.a}} {{context.ip}} {{event}} {{profile.email}}')).toEqual(['context.ip', 'profile.email']);
});
