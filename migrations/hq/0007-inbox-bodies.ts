/**
 * HQ keeps the body of every station event it applies, so that a station restored from an old backup can be given
 * back what it sent since (StreamRecoveryRequested → StreamRecovered). Events applied before this version keep no
 * body: a station restored past them learns where its stream stands, but not their contents.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE inbox ADD COLUMN body TEXT`.execute(db);
}
