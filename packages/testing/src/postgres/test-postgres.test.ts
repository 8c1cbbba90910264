import { withDatabase } from './test-postgres';

test('withDatabase swaps only the database of a URL', () => {
  expect(withDatabase('postgres://postgres@127.0.0.1:5432/test', 'stratum_test_ab')).toBe('postgres://postgres@127.0.0.1:5432/stratum_test_ab');
  expect(withDatabase('postgresql://u:p%40ss@db.example:6543/app?sslmode=require', 'x')).toBe('postgresql://u:p%40ss@db.example:6543/x?sslmode=require');
  expect(withDatabase('postgres://postgres@localhost', 'x')).toBe('postgres://postgres@localhost/x');
});
