import { writeKeyFromAuthorization } from './auth';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('writeKeyFromAuthorization', () => {
  it('takes the user name of Basic credentials, with or without the colon and password', () => {
    expect(writeKeyFromAuthorization(basic('wk_abc:'))).toBe('wk_abc');
    expect(writeKeyFromAuthorization(basic('wk_abc'))).toBe('wk_abc');
    expect(writeKeyFromAuthorization(basic('wk_abc:ignored'))).toBe('wk_abc');
    expect(writeKeyFromAuthorization(`basic ${Buffer.from('wk_abc:').toString('base64')}`)).toBe('wk_abc');
  });

  it('finds no key in other schemes, empty user names or no header', () => {
    expect(writeKeyFromAuthorization(undefined)).toBeNull();
    expect(writeKeyFromAuthorization('Bearer wk_abc')).toBeNull();
    expect(writeKeyFromAuthorization(basic(':password'))).toBeNull();
    expect(writeKeyFromAuthorization('Basic ')).toBeNull();
  });
});
