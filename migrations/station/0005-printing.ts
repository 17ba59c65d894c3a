/**
 * Badge printing (DESIGN §9): the station's signing keys, badge versions, printers, the durable print queue and a
 * print log kept apart from check-in.
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    // Ed25519 key pairs; keys are never deleted (old badges stay verifiable), only retired.
    `CREATE TABLE station_key (
      key_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, private_key TEXT NOT NULL, created_at TEXT NOT NULL,
      retired_at TEXT) STRICT`,
    // One row per badge version of a registrant; the QR code carries (registrant, version).
    `CREATE TABLE badge (
      registrant_id TEXT NOT NULL REFERENCES registrant(id), version INTEGER NOT NULL CHECK (version >= 1),
      status TEXT NOT NULL CHECK (status IN ('issued', 'printed', 'voided')), template_id TEXT NOT NULL,
      code TEXT NOT NULL, key_id TEXT NOT NULL REFERENCES station_key(key_id), created_at TEXT NOT NULL,
      printed_at TEXT, voided_at TEXT, void_reason TEXT, PRIMARY KEY (registrant_id, version)) STRICT`,
    `CREATE TABLE printer (
      uri TEXT PRIMARY KEY, language TEXT NOT NULL, media TEXT NOT NULL, state TEXT, words TEXT,
      paper_low INTEGER NOT NULL DEFAULT 0, checked_at TEXT, last_job_at TEXT) STRICT`,
    // The durable queue: queued → sending → printed | failed | uncertain. Bytes are rendered once, at enqueue.
    `CREATE TABLE print_job (
      id TEXT PRIMARY KEY, printer_uri TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('badge', 'test')),
      registrant_id TEXT REFERENCES registrant(id), badge_version INTEGER,
      status TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'printed', 'failed', 'uncertain')),
      words TEXT, reason TEXT, reprint_of TEXT REFERENCES print_job(id), staff_id TEXT, bytes BLOB NOT NULL,
      created_at TEXT NOT NULL, sending_at TEXT, finished_at TEXT) STRICT`,
    `CREATE INDEX print_job_queue ON print_job (printer_uri, status, id)`,
    `CREATE INDEX print_job_registrant ON print_job (registrant_id, id)`,
    `CREATE TABLE print_log (
      seq INTEGER PRIMARY KEY, at TEXT NOT NULL, job_id TEXT, printer_uri TEXT NOT NULL, event TEXT NOT NULL,
      status TEXT, words TEXT, actor TEXT NOT NULL) STRICT`,
    `CREATE INDEX print_log_job ON print_log (job_id)`,
  ]);
}
