/**
 * Opening the store: the database URL picks SQLite (default, a file under data/) or
 * PostgreSQL; pending migrations are applied before the Store is handed out.
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MixtapeError } from '../engine/errors.ts';
import { guard, toStoreError } from './errors.ts';
import { listMigrations, migratePostgres, migrateSqlite, migrationsDir } from './migrate.ts';
import { createPrismaStore, type AnyPrismaClient } from './prisma-store.ts';
import type { OpenStoreOptions, Store } from './types.ts';
import { STORE_CALL_TIMEOUT_MS, withCallTimeouts } from './timeouts.ts';

export type * from './types.ts';
export { UNAVAILABLE_MESSAGE } from './errors.ts';
export { withTimeout, STORE_CALL_TIMEOUT_MS } from './timeouts.ts';

/** Where the SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL('../../data/mixtape.db', import.meta.url));

export type DatabaseTarget =
  | { provider: 'sqlite'; path: string }
  | { provider: 'postgresql'; connectionString: string; schema: string };

/**
 * Which database a URL names. `file:` paths are relative to the working directory.
 * @example parseDatabaseUrl(undefined) // { provider: 'sqlite', path: '<project>/data/mixtape.db' }
 * @example parseDatabaseUrl('postgresql://u@h/db?schema=x') // { provider: 'postgresql', connectionString: 'postgresql://u@h/db', schema: 'x' }
 */
export function parseDatabaseUrl(url: string | undefined): DatabaseTarget {
  const text = (url ?? '').trim();
  if (text === '') return { provider: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (text.startsWith('file:')) {
    const raw = decodeURIComponent(text.slice('file:'.length).replace(/^\/\/(?=\/)/, '').split('?')[0] ?? '');
    if (raw === '') throw badUrl();
    return { provider: 'sqlite', path: isAbsolute(raw) ? raw : resolve(raw) };
  }
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw badUrl();
    }
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new MixtapeError('BAD_ARGUMENT', 'DATABASE_URL ?schema= must be a plain name (letters, digits, _)');
    }
    parsed.searchParams.delete('schema');
    return { provider: 'postgresql', connectionString: parsed.toString(), schema };
  }
  throw badUrl();
}

const badUrl = () =>
  new MixtapeError('BAD_ARGUMENT', 'DATABASE_URL must be file:<path> (SQLite) or postgresql://user@host/db (PostgreSQL)');

/**
 * Open the database named by `databaseUrl`, apply pending migrations, return the Store.
 * Throws UNAVAILABLE (no connection details in the message) when the database cannot be reached.
 * @example const store = await openStore({ databaseUrl: process.env.DATABASE_URL })
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const target = parseDatabaseUrl(options.databaseUrl);
  const timeoutMs = options.timeoutMs ?? STORE_CALL_TIMEOUT_MS;
  const store = target.provider === 'sqlite' ? await openSqlite(target.path) : await openPostgres(target.connectionString, target.schema, timeoutMs);
  return withCallTimeouts(store, timeoutMs);
}

async function openSqlite(path: string): Promise<Store> {
  const { createClient } = await import('@libsql/client');
  const { PrismaLibSql } = await import('@prisma/adapter-libsql');
  const { PrismaClient } = await import('../generated/sqlite/client.ts');
  const url = `file:${path}`;
  await guard(async () => {
    mkdirSync(dirname(path), { recursive: true });
    const client = createClient({ url });
    try {
      // WAL lets readers (leaderboard) run while a vote is written.
      await client.execute('PRAGMA journal_mode = WAL');
      await migrateSqlite(client, listMigrations(migrationsDir('sqlite')));
    } finally {
      client.close();
    }
  });
  const db = new PrismaClient({ adapter: new PrismaLibSql({ url }) });
  await guard(async () => {
    await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  });
  return createPrismaStore(db as AnyPrismaClient, 'sqlite');
}

async function openPostgres(connectionString: string, schema: string, timeoutMs: number): Promise<Store> {
  const { default: pg } = await import('pg');
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const { PrismaClient } = await import('../generated/postgres/client.ts');
  const config = {
    connectionString,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: timeoutMs,
    // A query on a connection that hangs fails (and its connection is dropped) instead of waiting forever.
    query_timeout: timeoutMs,
    keepAlive: true,
    max: 10,
  };
  const pool = new pg.Pool(config);
  // A dropped connection is reported per query; the pool must not crash the process.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, schema, listMigrations(migrationsDir('postgres')));
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw toStoreError(e);
  }
  const adapter = new PrismaPg(pool, { schema, onPoolError: () => undefined, onConnectionError: () => undefined });
  const db = new PrismaClient({ adapter }) as unknown as AnyPrismaClient;
  return createPrismaStore(db, 'postgresql', () => pool.end().catch(() => undefined));
}
