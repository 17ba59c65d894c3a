/**
 * Reconciliation on the station (DESIGN §8). Every station holds every case of the conference, so a case no
 * longer points at a local sale (the table is rebuilt without that foreign key) and carries HQ's id, its deadline,
 * the default action and the outcome HQ decided. New: this station's resolution requests and HQ's answers, a
 * mirror of HQ's waitlists, the contact/refund list, HQ's badge revocations (door scanning), and per session
 * whether the room can take an extra chair and what HQ does with its cases at the deadline.
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

const resolutions = `('honor', 'reverse', 'move', 'waitlist', 'refuse')`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE reconciliation_case_new (
      id TEXT PRIMARY KEY, sale_id TEXT NOT NULL UNIQUE, session_id TEXT NOT NULL, registrant_id TEXT NOT NULL,
      station TEXT NOT NULL, tier TEXT, over_by INTEGER, basis_json TEXT,
      status TEXT NOT NULL CHECK (status IN ('open', 'resolved')), resolution TEXT CHECK (resolution IN ${resolutions}),
      opened_at TEXT, resolved_at TEXT, due_at TEXT, default_action TEXT, escalated_at TEXT, resolved_by TEXT,
      decided_by TEXT CHECK (decided_by IN ('station', 'deadline', 'release')), resolution_id TEXT, supervisor_id TEXT, note TEXT,
      outcome_json TEXT) STRICT`,
    // Cases opened before this version were this station's own (opened from its SaleOversold).
    `INSERT INTO reconciliation_case_new (id, sale_id, session_id, registrant_id, station, tier, over_by, basis_json, status, resolution, opened_at, resolved_at)
     SELECT id, sale_id, session_id, registrant_id, 'station:' || coalesce((SELECT value FROM settings WHERE key = 'station.id'), 'unknown'), tier,
            over_by, basis_json, status, resolution, opened_at, resolved_at
     FROM reconciliation_case`,
    `DROP TABLE reconciliation_case`,
    `ALTER TABLE reconciliation_case_new RENAME TO reconciliation_case`,
    // HQ's case ids, from the OversellCaseOpened messages the previous version kept in its inbox.
    `UPDATE reconciliation_case SET id = (
       SELECT json_extract(i.body, '$.payload.caseId') FROM inbox i
       WHERE i.type = 'OversellCaseOpened' AND json_extract(i.body, '$.payload.saleId') = reconciliation_case.sale_id LIMIT 1)
     WHERE EXISTS (SELECT 1 FROM inbox i WHERE i.type = 'OversellCaseOpened' AND json_extract(i.body, '$.payload.saleId') = reconciliation_case.sale_id)`,
    `CREATE INDEX reconciliation_case_status ON reconciliation_case(status, opened_at)`,
    `CREATE TABLE case_request (
      id TEXT PRIMARY KEY, case_id TEXT NOT NULL, sale_id TEXT NOT NULL, action TEXT NOT NULL CHECK (action IN ${resolutions}),
      move_to_session_id TEXT, supervisor_id TEXT NOT NULL, note TEXT NOT NULL, requested_at TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'won', 'lost', 'refused')), answered_at TEXT, answer TEXT) STRICT`,
    `CREATE INDEX case_request_sale ON case_request(sale_id, requested_at)`,
    `CREATE TABLE waitlist_entry (
      id TEXT PRIMARY KEY, session_id TEXT NOT NULL, registrant_id TEXT NOT NULL, station TEXT NOT NULL, case_id TEXT,
      position INTEGER, status TEXT NOT NULL CHECK (status IN ('waiting', 'promoted')), added_at TEXT, promoted_at TEXT,
      sale_id TEXT) STRICT`,
    `CREATE INDEX waitlist_entry_session ON waitlist_entry(session_id, position)`,
    `CREATE TABLE contact_flag (
      case_id TEXT PRIMARY KEY, registrant_id TEXT NOT NULL, session_id TEXT NOT NULL, action TEXT NOT NULL,
      refund INTEGER NOT NULL CHECK (refund IN (0, 1)), reason TEXT NOT NULL, flagged_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`,
    `CREATE TABLE badge_revocation (
      registrant_id TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT NOT NULL, received_at TEXT NOT NULL,
      PRIMARY KEY (registrant_id, version)) STRICT, WITHOUT ROWID`,
    // Revocations the previous version kept in its inbox (badge.verify read them from there).
    `INSERT OR IGNORE INTO badge_revocation (registrant_id, version, reason, received_at)
     SELECT json_extract(body, '$.payload.registrantId'), json_extract(body, '$.payload.badgeVersion'),
            coalesce(json_extract(body, '$.payload.reason'), ''), received_at
     FROM inbox WHERE type = 'BadgeRevoked' AND status != 'quarantined'
       AND json_type(body, '$.payload.registrantId') = 'text' AND json_type(body, '$.payload.badgeVersion') = 'integer'`,
    `ALTER TABLE session ADD COLUMN room_for_extra_chair INTEGER NOT NULL DEFAULT 1`,
    `ALTER TABLE session ADD COLUMN oversell_default TEXT`,
  ]);
}
