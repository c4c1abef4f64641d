import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import pg from 'pg';
import { listMigrations, migratePostgres, migrateSqlite, migrationsDir } from '../../src/storage/migrate.ts';
import { openStore } from '../../src/storage/index.ts';
import { PG_URL } from './pg-url.ts';

test('both providers have the same migrations, in order, with Prisma checksums', () => {
  const sqlite = listMigrations(migrationsDir('sqlite'));
  const postgres = listMigrations(migrationsDir('postgres'));
  assert.ok(sqlite.length >= 1);
  assert.deepEqual(sqlite.map((m) => m.name), postgres.map((m) => m.name));
  assert.deepEqual(sqlite.map((m) => m.name), [...sqlite.map((m) => m.name)].sort());
  for (const m of sqlite) assert.equal(m.checksum, createHash('sha256').update(m.sql).digest('hex'));
  assert.deepEqual(listMigrations(join(tmpdir(), 'no-such-dir-mixtape')), []);
});

test('SQLite: a fresh file gets every migration once; a failing migration leaves nothing behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-migrate-'));
  try {
    const store = await openStore({ databaseUrl: `file:${join(dir, 'a.db')}` });
    await store.close();
    const client = createClient({ url: `file:${join(dir, 'a.db')}` });
    const rows = await client.execute('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    const expected = listMigrations(migrationsDir('sqlite'));
    assert.deepEqual(rows.rows.map((r) => r.migration_name), expected.map((m) => m.name));
    assert.deepEqual(rows.rows.map((r) => r.checksum), expected.map((m) => m.checksum));
    assert.deepEqual(await migrateSqlite(client, expected), [], 'idempotent');

    const bad = join(dir, 'migrations');
    mkdirSync(join(bad, '99999999999999_broken'), { recursive: true });
    writeFileSync(join(bad, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE half_done (id TEXT);\nTHIS IS NOT SQL;');
    await assert.rejects(migrateSqlite(client, listMigrations(bad)));
    const left = await client.execute(`SELECT name FROM sqlite_master WHERE name = 'half_done'`);
    assert.equal(left.rows.length, 0, 'rolled back');
    client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: migrations land in their own schema once; a failing one rolls back', async () => {
  const schema = `mixtape_mig_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const all = listMigrations(migrationsDir('postgres'));
    assert.deepEqual(await migratePostgres(client, schema, all), all.map((m) => m.name));
    assert.deepEqual(await migratePostgres(client, schema, all), [], 'idempotent');
    const tables = await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    const names = new Set(tables.rows.map((r: { table_name: string }) => r.table_name));
    for (const t of ['users', 'guilds', 'tracks', 'votes', 'personal_models', 'jobs', '_prisma_migrations']) assert.ok(names.has(t), t);

    const dir = mkdtempSync(join(tmpdir(), 'mixtape-migrate-pg-'));
    mkdirSync(join(dir, '99999999999999_broken'));
    writeFileSync(join(dir, '99999999999999_broken', 'migration.sql'), 'CREATE TABLE half_done (id TEXT);\nTHIS IS NOT SQL;');
    await assert.rejects(migratePostgres(client, schema, listMigrations(dir)));
    rmSync(dir, { recursive: true, force: true });
    const left = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'half_done'`, [schema]);
    assert.equal(left.rows.length, 0, 'rolled back');
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
});
