/**
 * Every badge print this station knows of — its own, and other stations' as HQ relays them (BadgePrintRecorded) —
 * so a kiosk never prints a badge already printed anywhere it has heard of, and two stations that printed the
 * same badge while apart are flagged when their prints meet. The station's own past prints are carried over.
 */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE badge_print (
      station TEXT NOT NULL, job_id TEXT NOT NULL, registrant_id TEXT NOT NULL, version INTEGER NOT NULL CHECK (version >= 1),
      printed_at TEXT NOT NULL, PRIMARY KEY (station, job_id)) STRICT`,
    `CREATE INDEX badge_print_registrant ON badge_print (registrant_id, version)`,
    `INSERT INTO badge_print (station, job_id, registrant_id, version, printed_at)
       SELECT 'station:' || (SELECT value FROM settings WHERE key = 'station.id'), j.id, j.registrant_id, j.badge_version, coalesce(j.finished_at, j.created_at)
       FROM print_job j
       WHERE j.kind = 'badge' AND j.status = 'printed' AND j.registrant_id IS NOT NULL AND j.badge_version IS NOT NULL
         AND EXISTS (SELECT 1 FROM settings WHERE key = 'station.id')`,
  ]);
}
