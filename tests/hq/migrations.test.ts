/**
 * Each HQ migration, run from the previous version with data in place: the data survives, and what the migration
 * adds is there and usable. A new migration adds its seed and check here.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { hqMigrations } from '../../migrations/hq/index';
import { migrateHq } from '../../hq/store/db';
import type { HqDB } from '../../hq/store/schema';
import { tempDir } from '../support/fixtures';

type Raw = Database.Database;

const seeds: Record<string, (db: Raw) => void> = {
  '0001-ledger': (db) => {
    db.exec(`INSERT INTO conference VALUES ('c1', '{}', 'now')`);
    // A fixed date: a row for the migration only; nothing compares it with now.
    db.exec(
      `INSERT INTO session (id, body, starts_at, capacity, sellable, base_sold, sold, version) VALUES ('s1', '{}', '2026-12-01T10:00:00Z', 10, 1, 9, 10, 3)`,
    );
    db.exec(`INSERT INTO station (origin, next_seq, first_seen_at) VALUES ('station:desk-a', 4, 'now')`);
    db.exec(`INSERT INTO inbox VALUES ('e1', 'station:desk-a', 1, 'SeatSold', 'applied', NULL, 'now')`);
    db.exec(
      `INSERT INTO allotment (id, station, session_id, request_id, seats, used, status, granted_at) VALUES ('a1', 'station:desk-a', 's1', 'q1', 2, 1, 'active', 'now')`,
    );
    db.exec(
      `INSERT INTO sale VALUES ('sale1', 's1', 'station:desk-a', 'r1', 'overdraft', NULL, NULL, 'e1', 'oversold', 1, 1, 'now', NULL)`,
    );
    db.exec(
      `INSERT INTO oversell_case VALUES ('case1', 'sale1', 's1', 'station:desk-a', 1, 'open', NULL, NULL, 'now', NULL)`,
    );
    db.exec(`INSERT INTO feed_outbox VALUES (1, 'f1', 'SaleOversold', 's1', 'station:desk-a', '{}', 'now', NULL)`);
    db.exec(`INSERT INTO parked VALUES ('station:desk-a', 6, 'e6', '{}', NULL, 'now')`);
  },
  '0003-reconciliation': (db) => {
    db.exec(
      `INSERT INTO waitlist (id, session_id, registrant_id, station, case_id, position, status, added_at) VALUES ('w1', 's1', 'r2', 'station:desk-a', 'case1', 1, 'waiting', 'now')`,
    );
    db.exec(`INSERT INTO badge_print VALUES ('r1', 1, 'station:desk-a', 'now')`);
    db.exec(`INSERT INTO badge_revocation VALUES ('r1', 1, 'reversed', 'now')`);
  },
  '0005-seat-wait': (db) => {
    db.exec(`INSERT INTO seat_wait VALUES ('sale9', 's1', 'station:desk-b', 'e9', '{}', 'now', 'soon')`);
  },
  '0006-desk-day': (db) => {
    db.exec(`INSERT INTO payment (id, station, registrant_id, purpose, description, amount, currency, method, reference, taken_at, status)
             VALUES ('p1', 'station:desk-a', 'r1', 'seat', 'Workshop', 2500, 'EUR', 'card', 'T-1', 'now', 'paid')`);
    db.exec(
      `INSERT INTO registrant_change (event_id, station, registrant_id, kind, fields_json, reason, staff_id, at) VALUES ('e9', 'station:desk-a', 'r1', 'correction', '["firstName"]', 'typo', 'sup', 'now')`,
    );
  },
  '0007-inbox-bodies': (db) => {
    db.exec(
      `INSERT INTO inbox (id, origin, seq, type, status, note, applied_at, body) VALUES ('e3', 'station:desk-a', 3, 'SeatSold', 'applied', NULL, 'now', '{"id":"e3"}')`,
    );
  },
};

const checks: Record<string, (db: Raw) => void> = {
  '0001-ledger': (db) => {
    expect(db.prepare(`SELECT sold, version FROM session WHERE id = 's1'`).get()).toEqual({ sold: 10, version: 3 });
    expect(db.prepare(`SELECT sum(seats - used) n FROM allotment WHERE status = 'active'`).get()).toEqual({ n: 1 });
    expect(() =>
      db.exec(
        `INSERT INTO inbox (id, origin, seq, type, status, note, applied_at) VALUES ('e2', 'station:desk-a', 1, 'SeatSold', 'applied', NULL, 'now')`,
      ),
    ).toThrow(/UNIQUE/); // one event per origin seq
    expect(() =>
      db.exec(
        `INSERT INTO allotment (id, station, session_id, seats, used, status, granted_at) VALUES ('a2', 'x', 's1', 1, 2, 'active', 'now')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO oversell_case (id, sale_id, session_id, station, over_by, status, opened_at) VALUES ('case2', 'ghost', 's1', 'x', 1, 'open', 'now')`,
      ),
    ).toThrow(/FOREIGN KEY/);
  },
  '0003-reconciliation': (db) => {
    // The case opened before keeps its story, with registrant and tier from its sale and HQ's default terms.
    expect(
      db.prepare(`SELECT registrant_id, tier, default_action, decided_by FROM oversell_case WHERE id = 'case1'`).get(),
    ).toEqual({ registrant_id: 'r1', tier: 'overdraft', default_action: 'honor', decided_by: null });
    expect(db.prepare(`SELECT status, position FROM waitlist`).all()).toEqual([{ status: 'waiting', position: 1 }]);
    expect(() =>
      db.exec(
        `INSERT INTO waitlist (id, session_id, registrant_id, station, position, status, added_at) VALUES ('w2', 's1', 'r3', 'x', 1, 'waiting', 'now')`,
      ),
    ).toThrow(/UNIQUE/);
    expect(() => db.exec(`INSERT INTO badge_revocation VALUES ('r1', 1, 'again', 'now')`)).toThrow(/UNIQUE|PRIMARY/);
  },
  '0005-seat-wait': (db) => {
    expect(db.prepare(`SELECT sale_id, station FROM seat_wait WHERE session_id = 's1'`).all()).toEqual([
      { sale_id: 'sale9', station: 'station:desk-b' },
    ]);
    expect(() => db.exec(`INSERT INTO seat_wait VALUES ('sale9', 's1', 'x', 'e10', '{}', 'now', 'soon')`)).toThrow(
      /UNIQUE|PRIMARY/,
    ); // one wait per sale
    expect(() => db.exec(`INSERT INTO seat_wait VALUES ('sale10', 'ghost', 'x', 'e10', '{}', 'now', 'soon')`)).toThrow(
      /FOREIGN KEY/,
    );
  },
  '0006-desk-day': (db) => {
    expect(db.prepare(`SELECT amount, status FROM payment WHERE id = 'p1'`).get()).toEqual({
      amount: 2500,
      status: 'paid',
    });
    expect(db.prepare(`SELECT registrant_id, kind FROM registrant_change`).all()).toEqual([
      { registrant_id: 'r1', kind: 'correction' },
    ]);
    // One row per desk event (a redelivered RegistrantChanged is not recorded twice).
    expect(() =>
      db.exec(
        `INSERT INTO registrant_change (event_id, station, registrant_id, kind, fields_json, reason, at) VALUES ('e9', 'x', 'r1', 'correction', '[]', '', 'now')`,
      ),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.exec(
        `INSERT INTO payment (id, station, registrant_id, purpose, description, amount, currency, method, taken_at, status) VALUES ('p2', 'x', 'r1', 'seat', '', 5, 'EUR', 'cash', 'now', 'lost')`,
      ),
    ).toThrow(/CHECK/);
  },
  '0007-inbox-bodies': (db) => {
    // Events applied before keep no body; new ones keep the station's own bytes.
    expect(db.prepare(`SELECT id, body FROM inbox WHERE origin = 'station:desk-a' ORDER BY seq`).all()).toEqual([
      { id: 'e1', body: null },
      { id: 'e3', body: '{"id":"e3"}' },
    ]);
  },
};

describe('HQ migrations', () => {
  it('every migration has a seed and a check', () => {
    expect(Object.keys(seeds)).toEqual(Object.keys(hqMigrations));
    expect(Object.keys(checks)).toEqual(Object.keys(hqMigrations));
  });

  it('each migration runs on the previous version with data in place, and the data survives every later one', async () => {
    const t = tempDir('lanyard-hq-mig-');
    try {
      const raw = new Database(`${t.dir}/hq.db`);
      raw.pragma('foreign_keys = ON');
      const db = new Kysely<HqDB>({ dialect: new SqliteDialect({ database: raw }) });
      const names = Object.keys(hqMigrations);
      for (const [i, name] of names.entries()) {
        await migrateHq(db, name);
        seeds[name]!(raw);
        for (const earlier of names.slice(0, i + 1)) checks[earlier]!(raw);
      }
      await migrateHq(db); // latest: a no-op now, the data stays
      for (const name of names) checks[name]!(raw);
      await db.destroy();
    } finally {
      t.cleanup();
    }
  });
});
