import { sql, type Kysely } from 'kysely';

/** Runs DDL statements one by one (SQLite prepares one statement at a time). */
export async function runSql(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
