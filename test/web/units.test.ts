/** Web pieces without a browser: range requests, session cookie packing, safe redirects, the benchmark's own run. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRange } from '../../src/web/ranges.ts';
import { packIds, safeNext, unpackIds } from '../../src/web/auth.ts';
import { benchWeb } from '../../src/web/bench.ts';
import { esc } from '../../src/web/html.ts';

test('range headers: first bytes, open end, suffix, past the end', () => {
  assert.deepEqual(parseRange('bytes=0-99', 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange('bytes=500-', 1000), { start: 500, end: 999 });
  assert.deepEqual(parseRange('bytes=-100', 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange('bytes=900-5000', 1000), { start: 900, end: 999 });
  assert.equal(parseRange('bytes=1000-', 1000), 'invalid');
  assert.equal(parseRange('bytes=5-2', 1000), 'invalid');
  assert.equal(parseRange('items=0-1', 1000), 'invalid');
  assert.equal(parseRange(undefined, 1000), null);
});

test('server ids pack into 8 bytes each; redirects after login stay on this site', () => {
  const ids = ['81384788765712384', '1180000000000000000', '123456'];
  assert.deepEqual(unpackIds(packIds(ids)), ids);
  assert.ok(packIds(Array(200).fill('1180000000000000000')).length < 2200, '200 servers fit a cookie');
  assert.equal(safeNext('/g/123?period=week'), '/g/123?period=week');
  for (const bad of ['//evil.example', 'https://evil.example', '/\\evil', 42, undefined]) assert.equal(safeNext(bad), '/');
  assert.equal(esc('<a href="x">'), '&lt;a href=&quot;x&quot;&gt;');
});

test('the web benchmark fills the database it says and times real pages', async () => {
  const r = await benchWeb({ tracks: 300, requests: 12 });
  assert.equal(r.tracks, 300);
  assert.ok(r.votes > 600 && r.votes < 1000, `${r.votes} votes`);
  assert.ok(r.medianMs > 0 && r.p95Ms >= r.medianMs && r.trackPageMedianMs > 0 && r.cpuMedianMs > 0);
});
