/** The two durable queues (outbox, inbox), per-station sequence counters, sync state and settings. */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    // seq is assigned from `counter`, never from max(seq)+1, so it stays gap-free and is never reused even
    // after sent rows are compacted away.
    `CREATE TABLE outbox (
      seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, session_id TEXT, body TEXT NOT NULL,
      created_at TEXT NOT NULL, sent_at TEXT) STRICT`,
    `CREATE INDEX outbox_unsent ON outbox(seq) WHERE sent_at IS NULL`,
    // Every applied (or refused) id is kept: Service Bus duplicate detection forgets after at most 7 days.
    `CREATE TABLE inbox (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, origin TEXT NOT NULL, origin_seq INTEGER, status TEXT NOT NULL
      CHECK (status IN ('applied', 'ignored', 'quarantined')), note TEXT, body TEXT NOT NULL, received_at TEXT NOT NULL) STRICT`,
    `CREATE INDEX inbox_status ON inbox(status)`,
    `CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT`,
    `CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
    `CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
  ]);
}
