/** What a support bundle says of the database itself: its queues by type, SQLite's version, the migrations run. */
import { sql } from 'kysely';
import type { Db } from './db';

export interface QueueCounts {
  outbox: { type: string; sent: number; unsent: number }[];
  inbox: { type: string; status: string; n: number }[];
}

export async function queueCounts(db: Db): Promise<QueueCounts> {
  const outbox = await db
    .selectFrom('outbox_status')
    .select(['type', sql<number>`sum(sent_at IS NOT NULL)`.as('sent'), sql<number>`sum(sent_at IS NULL)`.as('unsent')])
    .groupBy('type')
    .orderBy('type')
    .execute();
  const inbox = await db
    .selectFrom('inbox')
    .select(['type', 'status', sql<number>`count(*)`.as('n')])
    .groupBy(['type', 'status'])
    .orderBy('type')
    .orderBy('status')
    .execute();
  return { outbox, inbox };
}

export async function databaseVersions(db: Db): Promise<{ sqlite: string; migrations: string[] }> {
  const v = await sql<{ v: string }>`SELECT sqlite_version() AS v`.execute(db);
  const m = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
  return { sqlite: v.rows[0]!.v, migrations: m.rows.map((r) => r.name) };
}
