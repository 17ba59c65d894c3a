/**
 * A damaged or foreign station database is noticed when the station opens: a corrupted copy refuses sales and every
 * other write with a message that tells staff what to do, `status` and `audit.verify` say so; a database written by
 * a newer Lanyard is named as such (not "corrupted"); a file that is not a database is refused.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawExec } from '../support/db-snapshot';
import { dayAt, demoConference, FakeClock, hq, must, openStation, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station | undefined;
const clock = new FakeClock();

beforeEach(() => {
  t = tempDir();
});
afterEach(async () => {
  await s?.close();
  s = undefined;
  t.cleanup();
});

/** A healthy demo station that has heard from HQ (so a sale would be allowed), closed, WAL folded into the file. */
async function healthyStation(): Promise<string> {
  const st = await openStation(t.dir, { clock, stationId: 'desk-a' });
  must(await st.call('conference.import', { data: demoConference() }));
  must(
    await st.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: dayAt('08:45') }, { conferenceId: 'ldc26' }) }),
  );
  await st.close();
  return `${t.dir}/desk-a.db`;
}

/** A copy of `file` with 8 KiB of (seeded) noise written into its middle, as a failing disk or a bad copy would. */
function corruptCopy(file: string, name: string): string {
  const copy = `${t.dir}/${name}.db`;
  copyFileSync(file, copy);
  let x = 0x2545f491;
  const noise = Buffer.alloc(8192, 0).map(() => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
  const fd = openSync(copy, 'r+');
  writeSync(fd, noise, 0, noise.length, Math.floor(statSync(copy).size / 2));
  closeSync(fd);
  return copy;
}

/** The bytes of a database and its WAL (dbDigest cannot read a damaged file): equal means nothing was written. */
function fileDigest(file: string): string {
  const h = createHash('sha256').update(readFileSync(file));
  if (existsSync(`${file}-wal`)) h.update(readFileSync(`${file}-wal`));
  return h.digest('hex');
}

function rawQuickCheck(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return (db.pragma('quick_check', { simple: true }) as string) ?? '';
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

const openAt = (path: string, extra: object = {}) =>
  openStation(t.dir, { clock, dbPath: path, stationId: 'desk-a', ...extra });

describe('integrity at open', () => {
  it.each([
    ['checked at open on the station connection (a small database)', {}],
    ['checked in a worker thread (a large database; forced here)', { integrityInlineMaxPages: 0 }],
  ])('a corrupted copy, %s: sales and other writes are refused, status and audit.verify say so', async (_n, opts) => {
    const copy = corruptCopy(await healthyStation(), 'corrupt');
    expect(rawQuickCheck(copy)).not.toBe('ok'); // the premise: SQLite itself finds the damage
    s = await openAt(copy, opts);
    const before = fileDigest(copy);

    const sale = await s.call('sale.sell', { sessionId: 's-d1-talk-qr-codes', registrantId: 'r-00043' });
    expect(sale).toMatchObject({ ok: false, error: { code: 'damaged' } });
    if (!sale.ok) expect(sale.error.message).toMatch(/database is damaged.*nothing was saved.*restore the last backup/);
    const walkUp = await s.call('registrant.registerWalkUp', { firstName: 'Ana', lastName: 'B', ticketTypeId: 'full' });
    expect(walkUp).toMatchObject({ ok: false, error: { code: 'damaged' } });

    const status = must(await s.call('station.status', {}));
    expect(status.integrity).toMatchObject({
      state: 'damaged',
      message: expect.stringContaining('restore the last backup'),
    });
    expect(status.integrity.problems.length).toBeGreaterThan(0);

    const audit = must(await s.call('audit.verify', {}));
    expect(audit.ok).toBe(false);
    expect(audit.integrity.state).toBe('damaged');
    expect(audit.problem).toContain('integrity check');
    expect(fileDigest(copy)).toBe(before);
  });

  it('a sound database opens as ok on either path, and sells', async () => {
    const file = await healthyStation();
    s = await openAt(file, { integrityInlineMaxPages: 0 });
    expect(await s.integrity()).toEqual({ ok: true, problems: [] });
    expect(must(await s.call('station.status', {})).integrity).toEqual({ state: 'ok', problems: [], message: null });
    expect(must(await s.call('sale.sell', { sessionId: 's-d1-talk-qr-codes', registrantId: 'r-00043' })).outcome).toBe(
      'proceed',
    );
    expect(must(await s.call('audit.verify', {}))).toMatchObject({ ok: true, integrity: { state: 'ok' } });
  });

  it('damage only the full check finds: audit.verify records it, and writes are refused from then on', async () => {
    const file = await healthyStation();
    // Damage quick_check at open does not see: an index that disagrees with its table (integrity_check does).
    const db = new Database(file);
    db.unsafeMode(true); // lifts better-sqlite3's defensive flag, which forbids writing the schema
    db.pragma('writable_schema = ON');
    db.prepare(
      `UPDATE sqlite_master SET sql = replace(sql, 'registrant(confirmation_code)', 'registrant(email)') WHERE name = 'registrant_code'`,
    ).run();
    db.close();
    s = await openAt(file);
    expect(must(await s.call('station.status', {})).integrity.state).toBe('ok');
    const audit = must(await s.call('audit.verify', {}));
    expect(audit).toMatchObject({ ok: false, integrity: { state: 'damaged' } });
    expect(await s.call('sale.sell', { sessionId: 's-d1-talk-qr-codes', registrantId: 'r-00043' })).toMatchObject({
      ok: false,
      error: { code: 'damaged' },
    });
  });
});

describe('databases this build cannot use', () => {
  it('a database written by a newer Lanyard says so, and that it is not corrupted', async () => {
    const file = await healthyStation();
    rawExec(
      file,
      `INSERT INTO kysely_migration (name, timestamp) VALUES ('0099-from-the-future', '2030-01-01T00:00:00.000Z')`,
    );
    const before = dbDigest(file);
    await expect(openAt(file)).rejects.toThrow(
      /written by a newer version of Lanyard \(migration 0099-from-the-future\); it is not corrupted — use the newer version/,
    );
    expect(dbDigest(file)).toBe(before);
  });

  it('a file that is not a database is refused with a readable message and left alone', async () => {
    const file = `${t.dir}/notes.db`;
    writeFileSync(file, 'Shopping list: milk, lanyards, more lanyards. '.repeat(200));
    const before = statSync(file).size;
    await expect(openAt(file)).rejects.toThrow(/is not a Lanyard station database/);
    expect(statSync(file).size).toBe(before);
  });
});
