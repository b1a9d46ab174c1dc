import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { DELIVERY_FAILED, REFUSED_TARGET, sendWebhook } from './webhook-sender';
import { checkedLookup, classifyAddress, RefusedTargetError, refusedAddressReason, refusedUrlReason } from './webhook-target';

test('classifies loopback, private, link-local, metadata, CGNAT and the rest', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', 'loopback'],
    ['127.255.1.2', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['64:ff9b::a00:1', 'private'],
    ['93.184.216.34', 'public'],
    ['172.32.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['not an ip', 'reserved'],
  ];
  for (const [ip, kind] of cases) assert.equal(classifyAddress(ip), kind, ip);
});

test('webhook URLs: odd IPv4 encodings, IPv6 literals and metadata names are refused; public ones pass', () => {
  const refused = [
    'http://127.0.0.1:5432',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:169.254.169.254]/',
    'http://10.0.0.5/hook',
    'http://0.0.0.0:3000/',
    'http://localhost:3000/',
    'http://api.localhost/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'https://user:pw@example.com/',
    'ftp://example.com/',
  ];
  for (const url of refused) assert.ok(refusedUrlReason(url, false), `${url} should be refused`);
  assert.equal(refusedUrlReason('https://hooks.example.com/ferry', false), null);
  assert.equal(refusedUrlReason('http://93.184.216.34/x', false), null);
});

test('FERRY_WEBHOOK_ALLOW_PRIVATE lets loopback and private networks through, never metadata or link-local', () => {
  assert.equal(refusedUrlReason('http://127.0.0.1:8080/', true), null);
  assert.equal(refusedUrlReason('http://10.0.0.5/', true), null);
  assert.equal(refusedUrlReason('http://localhost:8080/', true), null);
  assert.ok(refusedUrlReason('http://169.254.169.254/', true));
  assert.ok(refusedUrlReason('http://[fe80::1]/', true));
  assert.ok(refusedUrlReason('http://0.0.0.0/', true));
  assert.equal(refusedAddressReason('192.168.0.10', true), null);
  assert.match(refusedAddressReason('192.168.0.10', false) ?? '', /private/);
});

test('the delivery-time lookup refuses a name that resolves to a refused address (DNS rebinding)', async () => {
  const lookupOf = (addresses: string[]) =>
    checkedLookup(async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })), false);
  const resolve = (lookup: ReturnType<typeof lookupOf>, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((done) =>
      lookup('hooks.example.com', { all }, (error, address) => done({ error, address })),
    );

  const rebound = await resolve(lookupOf(['127.0.0.1']), false);
  assert.ok(rebound.error instanceof RefusedTargetError);
  // One refused address among public ones is enough to refuse: the socket must not pick it.
  assert.ok((await resolve(lookupOf(['93.184.216.34', '169.254.169.254']), true)).error instanceof RefusedTargetError);
  const fine = await resolve(lookupOf(['93.184.216.34']), false);
  assert.equal(fine.error, null);
  assert.equal(fine.address, '93.184.216.34');
});

test('a delivery to a name resolving to loopback never connects, and the log reads the same for closed and open ports', async () => {
  let hits = 0;
  const receiver = createServer((_req, res) => {
    hits++;
    res.writeHead(204).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as { port: number }).port;
  try {
    const send = (url: string, allowPrivate: boolean) =>
      sendWebhook(url, {
        headers: { 'content-type': 'application/json' },
        body: '{}',
        timeoutMs: 2000,
        allowPrivate,
        resolveAll: async () => [{ address: '127.0.0.1', family: 4 }],
      });
    assert.deepEqual(await send(`http://rebound.example.test:${port}/`, false), { ok: false, status: null, error: REFUSED_TARGET });
    assert.deepEqual(await send(`http://127.0.0.1:${port}/`, false), { ok: false, status: null, error: REFUSED_TARGET });
    assert.equal(hits, 0, 'nothing reached the loopback receiver');
    // Allowed on-premise: the checked address is the one connected to.
    assert.deepEqual(await send(`http://rebound.example.test:${port}/`, true), { ok: true, status: 204 });
    assert.equal(hits, 1);
    const closedPort = await send('http://127.0.0.1:9/', true);
    assert.deepEqual(closedPort, { ok: false, status: null, error: DELIVERY_FAILED });
  } finally {
    await new Promise<void>((r) => receiver.close(() => r()));
  }
});
