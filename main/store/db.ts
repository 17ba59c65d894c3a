/**
 * Opening the station database: one better-sqlite3 connection behind Kysely, the pragmas of DESIGN §3, and
 * migrations to the latest version.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import { stationMigrations } from '../../migrations/station/index';
import type { StationDB } from './schema';

export type Db = Kysely<StationDB>;
export type Tx = Transaction<StationDB>;
/** The raw connection, for repositories' bulk paths only. */
export type RawDb = Database.Database;

export interface OpenedDb {
  db: Db;
  /** The raw handle, for pragmas, backups and the bulk-import fast path; repositories only. */
  raw: Database.Database;
  close(): Promise<void>;
}

export function openSqlite(path: string): Database.Database {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  // FULL: a kiosk can lose power; an acknowledged sale must survive it (cost measured by the sale.commit bench).
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  // SQLite's default 2 MB page cache spills to disk mid-import at ~20,000 registrants; 32 MB holds a large
  // conference's working set and is only used as needed (station.rss benchmark).
  raw.pragma('cache_size = -32000');
  return raw;
}

/**
 * Kysely prepares every query afresh; better-sqlite3 statements are reusable, so keep the most recent ones.
 * Preparing is a large share of a short command's time (measured by the sale.commit benchmark).
 */
export function withStatementCache(raw: Database.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // move to the most-recent end
      } else {
        stmt = raw.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

export async function openStationDb(path: string): Promise<OpenedDb> {
  const raw = openSqlite(path);
  const db = new Kysely<StationDB>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  await migrate(db);
  return { db, raw, close: () => db.destroy() };
}

export async function migrate(db: Kysely<StationDB>, target?: string): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => stationMigrations } });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
