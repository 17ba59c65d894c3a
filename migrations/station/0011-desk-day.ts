/**
 * The desk's first morning (issue 19): registration status from the source, desk corrections that survive a later
 * import, "needs reprint", prices and payments, ticket validity (tracks; days came with 0007), seats given back
 * that an import must not bring back, short codes usable as ids, check-ins with their station, blank badge stock,
 * and the near-spelling index of the forgiving search. The search index itself is rebuilt by the station when it
 * opens a database indexed by an older version (main/store/search-index.ts: its folding is code, not SQL).
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `ALTER TABLE conference ADD COLUMN currency TEXT`,
    `ALTER TABLE ticket_type ADD COLUMN price INTEGER CHECK (price IS NULL OR price >= 0)`,
    `ALTER TABLE ticket_type ADD COLUMN privileged INTEGER NOT NULL DEFAULT 0`,
    `ALTER TABLE ticket_type ADD COLUMN tracks_json TEXT`,
    `ALTER TABLE session ADD COLUMN price INTEGER CHECK (price IS NULL OR price >= 0)`,
    `ALTER TABLE session ADD COLUMN track TEXT`,
    `ALTER TABLE registrant ADD COLUMN status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'pending', 'cancelled', 'refunded'))`,
    `ALTER TABLE registrant ADD COLUMN status_note TEXT`,
    // Fields a desk set ({"firstName": "José", "pronouns": null, ...}): they win over a later import of the source file.
    `ALTER TABLE registrant ADD COLUMN desk_fields_json TEXT`,
    `ALTER TABLE registrant ADD COLUMN needs_reprint INTEGER NOT NULL DEFAULT 0`,
    // The conference-file import that last listed the registrant (NULL: never in a file: walk-ups, CSV, HQ).
    `ALTER TABLE registrant ADD COLUMN file_round INTEGER`,
    // The confirmation code in capitals without punctuation ("LDC5SCQ9W"), and its last group ("5SCQ9W").
    `ALTER TABLE registrant ADD COLUMN code_key TEXT`,
    `ALTER TABLE registrant ADD COLUMN code_short TEXT`,
    `CREATE INDEX registrant_code_key ON registrant(code_key)`,
    `CREATE INDEX registrant_code_short ON registrant(code_short)`,
    `CREATE INDEX registrant_file_round ON registrant(file_round) WHERE file_round IS NOT NULL`,
    // Check-ins recorded before this version were this station's own.
    `ALTER TABLE check_in ADD COLUMN station TEXT`,
    `CREATE INDEX audit_log_subject ON audit_log(subject)`,
    // Imported seats given back at a desk or through HQ: a later import of the file does not bring them back.
    `CREATE TABLE seat_release (
      registrant_id TEXT NOT NULL, session_id TEXT NOT NULL, reason TEXT NOT NULL, released_at TEXT NOT NULL,
      PRIMARY KEY (registrant_id, session_id)) STRICT, WITHOUT ROWID`,
    `CREATE TABLE payment (
      id TEXT PRIMARY KEY, registrant_id TEXT NOT NULL REFERENCES registrant(id), sale_id TEXT,
      purpose TEXT NOT NULL CHECK (purpose IN ('ticket', 'seat', 'ticket_change', 'balance')), description TEXT NOT NULL,
      amount INTEGER NOT NULL CHECK (amount >= 0), currency TEXT NOT NULL,
      method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'invoice', 'complimentary')), reference TEXT, reason TEXT,
      staff_id TEXT, station TEXT NOT NULL, created_at TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'paid' CHECK (status IN ('paid', 'voided', 'refunded')),
      closed_at TEXT, closed_by TEXT, close_reason TEXT) STRICT`,
    `CREATE INDEX payment_registrant ON payment(registrant_id)`,
    `CREATE INDEX payment_created ON payment(created_at)`,
    `CREATE INDEX payment_sale ON payment(sale_id) WHERE sale_id IS NOT NULL`,
    // Blank badges loaded into this desk's printers (the cash-up counts badges against it).
    `CREATE TABLE badge_stock (id INTEGER PRIMARY KEY, at TEXT NOT NULL, cards INTEGER NOT NULL CHECK (cards > 0), staff_id TEXT, note TEXT NOT NULL) STRICT`,
    // Near spellings (issue 19, item 5): every name and company word (key = term) and each of its one-letter
    // deletions (key = the word less one letter). Two words one edit apart share a key.
    `CREATE TABLE search_key (key TEXT NOT NULL, term TEXT NOT NULL, PRIMARY KEY (key, term)) STRICT, WITHOUT ROWID`,
  ]);
}
