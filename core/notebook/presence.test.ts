import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PRESENCE_COLORS, presenceColor, roomColor } from './presence';

/** Euclidean distance in RGB: a crude but sufficient check that two colours are not near twins. */
function distance(a: string, b: string): number {
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const [x, y] = [rgb(a), rgb(b)];
  return Math.hypot(x[0]! - y[0]!, x[1]! - y[1]!, x[2]! - y[2]!);
}

test('the palette has no two near-identical colours', () => {
  for (const a of PRESENCE_COLORS) for (const b of PRESENCE_COLORS) if (a !== b) assert.ok(distance(a, b) > 60, `${a} vs ${b}`);
});

test('in one room, people get different colours; a second tab of the same person keeps theirs', () => {
  const taken = new Map<string, string>();
  const ids = Array.from({ length: PRESENCE_COLORS.length }, (_, i) => `user-${i}`);
  for (const id of ids) taken.set(id, roomColor(id, taken));
  assert.equal(new Set(taken.values()).size, ids.length, 'all distinct');
  assert.equal(roomColor('user-3', taken), taken.get('user-3'));
  const alone = new Map<string, string>();
  assert.equal(roomColor('someone', alone), presenceColor('someone'), 'alone, a user wears their usual colour');
});
