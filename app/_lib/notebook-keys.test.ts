import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandKeyAction, filterActions, globalKeyAction, moveSelection, NOTEBOOK_ACTIONS, type KeyLike } from './notebook-keys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

test('run keys work in both modes', () => {
  assert.equal(globalKeyAction(key('Enter', { shiftKey: true })), 'run-and-select-next');
  assert.equal(globalKeyAction(key('Enter', { ctrlKey: true })), 'run-in-place');
  assert.equal(globalKeyAction(key('Enter', { metaKey: true })), 'run-in-place');
  assert.equal(globalKeyAction(key('Enter', { altKey: true })), 'run-and-insert-below');
  assert.equal(globalKeyAction(key('P', { ctrlKey: true, shiftKey: true })), 'command-palette');
  assert.equal(globalKeyAction(key('Enter')), null);
});

test('command mode keys and chords', () => {
  const at = (k: string, mods?: Partial<KeyLike>) => commandKeyAction(key(k, mods), null, 0).action;
  assert.equal(at('a'), 'insert-above');
  assert.equal(at('b'), 'insert-below');
  assert.equal(at('m'), 'to-markdown');
  assert.equal(at('Enter'), 'enter-edit');
  assert.equal(at('ArrowDown'), 'select-down');
  assert.equal(at('j'), 'select-down');
  assert.equal(at('ArrowUp', { shiftKey: true }), 'extend-up');
  assert.equal(at('J', { shiftKey: true }), 'extend-down');
  assert.equal(at('ArrowUp', { altKey: true }), 'move-up');
  assert.equal(at('q'), null);
  const first = commandKeyAction(key('d'), null, 1000);
  assert.equal(first.action, 'pending');
  assert.equal(commandKeyAction(key('d'), first.remember, 1500).action, 'delete');
  assert.equal(commandKeyAction(key('d'), first.remember, 5000).action, 'pending', 'too slow: starts again');
  const zero = commandKeyAction(key('0'), null, 0);
  assert.equal(commandKeyAction(key('0'), zero.remember, 100).action, 'restart-kernel');
  assert.equal(commandKeyAction(key('0'), first.remember, 1100).action, 'pending', 'd then 0 is no chord');
});

test('every action has a unique id and the palette filters by words', () => {
  assert.equal(new Set(NOTEBOOK_ACTIONS.map((a) => a.id)).size, NOTEBOOK_ACTIONS.length);
  assert.deepEqual(
    filterActions(NOTEBOOK_ACTIONS, 'run next').map((a) => a.id),
    ['run-and-select-next'],
  );
  assert.ok(filterActions(NOTEBOOK_ACTIONS, 'd d').some((a) => a.id === 'delete'));
  assert.equal(filterActions(NOTEBOOK_ACTIONS, '').length, NOTEBOOK_ACTIONS.length);
});

test('selection moves, clamps and extends from its anchor', () => {
  assert.deepEqual(moveSelection(6, 0, 0, 1, false), { active: 1, anchor: 1, selected: [1] });
  assert.deepEqual(moveSelection(6, 0, 0, -1, false), { active: 0, anchor: 0, selected: [0] });
  assert.deepEqual(moveSelection(6, 2, 2, 1, true), { active: 3, anchor: 2, selected: [2, 3] });
  assert.deepEqual(moveSelection(6, 3, 2, -2, true), { active: 1, anchor: 2, selected: [1, 2] });
  assert.deepEqual(moveSelection(0, 0, 0, 1, false), { active: -1, anchor: -1, selected: [] });
});
