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

test('web settings: port, public URL, session secret; bad values are named without being echoed', async () => {
  const { loadConfig } = await import('../../src/config.ts');
  const c = loadConfig({ WEB_PORT: '8080', WEB_URL: 'https://mixtape.example.org/', SESSION_SECRET: 's'.repeat(40), DISCORD_CLIENT_SECRET: 'cs' });
  assert.deepEqual(c.web, { port: 8080, publicUrl: 'https://mixtape.example.org', sessionSecret: 's'.repeat(40), clientSecret: 'cs', oauthAuthorizeUrl: 'https://discord.com/oauth2/authorize' });
  assert.equal(loadConfig({}).web.port, undefined, 'no web pages unless asked');
  assert.throws(() => loadConfig({ WEB_PORT: '99999', SESSION_SECRET: 'tooshort-secret' }), (e: Error) =>
    /WEB_PORT must be a port/.test(e.message) && /SESSION_SECRET must be at least 32/.test(e.message) && !e.message.includes('tooshort-secret'));
});

test('`mixtape web` serves the pages alone and stops cleanly on SIGTERM', async () => {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-web-cli-'));
  const child = spawn(process.execPath, ['bin/mixtape.js', 'web', '--port', '0'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, DATABASE_URL: `file:${join(dir, 'web.db')}`, LOG_LEVEL: 'silent', WEB_URL: '', WEB_PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no address printed: ${out}`)), 20000);
      child.stdout.on('data', (d) => {
        out += d;
        const m = /pages at (http:\/\/\S+)/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[1]); }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    assert.deepEqual(await (await fetch(`${url}/healthz`)).json(), { ok: true });
    const home = await fetch(`${url}/`);
    assert.match(await home.text(), /\/mixtape top/);
    const gone = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await gone, 0);
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
