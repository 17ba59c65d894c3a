/**
 * Receipts and batch printing (issue 19): print jobs of two more kinds — a receipt, and the divider slip between
 * letters of a night-before batch — and the batches themselves, with their list of badges in print order so a batch
 * resumes exactly where a paper-out stopped it. print_job is rebuilt (SQLite cannot change a CHECK).
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    // Named print_job_next while it is built: its self-reference follows the rename.
    `CREATE TABLE print_job_next (
      id TEXT PRIMARY KEY, printer_uri TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('badge', 'test', 'receipt', 'divider')),
      registrant_id TEXT REFERENCES registrant(id), badge_version INTEGER,
      status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'printed', 'failed', 'uncertain')),
      words TEXT, reason TEXT, reprint_of TEXT REFERENCES print_job_next(id), staff_id TEXT, bytes BLOB NOT NULL,
      created_at TEXT NOT NULL, sending_at TEXT, finished_at TEXT, warnings_json TEXT) STRICT`,
    `INSERT INTO print_job_next (id, printer_uri, kind, registrant_id, badge_version, status, words, reason, reprint_of, staff_id, bytes, created_at, sending_at, finished_at, warnings_json)
     SELECT id, printer_uri, kind, registrant_id, badge_version, status, words, reason, reprint_of, staff_id, bytes, created_at, sending_at, finished_at, warnings_json FROM print_job`,
    `DROP TABLE print_job`,
    `ALTER TABLE print_job_next RENAME TO print_job`,
    `CREATE INDEX print_job_queue ON print_job (printer_uri, status, id)`,
    `CREATE INDEX print_job_registrant ON print_job (registrant_id, id)`,
    `CREATE TABLE print_batch (
      id TEXT PRIMARY KEY, printer_uri TEXT NOT NULL, order_by TEXT NOT NULL CHECK (order_by IN ('name', 'company')),
      ticket_type_id TEXT, dividers INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'paused', 'done', 'cancelled')), words TEXT, stopped_job_id TEXT,
      staff_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`,
    // One row per slip: a badge (registrant_id) or a divider (label); `position` is the print order.
    `CREATE TABLE print_batch_item (
      batch_id TEXT NOT NULL REFERENCES print_batch(id), position INTEGER NOT NULL, registrant_id TEXT, label TEXT,
      state TEXT NOT NULL CHECK (state IN ('todo', 'printed', 'skipped')), job_id TEXT, note TEXT,
      PRIMARY KEY (batch_id, position)) STRICT, WITHOUT ROWID`,
  ]);
}
