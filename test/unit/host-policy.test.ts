import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkHost } from '../../security/host-check';
import { refusedAddresses, refusedHost } from '../../security/host-policy';

const strict = { allowLoopback: false };
const local = { allowLoopback: true };

/** The refusal for an address a name resolved to, or 'allowed'. */
const verdict = (address: string, policy = strict) => refusedAddresses('files.example.org', [address], policy) ?? 'allowed';

describe('outbound address policy', () => {
  const alwaysRefused: [string, RegExp][] = [
    ['169.254.169.254', /link-local/],
    ['169.254.0.1', /link-local/],
    ['169.254.255.255', /link-local/],
    ['169.254.170.2', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['0.255.255.255', /unspecified/],
    ['100.100.100.200', /Alibaba/],
    ['168.63.129.16', /Azure/],
    ['::', /unspecified/],
    ['fe80::1', /link-local/],
    ['fe80::a9fe:a9fe', /link-local/],
    ['febf:ffff::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['fe80::%eth0', /link-local/],
    ['FE80::1', /link-local/],
    ['fd00:ec2::254', /AWS/],
    ['fd20:ce::254', /Google/],
  ];
  for (const [address, what] of alwaysRefused) {
    it(`refuses ${address}, even where loopback is allowed`, () => {
      assert.match(verdict(address, local), what);
    });
  }

  const mapped: [string, RegExp][] = [
    ['::ffff:169.254.169.254', /link-local.*IPv4-mapped/],
    ['::ffff:a9fe:a9fe', /link-local.*IPv4-mapped/],
    ['0:0:0:0:0:ffff:169.254.169.254', /link-local.*IPv4-mapped/],
    ['::ffff:0.0.0.0', /unspecified/],
    ['::ffff:100.100.100.200', /Alibaba/],
    ['64:ff9b::169.254.169.254', /link-local.*NAT64/],
    ['64:ff9b::a9fe:a9fe', /link-local.*NAT64/],
  ];
  for (const [address, what] of mapped) {
    it(`refuses the IPv6 form ${address} of a refused IPv4 address`, () => {
      assert.match(verdict(address, local), what);
    });
  }

  const neighbours = ['169.253.255.255', '169.255.0.0', '1.0.0.0', 'fec0::1', 'fe7f::1', 'fd00:ec2::253', '::ffff:169.255.0.1', '64:ff9b::8.8.8.8'];
  for (const address of neighbours) {
    it(`allows ${address}, just outside a refused range`, () => {
      assert.equal(verdict(address), 'allowed');
    });
  }

  const districtServers = ['10.1.2.3', '172.16.0.10', '192.168.1.20', '100.64.0.5', '203.0.113.7', 'fd12:3456:789a::10', '2001:db8::25'];
  for (const address of districtServers) {
    it(`allows the public or private address ${address}`, () => {
      assert.equal(verdict(address), 'allowed');
    });
  }

  const loopback = ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1'];
  for (const address of loopback) {
    it(`refuses the loopback address ${address} unless loopback is allowed`, () => {
      assert.match(verdict(address), /loopback.*does not allow/);
      assert.equal(verdict(address, local), 'allowed');
    });
  }

  it('names the host and the address it resolved to', () => {
    assert.equal(verdict('169.254.169.254'), 'files.example.org resolves to 169.254.169.254, a link-local address, where cloud metadata services answer');
  });

  it('refuses a host when any one of its addresses is refused', () => {
    assert.match(refusedAddresses('files.example.org', ['203.0.113.7', '2001:db8::25', '169.254.169.254'], strict) ?? '', /169\.254\.169\.254/);
  });

  it('refuses an IP literal host by its address', () => {
    assert.equal(refusedHost('169.254.169.254', local), '169.254.169.254 is a link-local address, where cloud metadata services answer');
    assert.equal(refusedHost('10.0.0.5', strict), undefined);
  });

  for (const name of ['metadata', 'metadata.google.internal', 'METADATA.Google.Internal', 'metadata.google.internal.', 'instance-data', 'instance-data.ec2.internal']) {
    it(`refuses the cloud metadata host name ${name}, even where loopback is allowed`, () => {
      assert.match(refusedHost(name, local) ?? 'allowed', /metadata host name/);
    });
  }

  for (const name of ['localhost', 'LOCALHOST', 'ip6-localhost', 'files.localhost']) {
    it(`refuses the loopback host name ${name} unless loopback is allowed`, () => {
      assert.match(refusedHost(name, strict) ?? 'allowed', /loopback host name/);
      assert.equal(refusedHost(name, local), undefined);
    });
  }

  for (const name of ['files.example.org', 'metadata.example.org', 'my-instance-data', 'localhost.example.org']) {
    it(`allows the ordinary host name ${name}`, () => {
      assert.equal(refusedHost(name, strict), undefined);
    });
  }
});

describe('checking a host through DNS', () => {
  const resolvesTo = (...addresses: string[]) => async () => addresses;

  it('checks every address the name resolves to', async () => {
    const check = await checkHost('files.example.org', strict, 1000, resolvesTo('203.0.113.7', 'fd00:ec2::254'));
    assert.equal(check.kind, 'refused');
  });

  it('gives the addresses to connect to when all are allowed', async () => {
    assert.deepEqual(await checkHost('files.example.org', strict, 1000, resolvesTo('203.0.113.7', '2001:db8::25')), { kind: 'allowed', addresses: ['203.0.113.7', '2001:db8::25'] });
  });

  it('refuses a metadata name without looking it up', async () => {
    let looked = false;
    const check = await checkHost('metadata.google.internal', local, 1000, async () => ((looked = true), ['203.0.113.7']));
    assert.deepEqual([check.kind, looked], ['refused', false]);
  });

  it('reports a name that does not resolve as unresolved', async () => {
    const check = await checkHost('no-such-host.invalid', strict, 5000);
    assert.deepEqual([check.kind, check.kind === 'unresolved' && check.timedOut], ['unresolved', false]);
  });

  it('reports a lookup that does not answer in time as timed out', async () => {
    const check = await checkHost('files.example.org', strict, 20, () => new Promise<string[]>(() => {}));
    assert.deepEqual([check.kind, check.kind === 'unresolved' && check.timedOut], ['unresolved', true]);
  });

  it('resolves with the system resolver: a numeric form of 127.0.0.1 is loopback', async () => {
    assert.equal((await checkHost('127.1', strict, 5000)).kind, 'refused');
    assert.deepEqual(await checkHost('127.1', local, 5000), { kind: 'allowed', addresses: ['127.0.0.1'] });
  });
});
