/**
 * Opening the station database: one better-sqlite3 connection behind Kysely, the pragmas of DESIGN §3, and
 * migrations to the latest version.
 */
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Transaction } from 'kysely';
import { stationMigrations } from '../../migrations/station/index';
import type { StationDB } from './schema';

export type Db = Kysely<StationDB>;
export type Tx = Transaction<StationDB>;

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
  return raw;
}

export async function openStationDb(path: string): Promise<OpenedDb> {
  const raw = openSqlite(path);
  const db = new Kysely<StationDB>({ dialect: new SqliteDialect({ database: raw }) });
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
