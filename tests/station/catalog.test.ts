import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
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
    const progress: { phase: string; done: number; total: number }[] = [];
    const sub = s.events$.subscribe(
      (e) => e.type === 'progress' && progress.push({ phase: e.phase, done: e.done, total: e.total }),
    );
    const first = must(await s.call('conference.import', { data: demo }));
    expect(first).toMatchObject({
      conferenceId: demo.conference.id,
      sessions: demo.sessions.length,
      registrants: { inserted: demo.registrants.length, updated: 0 },
    });
    // The rows, then the search index, each counted up to every registrant, then done.
    const n = demo.registrants.length;
    expect(progress.map((p) => p.phase).filter((p, i, a) => p !== a[i - 1])).toEqual(['writing', 'indexing', 'done']);
    for (const phase of ['writing', 'indexing']) {
      const steps = progress.filter((p) => p.phase === phase);
      expect(steps.length).toBeGreaterThan(0);
      expect(steps.every((p, i) => p.total === n && (i === 0 || p.done > steps[i - 1]!.done))).toBe(true);
      expect(steps.at(-1)!.done).toBe(n);
    }
    progress.length = 0;

    // Change one registrant, re-import: one update, nothing duplicated.
    demo.registrants[5]!.company = 'Renamed Ltd';
    const again = must(await s.call('conference.import', { data: demo }));
    expect(again.registrants).toEqual({ inserted: 0, updated: 1 });
    // Only the changed registrant is indexed again, and the bar says so.
    expect(progress.filter((p) => p.phase === 'indexing')).toEqual([{ phase: 'indexing', done: 1, total: 1 }]);
    sub.unsubscribe();
    const status = must(await s.call('station.status', {}));
    expect(status.counts.registrants).toBe(demo.registrants.length);
    expect(status.counts.sessions).toBe(demo.sessions.length);
    expect(must(await s.call('registrant.search', { query: 'Renamed' })).map((r) => r.id)).toEqual([
      demo.registrants[5]!.id,
    ]);
  });

  it("moves the demo conference to the venue's today on request, keeping each session's time of day", async () => {
    await s.close();
    // "Today" is the venue's day by the clock the test hands the station.
    const clock = new FakeClock();
    s = await openStation(t.dir, { clock });
    const committed = demoConference(demoConference().conference.startsOn); // unshifted copy of the committed file
    const r = must(await s.call('conference.import', { data: committed, shiftTo: 'today' }));
    const today = localDay(clock.now(), committed.conference.timezone);
    expect(r.startsOn).toBe(today);
    const sessions = must(await s.call('sessions.list', {}));
    const localTime = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Lisbon',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(iso));
    const byId = new Map(committed.sessions.map((x) => [x.id, x]));
    for (const x of sessions) {
      const orig = byId.get(x.id)!;
      expect(localTime(x.startsAt)).toBe(localTime(orig.startsAt));
      expect(daysBetween(orig.startsAt.slice(0, 10), localDay(Date.parse(x.startsAt), 'Europe/Lisbon'))).toBe(
        daysBetween(committed.conference.startsOn, today),
      );
    }
    const order = (list: { id: string; startsAt: string }[]) =>
      [...list]
        .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt) || (a.id < b.id ? -1 : 1))
        .map((x) => x.id);
    expect(order(sessions)).toEqual(order(committed.sessions));
    const status = must(await s.call('station.status', {}));
    expect(status.conference).toMatchObject({
      startsOn: today,
      endsOn: addDays(today, daysBetween(committed.conference.startsOn, committed.conference.endsOn)),
    });
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

  it('rejects a file where two registrants share a confirmation code, naming both, and writes nothing', async () => {
    const before = dbDigest(dbPath());
    const data = smallConference();
    data.registrants[2]!.confirmationCode = data.registrants[0]!.confirmationCode;
    const r = await s.call('conference.import', { data });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringContaining(
          'registrants[2].confirmationCode: confirmation code "LDC-AAA111" is used by both "r1" and "r3"',
        ),
      },
    });
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
  const mapping = {
    confirmationCode: 'Order Ref',
    firstName: 'Given Name',
    lastName: 'Family Name',
    email: 'E-mail',
    company: 'Organisation',
    ticketTypeId: 'Ticket',
    sessions: 'Workshops',
  };

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
    ['unbalanced quotes', mapping, csv + '\nEXT-9,"broken,x,y,z,full,', 'could not be read'],
    [
      'a header that names a column twice',
      mapping,
      csv.replace('Organisation', 'Family Name'),
      'names "Family Name" twice',
    ],
    ['a header without rows', mapping, csv.split('\n')[0]!, 'no rows'],
    [
      'a file whose every row is bad',
      mapping,
      csv.replace('lucja@example.pl', 'x').replace('minh@example.vn', 'y'),
      'every row was rejected (line 2: email',
    ],
  ])('rejects %s as a whole and writes nothing', async (_n, map, text, message) => {
    must(await s.call('conference.import', { data: smallConference() }));
    const before = dbDigest(dbPath());
    const r = await s.call('registrants.importCsv', { csv: text, mapping: map });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!r.ok) expect(r.error.message).toContain(message);
    expect(dbDigest(dbPath())).toBe(before);
  });

  it.each([
    ['a bad email', csv.replace('minh@example.vn', 'not-an-email'), 3, 'email'],
    ['an unknown ticket type', csv.replace(',full,panel', ',vip,panel'), 2, 'unknown ticket type "vip"'],
    ['an unknown session', csv.replace('panel;workshop', 'panel;nope'), 2, 'unknown session nope'],
    [
      'a missing field',
      csv.replace(',full,\n', ',full\n').replace(/,full,$/, ',full'),
      3,
      'it has 6 fields; the header has 7',
    ],
  ])(
    'rejects a row with %s alone: listed by line, nothing of it written, the good row imported',
    async (_n, text, line, reason) => {
      must(await s.call('conference.import', { data: smallConference() }));
      const r = must(await s.call('registrants.importCsv', { csv: text, mapping }));
      expect(r.registrants).toEqual({ inserted: 1, updated: 0 });
      expect(r.rejected).toEqual([{ line, reason: expect.stringContaining(reason) }]);
      expect(r.rejectedCount).toBe(1);
      const badCode = line === 2 ? 'EXT-1001' : 'EXT-1002';
      expect(must(await s.call('registrant.search', { query: badCode }))).toEqual([]);
      expect(must(await s.call('registrant.search', { query: line === 2 ? 'EXT-1002' : 'EXT-1001' }))).toHaveLength(1);
      expect(must(await s.call('station.status', {})).counts.registrants).toBe(5);
    },
  );

  it('lists at most 100 rejected rows and counts the rest', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    const rows = Array.from({ length: 150 }, (_, i) => `BAD-${i},A,B,not-mail,,full,`);
    const r = must(await s.call('registrants.importCsv', { csv: [csv, ...rows].join('\n'), mapping }));
    expect(r.registrants.inserted).toBe(2);
    expect(r.rejected).toHaveLength(100);
    expect(r.rejected[0]).toMatchObject({ line: 4 });
    expect(r.rejectedCount).toBe(150);
  });
});

describe('registrants.importCsv never overwrites a different person', () => {
  const orderCsv = (rows: string[]) => ['Order Ref,Given Name,Family Name,Email', ...rows].join('\n');
  const orderMap = { confirmationCode: 'Order Ref', firstName: 'Given Name', lastName: 'Family Name', email: 'Email' };
  const jakub = () => demoConference().registrants.find((r) => r.id === 'r-00003')!;
  const seatsOf = async (id: string) =>
    must(await s.call('registrant.get', { id }))
      .sessions.map((x) => x.sessionId)
      .sort();

  beforeEach(async () => {
    must(await s.call('conference.import', { data: demoConference() }));
  });

  it('a code-derived id lives in its own namespace: "00003" is a new person, not r-00003 (issue 11)', async () => {
    const before = must(await s.call('registrant.get', { id: 'r-00003' }));
    const r = must(
      await s.call('registrants.importCsv', {
        csv: orderCsv(['00003,Pat,Newcomer,pat@other.example']),
        mapping: orderMap,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(r.registrants).toEqual({ inserted: 1, updated: 0 });
    expect(r.rejected).toEqual([]);
    expect(must(await s.call('registrant.get', { id: 'r-00003' }))).toEqual(before);
    expect(before.sessions).toHaveLength(jakub().sessions.length);
    expect(must(await s.call('registrant.get', { id: 'csv-00003' }))).toMatchObject({
      firstName: 'Pat',
      lastName: 'Newcomer',
      confirmationCode: '00003',
      ticketTypeId: 'day-2',
      sessions: [],
    });
  });

  it('matches on confirmation code and email together, and changes only the mapped fields', async () => {
    const j = jakub();
    // Badge fields a CSV cannot map must survive the update too.
    const data = demoConference();
    Object.assign(
      data.registrants.find((r) => r.id === 'r-00003')!,
      { preferredName: 'Kuba', pronouns: 'he/him' },
    );
    must(await s.call('conference.import', { data }));
    const profile = () =>
      JSON.parse(
        rawAll<{ profile_json: string }>(dbPath(), `SELECT profile_json FROM registrant WHERE id = 'r-00003'`)[0]!
          .profile_json,
      ) as object;
    const profileBefore = profile();
    expect(profileBefore).toMatchObject({ preferredName: 'Kuba', pronouns: 'he/him' });
    const r = must(
      await s.call('registrants.importCsv', {
        csv: orderCsv([`${j.confirmationCode},Jakub,Černý-Novák,${j.email.toUpperCase()}`]),
        mapping: orderMap,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(r.registrants).toEqual({ inserted: 0, updated: 1 });
    const after = must(await s.call('registrant.get', { id: 'r-00003' }));
    expect(after).toMatchObject({ lastName: 'Černý-Novák', company: j.company, ticketTypeId: j.ticketTypeId });
    expect(await seatsOf('r-00003')).toEqual([...j.sessions].sort());
    expect(profile()).toEqual(profileBefore);
  });

  it('rejects, by line and naming whom, a row whose code belongs to someone with another email; the rest imports', async () => {
    const j = jakub();
    const before = must(await s.call('registrant.get', { id: 'r-00003' }));
    const r = must(
      await s.call('registrants.importCsv', {
        csv: orderCsv(['NEW-1,Ana,Nova,ana@new.example', `${j.confirmationCode},Pat,Newcomer,pat@other.example`]),
        mapping: orderMap,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(r.registrants).toEqual({ inserted: 1, updated: 0 });
    expect(r.rejected).toEqual([
      {
        line: 3,
        reason: expect.stringMatching(
          /belongs to Jakub Černý \("r-00003"\) with another email; this row would overwrite a different person/,
        ),
      },
    ]);
    expect(must(await s.call('registrant.get', { id: 'r-00003' }))).toEqual(before);
  });

  it('without an email column a known code is rejected (no key to match on)', async () => {
    const j = jakub();
    const r = await s.call('registrants.importCsv', {
      csv: `Code,Name\n${j.confirmationCode},Pat`,
      mapping: { confirmationCode: 'Code', firstName: 'Name' },
      defaults: { ticketTypeId: 'day-2' },
    });
    expect(r).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringContaining('map its id column or its email column') },
    });
  });

  it('an id column is an explicit key, but not onto a registrant with another confirmation code', async () => {
    const j = jakub();
    const map = { ...orderMap, id: 'Id' };
    const rows = (lines: string[]) => ['Id,Order Ref,Given Name,Family Name,Email', ...lines].join('\n');
    const hostile = must(
      await s.call('registrants.importCsv', {
        csv: rows(['r-00003,00003,Pat,Newcomer,pat@other.example', 'ext-9,LDC-NEW999,Ana,Nova,']),
        mapping: map,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(hostile.rejected).toEqual([
      {
        line: 2,
        reason: expect.stringContaining(
          `registrant "r-00003" is Jakub Černý with confirmation code "${j.confirmationCode}", not "00003"`,
        ),
      },
    ]);
    expect(must(await s.call('registrant.get', { id: 'r-00003' })).firstName).toBe('Jakub');
    const fix = must(
      await s.call('registrants.importCsv', {
        csv: rows([`r-00003,${j.confirmationCode},Jakob,Černý,${j.email}`]),
        mapping: map,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(fix.registrants).toEqual({ inserted: 0, updated: 1 });
    expect(must(await s.call('registrant.get', { id: 'r-00003' })).firstName).toBe('Jakob');
    expect(await seatsOf('r-00003')).toEqual([...j.sessions].sort());
  });

  it('two rows for one registrant in one file: neither is imported', async () => {
    const r = must(
      await s.call('registrants.importCsv', {
        csv: orderCsv(['D-1,Ana,One,', 'D-2,Bo,Two,', 'D-1,Ana,Other,']),
        mapping: orderMap,
        defaults: { ticketTypeId: 'day-2' },
      }),
    );
    expect(r.registrants).toEqual({ inserted: 1, updated: 0 });
    expect(r.rejected.map((x) => x.line)).toEqual([2, 4]);
    expect(r.rejected[0]!.reason).toContain('lines 2, 4 are all registrant "csv-D-1"');
  });
});

describe('registrant.search', () => {
  beforeEach(async () => {
    must(await s.call('conference.import', { data: demoConference() }));
  });
  const ids = async (query: string) =>
    must(await s.call('registrant.search', { query })).map((r) => `${r.firstName} ${r.lastName}`);

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
    expect(
      must(await s.call('registrant.search', { query: r.confirmationCode.toLowerCase().slice(0, 8) })).map((x) => x.id),
    ).toContain(r.id);
    expect(must(await s.call('registrant.search', { query: r.email }))[0]!.id).toBe(r.id);
  });
  it('ranks a name match above a company match', async () => {
    // Two demo registrants work at companies named with a word that is also this walk-up's surname.
    const demo = demoConference();
    const word = demo.registrants
      .find((r) => /^[A-Za-z]{5,}$/.test(r.company.split(' ')[0] ?? ''))!
      .company.split(' ')[0]!;
    const person = must(
      await s.call('registrant.registerWalkUp', {
        firstName: 'Pat',
        lastName: word,
        company: 'Elsewhere',
        ticketTypeId: demo.ticketTypes[0]!.id,
      }),
    );
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
    const r = must(
      await s.call('registrant.registerWalkUp', {
        firstName: 'Walk',
        lastName: 'Úp',
        email: 'walk@example.com',
        company: 'Street',
        ticketTypeId: 'full',
      }),
    );
    expect(r.origin).toBe('walkup');
    expect(r.confirmationCode).toMatch(/^WDESK-[2-9A-Z]{6}$/);
    expect(must(await s.call('registrant.search', { query: 'walk up' }))[0]!.id).toBe(r.id);
    expect(must(await s.call('station.status', {})).outbox).toMatchObject({ depth: 1, lastSeq: 1 });
  });
  it('rejects an unknown ticket type and a nameless person', async () => {
    must(await s.call('conference.import', { data: smallConference() }));
    expect(
      await s.call('registrant.registerWalkUp', { firstName: 'A', lastName: 'B', ticketTypeId: 'vip' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      await s.call('registrant.registerWalkUp', { firstName: ' ', lastName: '', ticketTypeId: 'full' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
