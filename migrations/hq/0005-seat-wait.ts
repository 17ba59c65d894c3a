/**
 * Online sales waiting for seats (issue 17): when a desk's online sale finds the pool empty while other stations
 * hold unused allotment seats, HQ asks those stations to give them back and the sale waits a moment for them. The
 * wait survives a restart of HQ (the sale was applied from the bus: it must still be decided).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  `CREATE TABLE seat_wait (
    sale_id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES session(id), station TEXT NOT NULL, event_id TEXT NOT NULL,
    payload TEXT NOT NULL, since TEXT NOT NULL, until TEXT NOT NULL) STRICT`,
  `CREATE INDEX seat_wait_session ON seat_wait(session_id, since)`,
  `CREATE INDEX seat_wait_until ON seat_wait(until)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const s of statements) await sql.raw(s).execute(db);
}
