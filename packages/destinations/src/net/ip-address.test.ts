import fc from 'fast-check';
import { inCidr, parseCidr, parseIp } from './ip-address';

function hex(text: string): string {
  const ip = parseIp(text);
  return ip === null ? 'null' : Buffer.from(ip.bytes).toString('hex');
}

it.each([
  ['::1', '00000000000000000000000000000001'],
  ['0:0::1', '00000000000000000000000000000001'],
  ['0:0:0:0:0:0:0:1', '00000000000000000000000000000001'],
  ['::', '00000000000000000000000000000000'],
  ['::ffff:10.0.0.1', '00000000000000000000ffff0a000001'],
  ['::ffff:a00:1', '00000000000000000000ffff0a000001'],
  ['fe80::1%eth0', 'fe800000000000000000000000000001'],
  ['[2001:db8::ff]', '20010db80000000000000000000000ff'],
  ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ['1:2:3:4:5:6:1.2.3.4', '00010002000300040005000601020304'],
  ['127.0.0.1', '7f000001'],
  ['255.255.255.255', 'ffffffff'],
])('parses %s', (text, bytes) => {
  expect(hex(text)).toBe(bytes);
});

it.each(['', '1.2.3', '1.2.3.4.5', '256.0.0.1', '01.2.3.4', '0x7f.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8', 'example.com', '::1.2.3'])(
  'refuses %j',
  (text) => {
    expect(parseIp(text)).toBeNull();
  },
);

it('matches CIDR prefixes bit by bit, never across families', () => {
  const cgnat = parseCidr('100.64.0.0/10')!;
  expect(inCidr(parseIp('100.64.0.0')!, cgnat)).toBe(true);
  expect(inCidr(parseIp('100.127.255.255')!, cgnat)).toBe(true);
  expect(inCidr(parseIp('100.128.0.0')!, cgnat)).toBe(false);
  expect(inCidr(parseIp('::ffff:100.64.0.1')!, cgnat)).toBe(false);
  expect(parseCidr('10.0.0.0/33')).toBeNull();
  expect(parseCidr('::/129')).toBeNull();
  expect(inCidr(parseIp('8.8.8.8')!, parseCidr('0.0.0.0/0')!)).toBe(true);
});

it('reads every IPv4 address node prints, and its IPv4-mapped IPv6 form, to the same bytes', () => {
  fc.assert(
    fc.property(fc.ipV4(), (text) => {
      const v4 = parseIp(text)!;
      const mapped = parseIp(`::ffff:${text}`)!;
      expect(Buffer.from(mapped.bytes.subarray(12)).equals(Buffer.from(v4.bytes))).toBe(true);
    }),
  );
});

it('reads every IPv6 text form fast-check generates without throwing, and agrees on equality with the expanded form', () => {
  fc.assert(
    fc.property(fc.ipV6(), (text) => {
      const ip = parseIp(text);
      expect(ip).not.toBeNull();
      const groups: string[] = [];
      for (let i = 0; i < 16; i += 2) groups.push(((ip!.bytes[i]! << 8) | ip!.bytes[i + 1]!).toString(16));
      expect(hex(groups.join(':'))).toBe(Buffer.from(ip!.bytes).toString('hex'));
    }),
  );
});
