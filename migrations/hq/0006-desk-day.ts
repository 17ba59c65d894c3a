/**
 * The desks' day at HQ (issue 19): every payment taken at a desk, with its voids and refunds (the venue-wide record
 * a station's own cash-up is reconciled against), and every change a desk made to a registration (who, where, what,
 * why) — HQ's registrant record is updated too, and the change relayed to every station.
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE payment (
    id TEXT PRIMARY KEY, station TEXT NOT NULL, registrant_id TEXT NOT NULL, sale_id TEXT, purpose TEXT NOT NULL, description TEXT NOT NULL,
    amount INTEGER NOT NULL CHECK (amount >= 0), currency TEXT NOT NULL, method TEXT NOT NULL, reference TEXT, reason TEXT, staff_id TEXT,
    taken_at TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('paid', 'voided', 'refunded')), closed_at TEXT, close_reason TEXT,
    supervisor_id TEXT) STRICT`,
  `CREATE INDEX payment_station ON payment(station, taken_at)`,
  `CREATE TABLE registrant_change (
    n INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, station TEXT NOT NULL, registrant_id TEXT NOT NULL, kind TEXT NOT NULL,
    fields_json TEXT NOT NULL, reason TEXT NOT NULL, staff_id TEXT, at TEXT NOT NULL) STRICT`,
  `CREATE INDEX registrant_change_registrant ON registrant_change(registrant_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
