/**
 * Applies the committed migrations (prisma/<provider>/migrations/<name>/migration.sql) in
 * order, each in its own transaction, and records them in `_prisma_migrations`, the same
 * table and checksums `prisma migrate deploy` uses, so the two stay interchangeable.
 *
 * WHY our own: the Prisma CLI needs a native schema engine it downloads at run time, which a
 * bot must not depend on; the committed SQL is all that is needed to bring a database up.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Client as LibsqlClient } from '@libsql/client';
import type pg from 'pg';

export type Provider = 'sqlite' | 'postgres';

export interface Migration {
  /** Folder name, e.g. `20261121060000_init`; the order is the name's order. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, as Prisma computes it. */
  checksum: string;
}

/** The folder holding a provider's migrations. */
export const migrationsDir = (provider: Provider): string =>
  fileURLToPath(new URL(`../../prisma/${provider}/migrations/`, import.meta.url));

/** The migrations in a folder, oldest first. @example listMigrations(migrationsDir('sqlite')) */
export function listMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Prisma's advisory lock key for migrations: two starting bots never migrate at once. */
const PG_LOCK_KEY = 72707369;

/**
 * Bring a SQLite database up to date. Returns the names applied by this call.
 * The check and the work share one write transaction, so two processes cannot both apply.
 */
export async function migrateSqlite(client: LibsqlClient, migrations: Migration[]): Promise<string[]> {
  await client.execute(SQLITE_TABLE);
  const applied: string[] = [];
  for (const m of migrations) {
    const tx = await client.transaction('write');
    try {
      const done = await tx.execute({
        sql: 'SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL',
        args: [m.name],
      });
      if (done.rows.length > 0) {
        await tx.rollback();
        continue;
      }
      await tx.executeMultiple(m.sql);
      await tx.execute({
        sql: `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
              VALUES (?, ?, current_timestamp, ?, current_timestamp, 1)`,
        args: [randomUUID(), m.checksum, m.name],
      });
      await tx.commit();
      applied.push(m.name);
    } catch (e) {
      if (!tx.closed) await tx.rollback();
      throw e;
    } finally {
      tx.close();
    }
  }
  return applied;
}

/**
 * Bring a PostgreSQL schema up to date (created when missing). Returns the names applied.
 * `client` must be a dedicated connection whose search_path is `schema`.
 */
export async function migratePostgres(client: pg.ClientBase, schema: string, migrations: Migration[]): Promise<string[]> {
  const applied: string[] = [];
  await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(POSTGRES_TABLE);
    const done = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const names = new Set(done.rows.map((r) => r.migration_name));
    for (const m of migrations) {
      if (names.has(m.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
        applied.push(m.name);
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
  }
  return applied;
}

/** Quote a PostgreSQL identifier. @example quoteIdent('my schema') // '"my schema"' */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
