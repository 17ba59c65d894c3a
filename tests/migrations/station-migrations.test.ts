/**
 * Each station migration, run from the previous version with data in place: the data survives, and what the
 * migration adds is there and usable. A new migration adds its seed and check here.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { stationMigrations } from '../../migrations/station/index';
import { migrate, openStationDb } from '../../main/store/db';
import type { StationDB } from '../../main/store/schema';
import { tempDir } from '../support/fixtures';

type Raw = Database.Database;

/** Rows each migration's tables get once it has run; later migrations must keep them. */
const seeds: Record<string, (db: Raw) => void> = {
  '0001-catalog': (db) => {
    // Fixed dates: rows for the migration only; nothing compares them with now.
    db.exec(
      `INSERT INTO conference VALUES ('c1', 'Conf', 'UTC', '2026-12-01', '2026-12-02', NULL, '2026-11-01T00:00:00Z')`,
    );
    db.exec(
      `INSERT INTO session VALUES ('s1', 'c1', 'Panel', 'A', '2026-12-01T10:00:00Z', '2026-12-01T11:00:00Z', 20, 1, NULL)`,
    );
    db.exec(`INSERT INTO ticket_type VALUES ('full', 'c1', 'Full', 'standard')`);
    db.exec(`INSERT INTO registrant (id, conference_id, confirmation_code, first_name, last_name, email, company, ticket_type_id, origin, created_at, updated_at)
             VALUES ('r1', 'c1', 'C-1', 'Zoë', 'Łukasz', 'z@example.com', 'Acme', 'full', 'import', 'now', 'now')`);
    db.exec(
      `INSERT INTO registrant_fts (rowid, name, email, company, confirmation_code) VALUES (1, 'zoe lukasz', 'z example com', 'acme', 'c 1')`,
    );
    db.exec(`INSERT INTO entitlement VALUES ('r1', 's1', 'import', NULL, 'now')`);
  },
  '0002-sales': (db) => {
    db.exec(`INSERT INTO allotment VALUES ('a1', 's1', NULL, 3, 1, 'active', 'now', NULL)`);
    db.exec(
      `INSERT INTO sale VALUES ('sale1', 's1', 'r1', 'overdraft', 'pending', 1, 1, NULL, '{}', NULL, 'now', NULL, NULL, NULL)`,
    );
    db.exec(`INSERT INTO availability VALUES ('s1', 20, 5, 3, 7, 0.2, 'now', 'now')`);
    db.exec(
      `INSERT INTO reconciliation_case VALUES ('case1', 'sale1', 's1', 'r1', 'overdraft', 1, '{}', 'open', NULL, 'now', NULL)`,
    );
    db.exec(`INSERT INTO check_in (registrant_id, session_id, at) VALUES ('r1', NULL, 'now')`);
  },
  '0003-sync': (db) => {
    db.exec(`INSERT INTO outbox VALUES (1, 'e1', 'SeatSold', 's1', '{}', 'now', NULL)`);
    db.exec(`INSERT INTO inbox VALUES ('m1', 'Heartbeat', 'hq', 1, 'applied', NULL, '{}', 'now')`);
    // HQ messages an earlier version only recorded: HQ's id for the case of sale1, a badge revocation.
    db.exec(
      `INSERT INTO inbox VALUES ('m2', 'OversellCaseOpened', 'hq', 2, 'ignored', NULL, '{"payload":{"caseId":"hq-case-1","saleId":"sale1","sessionId":"s1","station":"station:desk-a","overBy":1}}', 'now')`,
    );
    db.exec(
      `INSERT INTO inbox VALUES ('m3', 'BadgeRevoked', 'hq', 3, 'ignored', NULL, '{"payload":{"registrantId":"r1","badgeVersion":1}}', 'now')`,
    );
    db.exec(`INSERT INTO counter VALUES ('outbox', 1)`);
    db.exec(`INSERT INTO settings VALUES ('station.id', 'desk-a')`);
  },
  '0004-staff-audit': (db) => {
    db.exec(
      `INSERT INTO staff (id, name, role, pin_hash, created_at) VALUES ('sup', 'Sup', 'supervisor', 'scrypt$x', 'now')`,
    );
    db.exec(`INSERT INTO audit_log VALUES (1, 'now', 'sup', 'test', 'x', '{}', '${'0'.repeat(64)}', 'h')`);
    db.exec(`INSERT INTO audit_head VALUES (1, 1, 'h')`);
  },
  '0005-printing': (db) => {
    db.exec(`INSERT INTO station_key VALUES ('0123456789ab', 'pub', 'priv', 'now', NULL)`);
    db.exec(
      `INSERT INTO badge VALUES ('r1', 1, 'printed', 'standard', 'LY1|c1|r1|1|0123456789ab|sig', '0123456789ab', 'now', 'now', NULL, NULL)`,
    );
    db.exec(`INSERT INTO printer (uri, language, media) VALUES ('tcp://127.0.0.1:9100', 'escpos', 'escpos-80-203')`);
    db.prepare(
      `INSERT INTO print_job VALUES ('j1', 'tcp://127.0.0.1:9100', 'badge', 'r1', 1, 'printed', 'printed', NULL, NULL, NULL, ?, 'now', 'now', 'now')`,
    ).run(Buffer.from([0x1b, 0x40]));
    db.exec(
      `INSERT INTO print_log (at, job_id, printer_uri, event, status, words, actor) VALUES ('now', 'j1', 'tcp://127.0.0.1:9100', 'finished', 'printed', 'printed', 'station')`,
    );
  },
  '0007-badges': (db) => {
    db.exec(`UPDATE conference SET logo = 'data:image/png;base64,iVBORw0KGgo=' WHERE id = 'c1'`);
    db.exec(`INSERT INTO ticket_type VALUES ('day-1', 'c1', 'Day pass', 'standard', 'DAY PASS', '[1]')`);
    db.exec(`UPDATE registrant SET profile_json = '{"preferredName":"Zo","pronouns":"she/her"}' WHERE id = 'r1'`);
    db.prepare(
      `INSERT INTO print_job VALUES ('j3', 'tcp://127.0.0.1:9100', 'badge', 'r1', 1, 'printed', 'printed', NULL, NULL, NULL, ?, 'now', 'now', 'now', ?)`,
    ).run(Buffer.from([0x1b, 0x40]), JSON.stringify([{ code: 'missing_glyphs', words: 'needs CJK' }]));
  },
  '0008-reconciliation': (db) => {
    // A case of another station's sale: no local sale row.
    db.exec(`INSERT INTO reconciliation_case (id, sale_id, session_id, registrant_id, station, tier, over_by, status, opened_at, due_at, default_action)
             VALUES ('hq-case-2', 'sale-at-b', 's1', 'r1', 'station:desk-b', 'overdraft', 1, 'open', 'now', 'later', 'waitlist')`);
    db.exec(
      `INSERT INTO case_request VALUES ('res-1', 'hq-case-2', 'sale-at-b', 'reverse', NULL, 'sup', '', 'now', 'pending', NULL, NULL)`,
    );
    db.exec(
      `INSERT INTO waitlist_entry VALUES ('w1', 's1', 'r1', 'station:desk-b', 'hq-case-2', 1, 'waiting', 'now', NULL, NULL)`,
    );
    db.exec(
      `INSERT INTO contact_flag VALUES ('hq-case-2', 'r1', 's1', 'waitlist', 1, 'on the waitlist', 'now', 'now')`,
    );
  },
  '0010-badge-prints': (db) => {
    db.exec(`INSERT INTO badge_print VALUES ('station:kiosk-2', 'job-k2', 'r1', 1, '2026-12-01T08:12:00Z')`);
  },
  '0011-desk-day': (db) => {
    db.exec(`UPDATE conference SET currency = 'EUR'`);
    db.exec(
      `UPDATE registrant SET status = 'pending', desk_fields_json = '{"firstName":"Zoe"}', code_key = 'C1', code_short = '1' WHERE id = 'r1'`,
    );
    db.exec(`INSERT INTO payment (id, registrant_id, sale_id, purpose, description, amount, currency, method, reference, reason, staff_id, station, created_at)
             VALUES ('p1', 'r1', NULL, 'ticket', 'Full', 12500, 'EUR', 'card', 'T-77', NULL, 'sup', 'station:desk-a', 'now')`);
    db.exec(`INSERT INTO seat_release VALUES ('r1', 's1', 'swapped', 'now')`);
    db.exec(`INSERT INTO badge_stock (at, cards, staff_id, note) VALUES ('now', 500, 'sup', '')`);
    db.exec(`INSERT INTO search_key VALUES ('zoe', 'zoe'), ('oe', 'zoe')`);
  },
  '0013-print-batches': (db) => {
    db.exec(
      `INSERT INTO print_batch VALUES ('b1', 'tcp://127.0.0.1:9100', 'name', NULL, 1, 'paused', 'paper out', 'j1', 'sup', 'now', 'now')`,
    );
    db.exec(
      `INSERT INTO print_batch_item VALUES ('b1', 1, NULL, 'Z', 'printed', NULL, NULL), ('b1', 2, 'r1', NULL, 'todo', NULL, NULL)`,
    );
    db.prepare(
      `INSERT INTO print_job (id, printer_uri, kind, registrant_id, status, bytes, created_at) VALUES ('j-receipt', 'tcp://127.0.0.1:9100', 'receipt', 'r1', 'printed', ?, 'now')`,
    ).run(Buffer.from([0x1b, 0x40]));
  },
  '0015-stream-recovery': (db) => {
    db.exec(`INSERT INTO stream_recovery VALUES (1, 'now', 'station-desk-a-old.db', 1, NULL)`);
  },
  '0016-outbox-sent-through': (db) => {
    db.exec(`UPDATE outbox_sent_through SET seq = 1, at = 'then'`);
  },
  '0017-allotment-seat-order': (db) => {
    // An older allotment granted after a newer one was written (granted_at out of rowid order).
    db.exec(`INSERT INTO allotment VALUES ('a0', 's1', NULL, 2, 0, 'active', 'earlier', NULL)`);
  },
};

/** What must hold once the migration (and every earlier one) has run. */
const checks: Record<string, (db: Raw) => void> = {
  '0001-catalog': (db) => {
    expect(db.prepare(`SELECT first_name FROM registrant WHERE id = 'r1'`).get()).toEqual({ first_name: 'Zoë' });
    expect(db.prepare(`SELECT rowid FROM registrant_fts WHERE registrant_fts MATCH 'luk*'`).all()).toEqual([
      { rowid: 1 },
    ]);
    expect(db.prepare(`SELECT count(*) n FROM entitlement`).get()).toEqual({ n: 1 });
  },
  '0002-sales': (db) => {
    expect(db.prepare(`SELECT status FROM sale WHERE id = 'sale1'`).get()).toEqual({ status: 'pending' });
    expect(db.prepare(`SELECT version FROM availability WHERE session_id = 's1'`).get()).toEqual({ version: 7 });
    expect(() =>
      db.exec(
        `INSERT INTO sale VALUES ('bad', 's1', 'r1', 'psychic', 'pending', 0, 0, NULL, '{}', NULL, 'now', NULL, NULL, NULL)`,
      ),
    ).toThrow(/CHECK/);
  },
  '0003-sync': (db) => {
    expect(db.prepare(`SELECT type FROM outbox WHERE seq = 1`).get()).toEqual({ type: 'SeatSold' });
    expect(db.prepare(`SELECT value FROM settings WHERE key = 'station.id'`).get()).toEqual({ value: 'desk-a' });
  },
  '0004-staff-audit': (db) => {
    expect(db.prepare(`SELECT name FROM staff`).all()).toEqual([{ name: 'Sup' }]);
    expect(() => db.exec(`DELETE FROM audit_log`)).toThrow(/append-only/);
  },
  '0005-printing': (db) => {
    expect(db.prepare(`SELECT status, length(bytes) n FROM print_job WHERE id = 'j1'`).get()).toEqual({
      status: 'printed',
      n: 2,
    });
    expect(db.prepare(`SELECT version, status FROM badge WHERE registrant_id = 'r1'`).get()).toEqual({
      version: 1,
      status: 'printed',
    });
    expect(() =>
      db.exec(
        `INSERT INTO print_job (id, printer_uri, kind, registrant_id, badge_version, status, bytes, created_at) VALUES ('j2', 'x', 'badge', 'r1', 1, 'maybe', x'00', 'now')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO badge VALUES ('ghost', 1, 'issued', 'standard', 'c', '0123456789ab', 'now', NULL, NULL, NULL)`,
      ),
    ).toThrow(/FOREIGN KEY/);
  },
  '0007-badges': (db) => {
    // Rows from before the migration have no optional fields: NULL, and they still print.
    expect(db.prepare(`SELECT badge_label, days_json FROM ticket_type WHERE id = 'full'`).get()).toEqual({
      badge_label: null,
      days_json: null,
    });
    expect(db.prepare(`SELECT warnings_json FROM print_job WHERE id = 'j1'`).get()).toEqual({ warnings_json: null });
    expect(db.prepare(`SELECT days_json FROM ticket_type WHERE id = 'day-1'`).get()).toEqual({ days_json: '[1]' });
    expect(
      JSON.parse((db.prepare(`SELECT profile_json p FROM registrant WHERE id = 'r1'`).get() as { p: string }).p),
    ).toEqual({ preferredName: 'Zo', pronouns: 'she/her' });
    expect(db.prepare(`SELECT logo FROM conference`).get()).toEqual({ logo: 'data:image/png;base64,iVBORw0KGgo=' });
  },
  '0008-reconciliation': (db) => {
    // The station's own case kept its story, took HQ's id from the inbox, and says who sold it.
    expect(
      db.prepare(`SELECT id, station, tier, over_by, status FROM reconciliation_case WHERE sale_id = 'sale1'`).get(),
    ).toEqual({ id: 'hq-case-1', station: 'station:desk-a', tier: 'overdraft', over_by: 1, status: 'open' });
    expect(db.prepare(`SELECT registrant_id, version FROM badge_revocation`).all()).toEqual([
      { registrant_id: 'r1', version: 1 },
    ]);
    expect(db.prepare(`SELECT room_for_extra_chair, oversell_default FROM session WHERE id = 's1'`).get()).toEqual({
      room_for_extra_chair: 1,
      oversell_default: null,
    });
    expect(db.prepare(`SELECT count(*) n FROM reconciliation_case`).get()).toEqual({ n: 2 });
    expect(() =>
      db.exec(
        `INSERT INTO case_request VALUES ('res-2', 'x', 'y', 'shrug', NULL, 'sup', '', 'now', 'pending', NULL, NULL)`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO reconciliation_case (id, sale_id, session_id, registrant_id, station, status) VALUES ('c9', 'sale1', 's1', 'r1', 'x', 'open')`,
      ),
    ).toThrow(/UNIQUE/);
  },
  '0010-badge-prints': (db) => {
    // The station's own printed jobs were carried over, beside another station's print.
    expect(
      db
        .prepare(`SELECT station, job_id, version FROM badge_print WHERE registrant_id = 'r1' ORDER BY station, job_id`)
        .all(),
    ).toEqual([
      { station: 'station:desk-a', job_id: 'j1', version: 1 },
      { station: 'station:desk-a', job_id: 'j3', version: 1 },
      { station: 'station:kiosk-2', job_id: 'job-k2', version: 1 },
    ]);
    expect(() => db.exec(`INSERT INTO badge_print VALUES ('station:kiosk-2', 'job-k2', 'r1', 2, 'now')`)).toThrow(
      /UNIQUE/,
    );
  },
  '0011-desk-day': (db) => {
    // Rows from before: paid, nothing set at a desk, free, valid on every track; check-ins keep their time.
    expect(db.prepare(`SELECT price, privileged, tracks_json FROM ticket_type WHERE id = 'full'`).get()).toEqual({
      price: null,
      privileged: 0,
      tracks_json: null,
    });
    expect(db.prepare(`SELECT price, track FROM session WHERE id = 's1'`).get()).toEqual({ price: null, track: null });
    expect(db.prepare(`SELECT count(*) n FROM check_in WHERE registrant_id = 'r1' AND station IS NULL`).get()).toEqual({
      n: 1,
    });
    expect(db.prepare(`SELECT amount, method, status FROM payment WHERE id = 'p1'`).get()).toEqual({
      amount: 12500,
      method: 'card',
      status: 'paid',
    });
    expect(db.prepare(`SELECT status, needs_reprint FROM registrant WHERE id = 'r1'`).get()).toEqual({
      status: 'pending',
      needs_reprint: 0,
    });
    expect(db.prepare(`SELECT term FROM search_key WHERE key = 'oe'`).all()).toEqual([{ term: 'zoe' }]);
    expect(() => db.exec(`UPDATE registrant SET status = 'lost' WHERE id = 'r1'`)).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO payment (id, registrant_id, purpose, description, amount, currency, method, station, created_at) VALUES ('p2', 'r1', 'ticket', '', 100, 'EUR', 'iou', 'x', 'now')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO payment (id, registrant_id, purpose, description, amount, currency, method, station, created_at) VALUES ('p3', 'ghost', 'ticket', '', 100, 'EUR', 'cash', 'x', 'now')`,
      ),
    ).toThrow(/FOREIGN KEY/);
  },
  '0013-print-batches': (db) => {
    // print_job was rebuilt: every job, its bytes and warnings survived; the new kinds are accepted, others not.
    expect(db.prepare(`SELECT id, length(bytes) n FROM print_job WHERE kind = 'badge' ORDER BY id`).all()).toEqual([
      { id: 'j1', n: 2 },
      { id: 'j3', n: 2 },
    ]);
    expect(db.prepare(`SELECT warnings_json w FROM print_job WHERE id = 'j3'`).get()).toEqual({
      w: JSON.stringify([{ code: 'missing_glyphs', words: 'needs CJK' }]),
    });
    expect(db.prepare(`SELECT count(*) n FROM print_job WHERE kind = 'receipt'`).get()).toEqual({ n: 1 });
    expect(() =>
      db.exec(
        `INSERT INTO print_job (id, printer_uri, kind, status, bytes, created_at) VALUES ('j9', 'x', 'poster', 'queued', x'00', 'now')`,
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO print_job (id, printer_uri, kind, status, bytes, created_at, reprint_of) VALUES ('j10', 'x', 'badge', 'queued', x'00', 'now', 'ghost')`,
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(
      db.prepare(`SELECT position, state FROM print_batch_item WHERE batch_id = 'b1' ORDER BY position`).all(),
    ).toEqual([
      { position: 1, state: 'printed' },
      { position: 2, state: 'todo' },
    ]);
    expect(() => db.exec(`INSERT INTO print_batch_item VALUES ('ghost', 1, NULL, 'A', 'todo', NULL, NULL)`)).toThrow(
      /FOREIGN KEY/,
    );
  },
  '0015-stream-recovery': (db) => {
    // While the restored station waits for HQ, no new outbox row can take a seq; once HQ answered, it can.
    const insert = `INSERT INTO outbox VALUES (2, 'e2', 'SeatSold', 's1', '{}', 'now', NULL)`;
    expect(() => db.exec(insert)).toThrow(/stream recovery pending/);
    db.exec('SAVEPOINT answered');
    db.exec(`INSERT INTO outbox VALUES (3, 'e3', 'SeatSold', 's1', '{}', 'now', 'now')`); // given back by HQ: already sent
    db.exec('DELETE FROM stream_recovery');
    db.exec(insert);
    expect(db.prepare(`SELECT count(*) n FROM outbox`).get()).toEqual({ n: 3 });
    db.exec('ROLLBACK TO answered');
    db.exec('RELEASE answered');
    expect(() => db.exec(`INSERT INTO stream_recovery VALUES (2, 'now', 'x', 0, NULL)`)).toThrow(/CHECK/);
  },
  '0016-outbox-sent-through': (db) => {
    // Row 1 (written unsent by 0003's seed) is sent by the prefix; a row after it by its own sent_at, or not yet.
    db.exec('SAVEPOINT rows');
    db.exec('DELETE FROM stream_recovery');
    db.exec(`INSERT INTO outbox VALUES (2, 'e2', 'SeatSold', 's1', '{}', 'now', NULL)`);
    db.exec(`INSERT INTO outbox VALUES (3, 'e3', 'SeatSold', 's1', '{}', 'now', 'later')`);
    expect(db.prepare(`SELECT seq, sent_at FROM outbox_status ORDER BY seq`).all()).toEqual([
      { seq: 1, sent_at: 'then' },
      { seq: 2, sent_at: null },
      { seq: 3, sent_at: 'later' },
    ]);
    db.exec('ROLLBACK TO rows');
    db.exec('RELEASE rows');
    expect(() => db.exec(`INSERT INTO outbox_sent_through VALUES (2, 0, NULL)`)).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE outbox_sent_through SET seq = -1`)).toThrow(/CHECK/);
  },
  '0017-allotment-seat-order': (db) => {
    // The seat comes from the oldest allotment with seats left, read in index order: no sort.
    const seat = `SELECT id FROM allotment WHERE session_id = 's1' AND status = 'active' AND used < seats
                  ORDER BY granted_at LIMIT 1`;
    expect(db.prepare(seat).get()).toEqual({ id: 'a0' });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${seat}`).all() as { detail: string }[]).map((r) => r.detail);
    expect(plan.join('\n')).toMatch(/USING INDEX allotment_session_granted/);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
    expect(db.prepare(`SELECT count(*) n FROM allotment`).get()).toEqual({ n: 2 });
  },
};

const names = Object.keys(stationMigrations);

describe('station migrations', () => {
  it('are numbered, in order, and every one has a seed and a check', () => {
    expect(names).toEqual([...names].sort());
    // Numbers are handed out per feature branch, so a branch may skip some; they never repeat or go back.
    const numbers = names.map((n) => Number(/^(\d{4})-[a-z0-9-]+$/.exec(n)?.[1]));
    numbers.forEach((n, i) => expect(n).toBeGreaterThan(i === 0 ? 0 : numbers[i - 1]!));
    for (const n of names) {
      expect(seeds[n], `seed for ${n}`).toBeTypeOf('function');
      expect(checks[n], `check for ${n}`).toBeTypeOf('function');
    }
  });

  names.forEach((name, i) => {
    it(`${i === 0 ? 'empty' : names[i - 1]} → ${name} with data in place`, async () => {
      const t = tempDir();
      const raw = new Database(`${t.dir}/m.db`);
      raw.pragma('foreign_keys = ON');
      const db = new Kysely<StationDB>({ dialect: new SqliteDialect({ database: raw }) });
      try {
        // Each earlier version writes its rows as that version would (its seed runs right after its own migration).
        for (const earlier of names.slice(0, i)) {
          await migrate(db, earlier);
          seeds[earlier]!(raw);
        }
        await migrate(db, name);
        for (const earlier of names.slice(0, i)) checks[earlier]!(raw);
        seeds[name]!(raw);
        checks[name]!(raw);
      } finally {
        await db.destroy();
        t.cleanup();
      }
    });
  });

  it('opening skips the migrator only when every migration is recorded: a database the previous version wrote is migrated', async () => {
    const t = tempDir();
    try {
      const first = await openStationDb(`${t.dir}/s.db`);
      expect(first.raw.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(names);
      await first.close();
      const again = await openStationDb(`${t.dir}/s.db`);
      expect(again.raw.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(names);
      await again.close();
      // A database the previous version wrote: the latest migration runs at open.
      const raw = new Database(`${t.dir}/old.db`);
      const old = new Kysely<StationDB>({ dialect: new SqliteDialect({ database: raw }) });
      await migrate(old, names.at(-2)!);
      await old.destroy();
      const behind = await openStationDb(`${t.dir}/old.db`);
      expect(behind.raw.prepare('SELECT name FROM kysely_migration ORDER BY name').pluck().all()).toEqual(names);
      await behind.close();
    } finally {
      t.cleanup();
    }
  });
});
