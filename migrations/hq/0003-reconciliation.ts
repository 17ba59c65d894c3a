/**
 * Reconciliation at HQ (DESIGN §8): each oversell case keeps its whole story (registrant, tier and basis, when it
 * is due, the default action, who resolved it, how, why and with what outcome); waitlists per session; the badge
 * versions stations printed (a refused sale must not have printed) and those HQ revoked.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  ...[
    'registrant_id',
    'tier',
    'basis_json',
    'due_at',
    'escalate_at',
    'default_action',
    'escalated_at',
    'decided_by',
    'resolution_id',
    'supervisor_id',
    'note',
    'outcome_json',
  ].map((c) => `ALTER TABLE oversell_case ADD COLUMN ${c} TEXT`),
  // Cases opened before this version: their registrant and tier come from the sale; due an hour after opening,
  // honored by default (HQ's defaults).
  `UPDATE oversell_case SET
     registrant_id = (SELECT registrant_id FROM sale WHERE sale.id = oversell_case.sale_id),
     tier = (SELECT tier FROM sale WHERE sale.id = oversell_case.sale_id),
     due_at = strftime('%Y-%m-%dT%H:%M:%fZ', opened_at, '+60 minutes'),
     escalate_at = strftime('%Y-%m-%dT%H:%M:%fZ', opened_at, '+45 minutes'),
     default_action = 'honor',
     decided_by = CASE WHEN status = 'resolved' THEN 'station' END`,
  `CREATE INDEX oversell_case_open ON oversell_case(due_at) WHERE status = 'open'`,
  `CREATE TABLE waitlist (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id), registrant_id TEXT NOT NULL, station TEXT NOT NULL,
    case_id TEXT REFERENCES oversell_case(id), position INTEGER NOT NULL CHECK (position >= 1),
    status TEXT NOT NULL CHECK (status IN ('waiting', 'promoted')), added_at TEXT NOT NULL, promoted_at TEXT, sale_id TEXT,
    UNIQUE (session_id, position)) STRICT`,
  `CREATE INDEX waitlist_waiting ON waitlist(session_id, position) WHERE status = 'waiting'`,
  `CREATE TABLE badge_print (
    registrant_id TEXT NOT NULL, version INTEGER NOT NULL, station TEXT NOT NULL, applied_at TEXT NOT NULL,
    PRIMARY KEY (registrant_id, version, station)) STRICT`,
  `CREATE TABLE badge_revocation (
    registrant_id TEXT NOT NULL, version INTEGER NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (registrant_id, version)) STRICT`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
