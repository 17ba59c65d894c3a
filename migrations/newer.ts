/**
 * A database that records a migration this build does not have was written by a newer Lanyard. Kysely's migrator
 * calls that "corrupted migrations"; it is not corrupted, so the stores check first and say what it is.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Names in the database's migration table (empty for a new database). */
export async function recordedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const table = await sql<{
    n: number;
  }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'`.execute(db);
  if (!table.rows[0]?.n) return [];
  const rows = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Names in the database's migration table that `known` lacks (empty for a new database). */
export async function unknownMigrations(db: Kysely<unknown>, known: Record<string, Migration>): Promise<string[]> {
  return (await recordedMigrations(db)).filter((name) => !Object.hasOwn(known, name));
}
