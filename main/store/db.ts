/**
 * Opening the station database: one better-sqlite3 connection behind Kysely, the pragmas of DESIGN §3, and
 * migrations to the latest version.
 */
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
  SingleConnectionProvider,
  Transaction,
  type ConnectionProvider,
} from 'kysely';
import { recordedMigrations } from '../../migrations/newer';
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
  /** One command's transaction (see `commandLane`). */
  command<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How long a write waits for another connection's lock before it fails with `busy` (DESIGN §3). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Why the station database cannot be opened, in words for staff (the file is left as it was). */
export class StationDbError extends Error {
  constructor(
    readonly kind: 'not_a_database' | 'newer_version' | 'damaged' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'StationDbError';
  }
}

export function openSqlite(path: string, busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Database.Database {
  const raw = new Database(path);
  try {
    raw.pragma('journal_mode = WAL');
  } catch (e) {
    raw.close();
    if (databaseFailure(e) === 'damaged') {
      throw new StationDbError(
        'not_a_database',
        `${path} is not a Lanyard station database, or its first page is damaged (${(e as Error).message}). Restore the last backup, or give another --db file.`,
      );
    }
    throw e;
  }
  // FULL: a kiosk can lose power; an acknowledged sale must survive it (cost measured by the sale.commit bench).
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  return raw;
}

/**
 * The page cache for everyday work: 8 MB holds what searches, sales and the feed touch of a 50,000-registrant
 * conference. Bulk writes (imports, HQ's snapshot) borrow a larger one — SQLite's default 2 MB spilled to disk mid-
 * import at ~20,000 registrants — and give it back once committed. Given back is not gone: the allocator keeps most
 * of a freed cache's pages resident, so the bulk cache is 16 MB, not the 32 MB it was (station.rss: 185 → ~172 MB
 * with 50,000 registrants imported and searched).
 */
const PAGE_CACHE_KIB = 8_000;
const BULK_PAGE_CACHE_KIB = 16_000;

/** Inside a bulk write's transaction: a page cache large enough that its dirty pages need not spill before the commit. */
export function borrowBulkCache(raw: Database.Database): void {
  raw.pragma(`cache_size = -${BULK_PAGE_CACHE_KIB}`);
}

/**
 * After the bulk write's transaction ended (committed or not): back to the everyday cache, the memory freed. False
 * (nothing done) while a transaction is open: its dirty pages would spill.
 */
export function returnBulkCache(raw: Database.Database): boolean {
  if (raw.inTransaction) return false;
  raw.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  raw.pragma('shrink_memory');
  return true;
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

/**
 * Every Kysely transaction on the station is a command that writes, so it starts IMMEDIATE: it takes the write lock
 * first, waiting out the busy timeout if another connection holds it. A DEFERRED transaction reads first and then
 * has to upgrade; when another process committed in between, SQLite refuses the upgrade at once ("database is
 * locked") without waiting.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class StationSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

export async function openStationDb(path: string, opts: { busyTimeoutMs?: number } = {}): Promise<OpenedDb> {
  const raw = openSqlite(path, opts.busyTimeoutMs);
  const dialect = new StationSqliteDialect({ database: withStatementCache(raw) });
  const db = new Kysely<StationDB>({ dialect });
  try {
    await migrate(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, raw, command: commandLane(db, raw, dialect), close: () => db.destroy() };
}

/**
 * Runs a command's transaction as Kysely's `db.transaction()` does — the connection held for the whole command, so no
 * other query runs in between; BEGIN IMMEDIATE; COMMIT, or ROLLBACK when the command throws — but with prepared
 * statements and one Transaction object for every command, made once. Kysely builds a new Transaction, executor and
 * compiled BEGIN/COMMIT for each: ~10 KB of garbage and a dozen promises a sale, ~0.03 ms of a sale's CPU
 * (sale.commit). What Kysely's transaction also guarded is kept: a query on the transaction after its command ended
 * fails instead of running outside it. Anything kept per transaction object (the audit chain's head, the outbox seq
 * a command appended) must be reset when a command begins: `inTx` does.
 */
export function commandLane(db: Db, raw: Database.Database, dialect: SqliteDialect): OpenedDb['command'] {
  const begin = raw.prepare('BEGIN IMMEDIATE');
  const commit = raw.prepare('COMMIT');
  const rollback = raw.prepare('ROLLBACK');
  let open = false;
  let bound: { connection: DatabaseConnection; tx: Tx } | null = null;
  const txOn = (connection: DatabaseConnection): Tx => {
    if (bound?.connection === connection) return bound.tx;
    const single = new SingleConnectionProvider(connection);
    const guarded: ConnectionProvider = {
      provideConnection: (consumer) => {
        if (!open) return Promise.reject(new Error('a command’s transaction was used after the command ended'));
        return single.provideConnection(consumer);
      },
    };
    // A Transaction runs its queries through `executor` only; the driver is never asked to begin or end one.
    const tx = new Transaction<StationDB>({
      config: { dialect },
      dialect,
      driver: dialect.createDriver(),
      executor: db.getExecutor().withConnectionProvider(guarded),
    });
    bound = { connection, tx };
    return tx;
  };
  return (fn) =>
    db.getExecutor().provideConnection(async (connection) => {
      const tx = txOn(connection);
      begin.run();
      open = true;
      try {
        const result = await fn(tx);
        commit.run();
        return result;
      } catch (e) {
        // A failed COMMIT (a deferred constraint, a full disk) leaves the transaction open: end it here too.
        if (raw.inTransaction) rollback.run();
        throw e;
      } finally {
        open = false;
      }
    });
}

export async function migrate(db: Kysely<StationDB>, target?: string): Promise<void> {
  let recorded: string[];
  try {
    recorded = await recordedMigrations(db as Kysely<unknown>);
  } catch (e) {
    if (databaseFailure(e) === 'damaged')
      throw new StationDbError(
        'damaged',
        `The station database is damaged (${(e as Error).message}). Restore the last backup.`,
      );
    throw e;
  }
  const newer = recorded.filter((name) => !Object.hasOwn(stationMigrations, name));
  if (newer.length > 0) {
    throw new StationDbError(
      'newer_version',
      `This station database was written by a newer version of Lanyard (migration ${newer.join(', ')}); it is not corrupted — use the newer version.`,
    );
  }
  // Up to date (a station opening its own database): nothing to run, and the migrator would read the schema of every
  // table to find that out — 5 to 20 ms of a kiosk's restart (station.open benchmark).
  if (!target && Object.keys(stationMigrations).every((name) => recorded.includes(name))) return;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => stationMigrations } });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * What an SQLite error means for the person at the desk: `busy` (another program held the database longer than
 * the busy timeout; retry), `damaged` (the file is corrupt), or null (something else).
 */
export function databaseFailure(e: unknown): 'busy' | 'damaged' | null {
  const code = e instanceof Database.SqliteError ? e.code : null;
  if (!code) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'damaged';
  return null;
}
