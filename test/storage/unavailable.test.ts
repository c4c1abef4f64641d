import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MixtapeError } from '../../src/engine/errors.ts';
import { openStore, parseDatabaseUrl, UNAVAILABLE_MESSAGE } from '../../src/storage/index.ts';
import { PG_URL } from './pg-url.ts';

const unavailable = (e: unknown) =>
  e instanceof MixtapeError && e.code === 'UNAVAILABLE' && e.message === UNAVAILABLE_MESSAGE && !/secret|127\.0\.0\.1|postgres/.test(e.message);

/** A TCP proxy to PostgreSQL that the test can pull the plug on. */
async function plugProxy(): Promise<{ port: number; unplug: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const target = new URL(PG_URL);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    unplug: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      }),
  };
}

test('PostgreSQL: a lost connection surfaces as UNAVAILABLE without connection details', async () => {
  const schema = `mixtape_lost_${randomBytes(5).toString('hex')}`;
  const proxy = await plugProxy();
  const target = new URL(PG_URL);
  target.host = `127.0.0.1:${proxy.port}`;
  target.password = 'secret-password';
  target.searchParams.set('schema', schema);
  const store = await openStore({ databaseUrl: target.toString() });
  try {
    await store.ping();
    const t = await store.createTrack({
      guildId: 'g', authorId: 'a', title: 't', genre: 'pop', bars: 4, tempo: 100, seed: 1, temperature: 1,
      instrument: 'piano', midi: new Uint8Array(4),
    });
    await proxy.unplug();
    await assert.rejects(store.ping(), unavailable);
    await assert.rejects(store.vote(t.id, 'u', 1), unavailable);
    await assert.rejects(store.leaderboard({ guildId: 'g', limit: 5 }), unavailable);
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});

test('PostgreSQL: nothing listening -> openStore rejects with UNAVAILABLE', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  await assert.rejects(openStore({ databaseUrl: `postgresql://bot:secret@127.0.0.1:${port}/test` }), unavailable);
});

test('SQLite: an unusable path rejects with UNAVAILABLE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-bad-'));
  try {
    writeFileSync(join(dir, 'a-file'), 'not a folder');
    await assert.rejects(openStore({ databaseUrl: `file:${join(dir, 'a-file', 'x.db')}` }), unavailable);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseDatabaseUrl picks the provider and keeps the schema apart', () => {
  assert.equal(parseDatabaseUrl(undefined).provider, 'sqlite');
  assert.match((parseDatabaseUrl(undefined) as { path: string }).path, /data[\\/]mixtape\.db$/);
  assert.deepEqual(parseDatabaseUrl('file:/tmp/x.db'), { provider: 'sqlite', path: '/tmp/x.db' });
  assert.deepEqual(parseDatabaseUrl('postgresql://u:p@h:5432/db?schema=abc&sslmode=disable'), {
    provider: 'postgresql',
    connectionString: 'postgresql://u:p@h:5432/db?sslmode=disable',
    schema: 'abc',
  });
  assert.equal((parseDatabaseUrl('postgres://h/db') as { schema: string }).schema, 'public');
  for (const bad of ['mysql://h/db', 'file:', 'postgresql://h/db?schema=a;drop']) {
    assert.throws(() => parseDatabaseUrl(bad), (e: unknown) => e instanceof MixtapeError && e.code === 'BAD_ARGUMENT');
  }
});
