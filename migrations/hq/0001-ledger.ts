/**
 * The HQ seat ledger: the conference it serves, its sessions and seat counters, sales and their verdicts,
 * allotments, oversell cases, registrants; the inbox of station events (kept forever), the per-origin cursor,
 * events parked ahead of a gap, dead letters; and the transactional outbox of feed messages.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT`,
  `CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT`,
  `CREATE TABLE conference (id TEXT PRIMARY KEY, body TEXT NOT NULL, seeded_at TEXT NOT NULL) STRICT`,
  `CREATE TABLE ticket_type (id TEXT PRIMARY KEY, body TEXT NOT NULL) STRICT`,
  // sold counts every seat a person holds: imported holders, confirmed sales and oversold sales not released.
  `CREATE TABLE session (
    id TEXT PRIMARY KEY, body TEXT NOT NULL, starts_at TEXT NOT NULL, capacity INTEGER NOT NULL CHECK (capacity >= 0),
    sellable INTEGER NOT NULL, base_sold INTEGER NOT NULL, sold INTEGER NOT NULL CHECK (sold >= 0),
    version INTEGER NOT NULL, rate REAL NOT NULL DEFAULT 0, rate_at INTEGER) STRICT`,
  `CREATE TABLE registrant (id TEXT PRIMARY KEY, body TEXT NOT NULL, origin TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`,
  `CREATE TABLE station (
    origin TEXT PRIMARY KEY, next_seq INTEGER NOT NULL, first_seen_at TEXT NOT NULL, last_event_at TEXT,
    key_id TEXT, public_key TEXT, snapshot_sent_at TEXT) STRICT`,
  `CREATE TABLE inbox (
    id TEXT PRIMARY KEY, origin TEXT NOT NULL, seq INTEGER NOT NULL, type TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')), note TEXT, applied_at TEXT NOT NULL) STRICT`,
  `CREATE UNIQUE INDEX inbox_origin_seq ON inbox(origin, seq)`,
  `CREATE TABLE parked (
    origin TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, poison TEXT, parked_at TEXT NOT NULL,
    PRIMARY KEY (origin, seq)) STRICT`,
  `CREATE TABLE dead_letter (
    n INTEGER PRIMARY KEY, message_id TEXT, event_id TEXT, origin TEXT, seq INTEGER, reason TEXT NOT NULL, body TEXT NOT NULL, at TEXT NOT NULL) STRICT`,
  `CREATE TABLE allotment (
    id TEXT PRIMARY KEY, station TEXT NOT NULL, session_id TEXT NOT NULL REFERENCES session(id), request_id TEXT,
    seats INTEGER NOT NULL CHECK (seats >= 0), used INTEGER NOT NULL DEFAULT 0 CHECK (used >= 0 AND used <= seats),
    status TEXT NOT NULL CHECK (status IN ('active', 'returned', 'recalled', 'reclaimed', 'reissued')),
    granted_at TEXT NOT NULL, closed_at TEXT, note TEXT) STRICT`,
  `CREATE INDEX allotment_active ON allotment(session_id, station) WHERE status = 'active'`,
  `CREATE TABLE sale (
    id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id), station TEXT NOT NULL, registrant_id TEXT NOT NULL,
    tier TEXT NOT NULL, allotment_id TEXT, charged_allotment_id TEXT, event_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('confirmed', 'oversold')), over_by INTEGER,
    held INTEGER NOT NULL CHECK (held IN (0, 1)), decided_at TEXT NOT NULL, released_at TEXT) STRICT`,
  `CREATE INDEX sale_session ON sale(session_id)`,
  `CREATE TABLE oversell_case (
    id TEXT PRIMARY KEY, sale_id TEXT NOT NULL UNIQUE REFERENCES sale(id), session_id TEXT NOT NULL, station TEXT NOT NULL,
    over_by INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('open', 'resolved')), resolution TEXT, resolved_by TEXT,
    opened_at TEXT NOT NULL, resolved_at TEXT) STRICT`,
  `CREATE TABLE feed_outbox (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, session_id TEXT, station TEXT, body TEXT NOT NULL,
    created_at TEXT NOT NULL, sent_at TEXT) STRICT`,
  `CREATE INDEX feed_outbox_unsent ON feed_outbox(seq) WHERE sent_at IS NULL`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
