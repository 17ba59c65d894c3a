/**
 * The relay sends the outbox in seq order, so "sent" is mostly a prefix: `outbox_sent_through` holds the seq up to
 * which every row is sent, and a batch that continues it is marked by moving that one number. Marking each row
 * (`sent_at`) rewrote every page of the batch's rows and filled the write-ahead log: ~20 ms per 10,000 rows, a
 * checkpoint included, on the thread that sends (sync.drain). A row is sent when its `sent_at` is set (a batch
 * marked out of order, an event HQ gave back) or its seq is at most `seq` here; `outbox_status` says it per row.
 * One row, from the start: 0 and no time (earlier rows keep their own `sent_at`).
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE outbox_sent_through (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq INTEGER NOT NULL CHECK (seq >= 0),
      at TEXT) STRICT`,
    `INSERT INTO outbox_sent_through (id, seq, at) VALUES (1, 0, NULL)`,
    `CREATE VIEW outbox_status AS
       SELECT o.seq, o.id, o.type, o.session_id, o.created_at,
              coalesce(o.sent_at, CASE WHEN o.seq <= w.seq THEN w.at END) AS sent_at
       FROM outbox o, outbox_sent_through w`,
  ]);
}
