import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foreignOriginReason } from './same-origin';

const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;

test('same-origin requests and clients without Origin pass; other origins and sites do not', () => {
  assert.equal(foreignOriginReason(headers({ host: '127.0.0.1:3000' }), undefined), null);
  assert.equal(foreignOriginReason(headers({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }), undefined), null);
  assert.equal(
    foreignOriginReason(headers({ host: '10.0.0.1:3000', origin: 'https://ferry.example.com' }), 'https://ferry.example.com'),
    null,
  );
  assert.equal(foreignOriginReason(headers({ host: 'a:1', 'sec-fetch-site': 'same-origin', origin: 'http://a:1' }), undefined), null);
  // Another port of the same host is another origin (and "same-site" to the browser).
  assert.match(
    foreignOriginReason(headers({ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:4000' }), undefined) ?? '',
    /another origin/,
  );
  assert.match(foreignOriginReason(headers({ host: '127.0.0.1:3000', 'sec-fetch-site': 'same-site' }), undefined) ?? '', /same-site/);
  assert.match(foreignOriginReason(headers({ host: 'a:1', origin: 'null' }), undefined) ?? '', /another origin/);
  assert.match(
    foreignOriginReason(headers({ host: 'a:1', 'sec-fetch-site': 'cross-site', origin: 'http://a:1' }), undefined) ?? '',
    /cross-site/,
  );
});
