/**
 * A station restored from a backup does not know where its event stream stands: HQ may already hold events it sent
 * after the backup was taken, under seqs the restored outbox would hand out again (and HQ would drop as another
 * event's duplicates). While `stream_recovery` holds its row, SQLite itself refuses every new outbox row — no
 * command can take a seq (HQ's own events coming back are inserted as already sent) — until HQ's answer (StreamRecovered) has brought the station's own events back and moved
 * the counter past them. One row at most.
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE stream_recovery (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      restored_at TEXT NOT NULL,
      backup_file TEXT NOT NULL,
      backup_last_seq INTEGER NOT NULL CHECK (backup_last_seq >= 0),
      requested_at TEXT) STRICT`,
    `CREATE TRIGGER outbox_waits_for_stream_recovery BEFORE INSERT ON outbox
       WHEN NEW.sent_at IS NULL AND EXISTS (SELECT 1 FROM stream_recovery)
       BEGIN SELECT RAISE(ABORT, 'lanyard: stream recovery pending'); END`,
  ]);
}
