import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passwordWeakness } from './passwords';

test('passwords: at least 10 characters, not common, not a common one padded with digits or symbols', () => {
  assert.match(passwordWeakness('12345678') ?? '', /at least 10/);
  assert.match(passwordWeakness('123456789') ?? '', /at least 10/);
  for (const weak of ['1234567890', 'qwertyuiop', 'Password123', 'password-1', 'Dragon2024!', '!!football!!'])
    assert.match(passwordWeakness(weak) ?? '', /too common/, weak);
  assert.match(passwordWeakness('aaaaaaaaaaaa') ?? '', /repeated/);
  assert.match(passwordWeakness('x'.repeat(1025)) ?? '', /at most/);
  for (const fine of ['owner-password', 'correct horse battery', 'pw-3f9a1c-secret']) assert.equal(passwordWeakness(fine), null, fine);
});
