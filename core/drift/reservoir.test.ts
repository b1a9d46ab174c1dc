import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Reservoir } from './reservoir';

test('keeps everything until full, then exactly capacity values', () => {
  const r = new Reservoir(5, 1);
  r.offerAll([5, 3, 1]);
  assert.deepEqual(Array.from(r.sorted()), [1, 3, 5]);
  r.offerAll([9, 8, 7, 6, 4, 2, 0]);
  assert.equal(r.sorted().length, 5);
});

test('every position is equally likely to be kept (early, middle and late)', () => {
  const N = 5000;
  const k = 50;
  const runs = 400;
  const perTenth = new Array<number>(10).fill(0);
  for (let seed = 1; seed <= runs; seed++) {
    const r = new Reservoir(k, seed);
    for (let i = 0; i < N; i++) r.offer(i);
    for (const v of r.sorted()) perTenth[Math.floor((v * 10) / N)]!++;
  }
  const expected = (runs * k) / 10;
  for (const [i, c] of perTenth.entries())
    assert.ok(Math.abs(c - expected) < expected * 0.1, `tenth ${i}: ${c} kept, expected about ${expected}`);
});
