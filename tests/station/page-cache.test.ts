/**
 * The page cache (main/store/db.ts): 8 MB for everyday work; a bulk write borrows 16 MB for its transaction, so its
 * dirty pages rarely spill before the commit, and gives it back — the memory freed — once the transaction ended.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registrantWriter, upsertConference, upsertTicketTypes } from '../../main/store/catalog';
import { openStationDb, type OpenedDb } from '../../main/store/db';
import type { Station } from '../../main/station/create-station';
import { dayAt, demoConference, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const EVERYDAY = -8000;
const BULK = -16000;

describe('the registrant writer and the page cache', () => {
  let o: OpenedDb;
  beforeEach(async () => {
    o = await openStationDb(`${t.dir}/c.db`);
    const c = smallConference();
    await upsertConference(o.db, c.conference, dayAt('09:00'));
    await upsertTicketTypes(o.db, c.conference.id, c.ticketTypes);
  });
  afterEach(() => o.close());
  const cacheSize = () => o.raw.pragma('cache_size', { simple: true });
  const people = (n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => ({
      id: `r${from + i}`,
      confirmationCode: `C-${from + i}`,
      firstName: 'Ada',
      lastName: `L${from + i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    }));

  it('keeps the everyday cache for a few rows, borrows the large one for a bulk write until its transaction ended', () => {
    const w = registrantWriter(o.raw);
    expect(cacheSize()).toBe(EVERYDAY);
    o.raw.transaction(() => w.upsert('conf-1', people(10), 'walkup', dayAt('09:00')))();
    w.endBulk();
    expect(cacheSize()).toBe(EVERYDAY);

    o.raw.exec('BEGIN IMMEDIATE');
    w.upsert('conf-1', people(1000, 10), 'import', dayAt('09:00'));
    expect(cacheSize()).toBe(BULK);
    w.endBulk(); // still inside the transaction: kept
    expect(cacheSize()).toBe(BULK);
    o.raw.exec('COMMIT');
    w.endBulk();
    expect(cacheSize()).toBe(EVERYDAY);
    expect(o.raw.prepare('SELECT count(*) AS n FROM registrant').get()).toEqual({ n: 1010 });
  });
});

describe('a station after an import', () => {
  let s: Station;
  beforeEach(async () => {
    s = await openStation(t.dir);
  });
  afterEach(() => s.close());
  const cacheSize = async () =>
    (await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(s.db)).rows[0]!.cache_size;

  it('is back on the everyday cache once an import committed, and again after a re-import', async () => {
    const demo = demoConference(); // 2,000 registrants: a bulk write
    expect(demo.registrants.length).toBeGreaterThanOrEqual(1000);
    must(await s.call('conference.import', { data: demo }));
    expect(await cacheSize()).toBe(EVERYDAY);
    expect(must(await s.call('station.status', {})).counts.registrants).toBe(demo.registrants.length);
    demo.registrants[0]!.company = 'Renamed Ltd';
    expect(must(await s.call('conference.import', { data: demo })).registrants).toEqual({ inserted: 0, updated: 1 });
    expect(await cacheSize()).toBe(EVERYDAY);
  });
});
