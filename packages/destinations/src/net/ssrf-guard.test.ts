import { StratumError } from '@stratum/errors';
import type { LookupAddress } from 'node:dns';
import { assertPublicTarget, pinnedLookup, type HostResolver, type ResolvedAddress } from './ssrf-guard';

function resolvesTo(...addresses: string[]): HostResolver {
  return async () => addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
}

async function refusal(url: string, lookup: HostResolver, allowHosts: string[] = []): Promise<StratumError> {
  try {
    await assertPublicTarget(url, { lookup, allowHosts });
  } catch (err) {
    if (err instanceof StratumError) return err;
    throw err;
  }
  throw new Error(`${url} was allowed`);
}

describe('addresses a webhook host may not resolve to', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.100.100.200', 'cgnat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['169.254.10.10', 'link_local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.192', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'reserved'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['::127.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:c0a8:0101::1', 'private'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456:789a::1', 'unique_local'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'reserved'],
  ])('%s is refused as %s', async (address, kind) => {
    const err = await refusal('https://hooks.example.com/in', resolvesTo(address));
    expect(err.code).toBe('ssrf_blocked');
    expect(err.retriable).toBe(false);
    expect(err.details).toMatchObject({ host: 'hooks.example.com', address, kind });
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '::ffff:8.8.8.8', '2606:4700:4700::1111', '64:ff9b::808:808', '2a00:1450:4001:82b::200e'])(
    '%s is public',
    async (address) => {
      const target = await assertPublicTarget('https://hooks.example.com/in', { lookup: resolvesTo(address) });
      expect(target.address).toBe(address);
    },
  );
});

it('refuses a name when ANY of its addresses is private, whatever the order (DNS round-robin cannot sneak one in)', async () => {
  const err = await refusal('https://mixed.example.com/', resolvesTo('93.184.215.14', '10.0.0.7'));
  expect(err.details).toMatchObject({ address: '10.0.0.7', kind: 'private' });
});

it('checks IP literals in the URL without asking DNS, including the forms the URL parser normalises', async () => {
  const noDns: HostResolver = async () => {
    throw new Error('DNS must not be asked for an IP literal');
  };
  for (const url of ['http://127.0.0.1:8080/', 'http://[::1]/', 'http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:7f00:1]/', 'http://169.254.169.254/latest/meta-data/']) {
    expect((await refusal(url, noDns)).code).toBe('ssrf_blocked');
  }
  await expect(assertPublicTarget('https://8.8.8.8/x', { lookup: noDns })).resolves.toMatchObject({ address: '8.8.8.8', port: 443 });
});

it('allows only http and https', async () => {
  for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com/', 'javascript:alert(1)']) {
    expect((await refusal(url, resolvesTo('8.8.8.8'))).code).toBe('unsupported_scheme');
  }
  expect((await refusal('not a url', resolvesTo('8.8.8.8'))).code).toBe('invalid_url');
});

it('tells a name that does not exist from a resolver that failed (only the latter is worth a retry)', async () => {
  const failing = (code: string): HostResolver => async () => {
    throw Object.assign(new Error(code), { code });
  };
  const missing = await refusal('https://nope.example.com/', failing('ENOTFOUND'));
  expect([missing.code, missing.retriable]).toEqual(['host_not_found', false]);
  const flaky = await refusal('https://slow.example.com/', failing('EAI_AGAIN'));
  expect([flaky.code, flaky.retriable]).toEqual(['dns_lookup_failed', true]);
  expect((await refusal('https://empty.example.com/', resolvesTo())).code).toBe('host_not_found');
});

describe('the allow list, for tests and on-premise tenants', () => {
  it('allows host:port exactly, and a bare host on any port', async () => {
    const lookup = resolvesTo('127.0.0.1');
    await expect(assertPublicTarget('http://localhost:8080/hook', { lookup, allowHosts: ['localhost:8080'] })).resolves.toMatchObject({ address: '127.0.0.1', port: 8080 });
    expect((await refusal('http://localhost:9090/hook', lookup, ['localhost:8080'])).code).toBe('ssrf_blocked');
    await expect(assertPublicTarget('http://localhost:9090/hook', { lookup, allowHosts: ['localhost'] })).resolves.toMatchObject({ port: 9090 });
    await expect(assertPublicTarget('http://[::1]:8080/', { allowHosts: ['[::1]:8080'] })).resolves.toMatchObject({ hostname: '::1', family: 6 });
  });

  it('allows addresses inside an allowed CIDR and nothing else', async () => {
    await expect(assertPublicTarget('http://mock.internal/', { lookup: resolvesTo('10.20.3.4'), allowHosts: ['10.20.0.0/16'] })).resolves.toMatchObject({ address: '10.20.3.4' });
    expect((await refusal('http://mock.internal/', resolvesTo('10.21.0.1'), ['10.20.0.0/16'])).code).toBe('ssrf_blocked');
  });

  it('allowPrivate switches the range checks off (local development)', async () => {
    await expect(assertPublicTarget('http://localhost/', { lookup: resolvesTo('127.0.0.1'), allowPrivate: true })).resolves.toMatchObject({ address: '127.0.0.1' });
  });
});

it('pins the connection: the lookup it hands to net.connect answers the checked address whatever name is asked', async () => {
  const target = await assertPublicTarget('https://hooks.example.com/', { lookup: resolvesTo('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c') });
  const lookup = pinnedLookup(target);
  const single = await new Promise<[string | LookupAddress[], number | undefined]>((done) => lookup('rebound.example.com', {}, (_e, address, family) => done([address, family])));
  expect(single).toEqual(['93.184.215.14', 4]);
  const all = await new Promise<string | LookupAddress[]>((done) => lookup('hooks.example.com', { all: true }, (_e, address) => done(address)));
  expect(all).toEqual([{ address: '93.184.215.14', family: 4 }]);
});
