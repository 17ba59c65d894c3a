import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { dbDigest } from '../support/db-snapshot';
import { addDays, daysBetween, localDay } from '../../core/calendar';
import { demoConference, FakeClock, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
const dbPath = () => `${t.dir}/desk-a.db`;

beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir);
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('conference.import', () => {
  it('imports the demo conference and re-imports without duplicating', async () => {
    const demo = demoConference();
    const progress: number[] = [];
    const sub = s.events$.subscribe((e) => e.type === 'progress' && progress.push(e.done));
    const first = must(await s.call('conference.import', { data: demo }));
    expect(first).toMatchObject({ conferenceId: demo.conference.id, sessions: demo.sessions.length, registrants: { inserted: demo.registrants.length, updated: 0 } });
    expect(progress.at(-1)).toBe(demo.registrants.length);
    expect(progress.length).toBeGreaterThan(2);

    // Change one registrant, re-import: one update, nothing duplicated.
    demo.registrants[5]!.company = 'Renamed Ltd';
    const again = must(await s.call('conference.import', { data: demo }));
    expect(again.registrants).toEqual({ inserted: 0, updated: 1 });
    sub.unsubscribe();
    const status = must(await s.call('station.status', {}));
    expect(status.counts.registrants).toBe(demo.registrants.length);
    expect(status.counts.sessions).toBe(demo.sessions.length);
    expect(must(await s.call('registrant.search', { query: 'Renamed' })).map((r) => r.id)).toEqual([demo.registrants[5]!.id]);
  });

  it('moves the demo conference to the venue\'s today on request, keeping each session\'s time of day', async () => {
    await s.close();
    // "Today" is the venue's day by the clock the test hands the station.
    const clock = new FakeClock();
    s = await openStation(t.dir, { clock });
    const committed = demoConference(demoConference().conference.startsOn); // unshifted copy of the committed file
    const r = must(await s.call('conference.import', { data: committed, shiftTo: 'today' }));
    const today = localDay(clock.now(), committed.conference.timezone);
    expect(r.startsOn).toBe(today);
    const sessions = must(await s.call('sessions.list', {}));
    const localTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Lisbon', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
    const byId = new Map(committed.sessions.map((x) => [x.id, x]));
    for (const x of sessions) {
      const orig = byId.get(x.id)!;
      expect(localTime(x.startsAt)).toBe(localTime(orig.startsAt));
      expect(daysBetween(orig.startsAt.slice(0, 10), localDay(Date.parse(x.startsAt), 'Europe/Lisbon'))).toBe(daysBetween(committed.conference.startsOn, today));
    }
    const order = (list: { id: string; startsAt: string }[]) => [...list].sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1)).map((x) => x.id);
    expect(order(sessions)).toEqual(order(committed.sessions));
    const status = must(await s.call('station.status', {}));
    expect(status.conference).toMatchObject({ startsOn: today, endsOn: addDays(today, daysBetween(committed.conference.startsOn, committed.conference.endsOn)) });
  });

  it('imports a conference as it is unless asked to move it, and refuses a bad target date writing nothing', async () => {
    const data = smallConference('2031-05-05'); // no code compares this file's dates with now in this test
    expect(must(await s.call('conference.import', { data })).startsOn).toBe('2031-05-05');
    const before = dbDigest(dbPath());
    for (const shiftTo of ['2026-02-30', 'tomorrow', '05/05/2031']) {
      const r = await s.call('conference.import', { data, shiftTo: shiftTo as 'today' });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(dbDigest(dbPath())).toBe(before);
  });

  it('derives seat numbers from entitlements until HQ speaks', async () => {
    const data = smallConference();
    must(await s.call('conference.import', { data }));
    const panel = must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!;
    expect(panel.availability).toMatchObject({ capacity: 10, sold: 1, allotted: 0, version: 0, hqTime: null });
  });

  it('refuses a second, different conference and writes nothing', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    const before = dbDigest(dbPath());
    const other = smallConference();
    other.conference.id = 'conf-2';
    const r = await s.call('conference.import', { data: other });
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(dbDigest(dbPath())).toBe(before);
  });

  it('rejects an invalid file naming the bad field, and writes nothing', async () => {
    const before = dbDigest(dbPath());
    const data = smallConference();
    data.registrants[1]!.sessions = ['no-such-session'];
    const r = await s.call('conference.import', { data });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(r.error.message).toContain('registrants[1].sessions[0]');
      expect(r.error.message).toContain('unknown session "no-such-session"');
    }
    expect(dbDigest(dbPath())).toBe(before);
  });
});

describe('registrants.importCsv', () => {
  const csv = [
    'Order Ref,Given Name,Family Name,E-mail,Organisation,Ticket,Workshops',
    'EXT-1001,Łucja,Wróblewska,lucja@example.pl,Allegro Labs,full,panel;workshop',
    'EXT-1002,"Nguyễn Thị",Minh,minh@example.vn,"Saigon Soft, Ltd",full,',
  ].join('\n');
  const mapping = { confirmationCode: 'Order Ref', firstName: 'Given Name', lastName: 'Family Name', email: 'E-mail', company: 'Organisation', ticketTypeId: 'Ticket', sessions: 'Workshops' };

  it('imports through a column mapping and updates on re-import', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    const r = must(await s.call('registrants.importCsv', { csv, mapping }));
    expect(r.registrants).toEqual({ inserted: 2, updated: 0 });
    const found = must(await s.call('registrant.search', { query: 'lucja wrob' }));
    expect(found[0]).toMatchObject({ confirmationCode: 'EXT-1001', company: 'Allegro Labs' });
    const detail = must(await s.call('registrant.get', { id: found[0]!.id }));
    expect(detail.sessions.map((x) => x.sessionId).sort()).toEqual(['panel', 'workshop']);
    const again = must(await s.call('registrants.importCsv', { csv: csv.replace('Allegro Labs', 'Allegro'), mapping }));
    expect(again.registrants).toEqual({ inserted: 0, updated: 1 });
    expect(must(await s.call('station.status', {})).counts.registrants).toBe(6);
  });

  it.each([
    ['a mapped column that is missing', { ...mapping, company: 'Company' }, csv, 'not in the CSV'],
    ['a bad email on one line', mapping, csv.replace('minh@example.vn', 'not-an-email'), 'line 3'],
    ['an unknown ticket type', mapping, csv.replace(',full,panel', ',vip,panel'), 'unknown ticket type "vip"'],
    ['an unknown session', mapping, csv.replace('panel;workshop', 'panel;nope'), 'unknown session(s) nope'],
    ['unbalanced quotes', mapping, csv + '\nEXT-9,"broken,x,y,z,full,', 'could not be read'],
  ])('rejects %s and writes nothing', async (_n, map, text, message) => {
    must(await s.call('conference.import', { data: smallConference() }));
    const before = dbDigest(dbPath());
    const r = await s.call('registrants.importCsv', { csv: text, mapping: map });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
    expect(dbDigest(dbPath())).toBe(before);
  });
});

describe('registrant.search', () => {
  beforeEach(async () => {
    must(await s.call('conference.import', { data: demoConference() }));
  });
  const ids = async (query: string) => must(await s.call('registrant.search', { query })).map((r) => `${r.firstName} ${r.lastName}`);

  it('is accent- and case-insensitive both ways', async () => {
    expect(await ids('jose nunez')).toContain('José Ñúñez');
    expect(await ids('JOSÉ ÑÚÑEZ')).toContain('José Ñúñez');
    expect(await ids('zoe lukasz')).toContain('Zoë Łukasz');
    expect(await ids('soren odegard')).toContain('Søren Ødegård');
    expect(await ids('sukru celik')).toContain('Şükrü Çelik');
    expect((await ids('nguyen thi minh')).some((n) => n.includes('Nguyễn'))).toBe(true);
  });
  it('matches prefixes in any word order', async () => {
    expect(await ids('nun jos')).toContain('José Ñúñez');
    expect(await ids('luk zo')).toContain('Zoë Łukasz');
  });
  it('finds by email and confirmation code', async () => {
    const demo = demoConference();
    const r = demo.registrants[42]!;
    expect(must(await s.call('registrant.search', { query: r.confirmationCode }))[0]!.id).toBe(r.id);
    expect(must(await s.call('registrant.search', { query: r.confirmationCode.toLowerCase().slice(0, 8) })).map((x) => x.id)).toContain(r.id);
    expect(must(await s.call('registrant.search', { query: r.email }))[0]!.id).toBe(r.id);
  });
  it('ranks a name match above a company match', async () => {
    // Two demo registrants work at companies named with a word that is also this walk-up's surname.
    const demo = demoConference();
    const word = demo.registrants.find((r) => /^[A-Za-z]{5,}$/.test(r.company.split(' ')[0] ?? ''))!.company.split(' ')[0]!;
    const person = must(await s.call('registrant.registerWalkUp', { firstName: 'Pat', lastName: word, company: 'Elsewhere', ticketTypeId: demo.ticketTypes[0]!.id }));
    const res = must(await s.call('registrant.search', { query: word.toLowerCase(), limit: 50 }));
    expect(res.length).toBeGreaterThan(1);
    expect(res[0]!.id).toBe(person.id);
  });
  it('returns nothing for empty or punctuation-only queries and treats FTS syntax as text', async () => {
    expect(await ids('')).toEqual([]);
    expect(await ids('   ')).toEqual([]);
    expect(await ids('"*()-:')).toEqual([]);
    expect(Array.isArray(await ids('NEAR(a b) OR name:x AND "'))).toBe(true);
  });
  it('respects the limit', async () => {
    expect(must(await s.call('registrant.search', { query: 'a', limit: 7 }))).toHaveLength(7);
  });
});

describe('registrant.registerWalkUp', () => {
  it('registers, finds, and queues the event', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    const r = must(await s.call('registrant.registerWalkUp', { firstName: 'Walk', lastName: 'Úp', email: 'walk@example.com', company: 'Street', ticketTypeId: 'full' }));
    expect(r.origin).toBe('walkup');
    expect(r.confirmationCode).toMatch(/^WDESK-[2-9A-Z]{6}$/);
    expect(must(await s.call('registrant.search', { query: 'walk up' }))[0]!.id).toBe(r.id);
    expect(must(await s.call('station.status', {})).outbox).toMatchObject({ depth: 1, lastSeq: 1 });
  });
  it('rejects an unknown ticket type and a nameless person', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    expect(await s.call('registrant.registerWalkUp', { firstName: 'A', lastName: 'B', ticketTypeId: 'vip' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await s.call('registrant.registerWalkUp', { firstName: ' ', lastName: '', ticketTypeId: 'full' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
