/** Selling: sales with their tier and basis, allotments, HQ's availability numbers, oversell cases, check-ins. */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE allotment (
      id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id), request_id TEXT,
      seats INTEGER NOT NULL CHECK (seats >= 0), used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= seats),
      status TEXT NOT NULL CHECK (status IN ('active', 'recalled', 'returned')), granted_at TEXT NOT NULL,
      closed_at TEXT) STRICT`,
    `CREATE INDEX allotment_session ON allotment(session_id, status)`,
    `CREATE TABLE sale (
      id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id), registrant_id TEXT NOT NULL REFERENCES registrant(id),
      tier TEXT NOT NULL CHECK (tier IN ('online', 'allotment', 'overdraft', 'override')),
      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'oversold', 'released', 'refused')),
      at_risk INTEGER NOT NULL, proceed INTEGER NOT NULL, allotment_id TEXT REFERENCES allotment(id),
      basis_json TEXT NOT NULL, staff_id TEXT, created_at TEXT NOT NULL, decided_at TEXT, released_at TEXT,
      release_reason TEXT) STRICT`,
    `CREATE INDEX sale_session_status ON sale(session_id, status)`,
    // k of the overdraft rule is counted on every sale; only undecided at-risk sales are in this index.
    `CREATE INDEX sale_pending_at_risk ON sale(session_id) WHERE status = 'pending' AND at_risk = 1`,
    `CREATE INDEX sale_registrant ON sale(registrant_id)`,
    `CREATE TABLE availability (
      session_id TEXT PRIMARY KEY REFERENCES session(id), capacity INTEGER NOT NULL, sold INTEGER NOT NULL,
      allotted INTEGER NOT NULL, version INTEGER NOT NULL, sales_rate REAL NOT NULL, hq_time TEXT, received_at TEXT) STRICT`,
    `CREATE TABLE reconciliation_case (
      id TEXT PRIMARY KEY, sale_id TEXT NOT NULL UNIQUE REFERENCES sale(id), session_id TEXT NOT NULL,
      registrant_id TEXT NOT NULL, tier TEXT NOT NULL, over_by INTEGER NOT NULL, basis_json TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('open', 'resolved')), resolution TEXT, opened_at TEXT NOT NULL,
      resolved_at TEXT) STRICT`,
    `CREATE TABLE check_in (
      id INTEGER PRIMARY KEY, registrant_id TEXT NOT NULL REFERENCES registrant(id), session_id TEXT,
      at TEXT NOT NULL, staff_id TEXT) STRICT`,
    `CREATE INDEX check_in_registrant ON check_in(registrant_id, session_id)`,
  ]);
}
