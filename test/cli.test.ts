import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../src/cli/main.ts';

test('unknown command exits 2 with a one-line error', async () => {
  const errors: string[] = [];
  const orig = console.error;
  console.error = (m: string) => errors.push(m);
  try {
    assert.equal(await main(['no-such-command']), 2);
  } finally {
    console.error = orig;
  }
  assert.match(errors.join('\n'), /unknown command "no-such-command"/);
});
