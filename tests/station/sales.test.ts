import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import type { Envelope } from '../../core/messages';
import type { Station } from '../../main/station/create-station';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let clock: FakeClock;
let online = false;
const dbPath = () => `${t.dir}/desk-a.db`;
const min = 60_000;

const outbox = () =>
  rawAll<{ seq: number; type: string; body: string }>(dbPath(), 'SELECT seq, type, body FROM outbox ORDER BY seq').map(
    (r) => ({ ...r, env: JSON.parse(r.body) as Envelope }),
  );
const heartbeat = () =>
  s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) });
const availability = (sessionId: string, sold: number, version: number, salesRatePerMin = 0, capacity = 10) =>
  s.call('feed.apply', {
    envelope: hq('SeatAvailability', { sessionId, capacity, sold, allotted: 0, version, salesRatePerMin }),
  });

/** The cases below are written in the seed's numbers (the defaults before issue 17): 60 min, 10%, cap 2. */
function withSeedNumbers(c: ConferenceFile): ConferenceFile {
  c.conference.policy = { ...c.conference.policy, maxStalenessMin: 60, minRemainingRatio: 0.1, overdraftCap: 2 };
  return c;
}

beforeEach(async () => {
  t = tempDir();
  clock = new FakeClock();
  online = false;
  s = await openStation(t.dir, { clock, isOnline: () => online });
  must(await s.call('conference.import', { data: withSeedNumbers(smallConference()) }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  must(
    await s.call('staff.add', {
      id: 'desk1',
      name: 'Dee Desk',
      role: 'desk',
      pin: '1357',
      by: { supervisorId: 'sup', pin: '2468' },
    }),
  );
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('offline tiers', () => {
  it('overdraft: synced 10 min ago with seats left → sold at risk, basis on the sale and in SeatSold', async () => {
    must(await heartbeat());
    clock.advance(10 * min);
    const desk1 = { transport: 'ipc', mode: 'desk', session: { staffId: 'desk1', role: 'desk' } } as const;
    const out = must(await s.callAs(desk1, 'sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    expect(out.outcome).toBe('proceed');
    expect(out.why).toBe('overdraft');
    // The actor is the signed-in session's, never a staff id the request claims (it can no longer name one).
    expect(rawAll<{ staff_id: string }>(dbPath(), 'SELECT staff_id FROM sale')).toEqual([{ staff_id: 'desk1' }]);
    expect(rawAll<{ actor: string }>(dbPath(), `SELECT actor FROM audit_log WHERE action = 'sale.sell'`)).toEqual([
      { actor: 'desk1' },
    ]);
    expect(out.sale).toMatchObject({ tier: 'overdraft', status: 'pending', atRisk: true, proceed: true });
    expect(out.sale!.basis).toMatchObject({
      stalenessMin: 10,
      unallocated: 9,
      capacity: 10,
      kMax: 2,
      pendingOverdraft: 0,
    });
    const [ev] = outbox().filter((r) => r.type === 'SeatSold');
    expect(ev!.env).toMatchObject({
      type: 'SeatSold',
      origin: 'station:desk-a',
      conferenceId: 'conf-1',
      payload: { saleId: out.sale!.id, tier: 'overdraft', allotmentId: null },
    });
    expect((ev!.env.payload as { basis: unknown }).basis).toEqual(out.sale!.basis);
    const detail = must(await s.call('registrant.get', { id: 'r2' }));
    expect(detail.sessions.map((x) => x.sessionId)).toContain('panel');
  });

  it('overdraft cap: the third unconfirmed offline sale for a session is refused', async () => {
    must(await heartbeat());
    expect(must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' })).outcome).toBe('proceed');
    expect(must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r3' })).outcome).toBe('proceed');
    const r = await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r4' });
    expect(r).toMatchObject({ ok: false, error: { code: 'refused' } });
    if (!r.ok)
      expect((r.error.details as { failed: { code: string }[] }).failed.map((f) => f.code)).toEqual([
        'overdraft_limit_reached',
      ]);
  });

  it('refuses with every reason, writes nothing; a supervisor PIN overrides', async () => {
    must(await heartbeat());
    must(await availability('panel', 10, 1));
    clock.advance(61 * min);
    const before = dbDigest(dbPath());
    const r = await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('refused');
      expect(r.error.message).toMatch(/61 min ago.*0 of 10 seats/);
      expect((r.error.details as { failed: { code: string }[] }).failed.map((f) => f.code)).toEqual([
        'too_stale',
        'too_few_seats_left',
        'overdraft_limit_reached',
      ]);
    }
    expect(dbDigest(dbPath())).toBe(before);

    const bad = await s.call('sale.sell', {
      sessionId: 'panel',
      registrantId: 'r2',
      override: { supervisorId: 'desk1', pin: '1357' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const out = must(
      await s.call('sale.sell', {
        sessionId: 'panel',
        registrantId: 'r2',
        override: { supervisorId: 'sup', pin: '2468' },
      }),
    );
    expect(out.sale).toMatchObject({ tier: 'override', atRisk: true });
    expect(out.failed.map((f) => f.code)).toContain('too_stale');
    const audit = rawAll<{ action: string; actor: string }>(
      dbPath(),
      `SELECT action, actor FROM audit_log WHERE action = 'sale.override'`,
    );
    expect(audit).toEqual([{ action: 'sale.override', actor: 'sup' }]);
  });

  it('no offline sale after a restart until HQ is heard again', async () => {
    must(await heartbeat());
    await s.close();
    const rebooted = new FakeClock();
    rebooted.bootId = 'boot-2';
    rebooted.wall = clock.wall + min;
    s = await openStation(t.dir, { clock: rebooted });
    const p = must(await s.call('sale.preview', { sessionId: 'panel' }));
    expect(p.failed.map((f) => f.code)).toEqual(['staleness_unknown']);
    expect(p.basis.stalenessUnknownReason).toBe('restarted');
    clock = rebooted;
    must(await heartbeat());
    expect(must(await s.call('sale.preview', { sessionId: 'panel' })).allowed).toBe(true);
  });

  it('allotment: seats in hand sell with no risk even when stale, and only this station’s grants count', async () => {
    must(
      await s.call('feed.apply', {
        envelope: hq('AllotmentGranted', {
          allotmentId: 'a-other',
          requestId: null,
          station: 'station:desk-b',
          sessionId: 'panel',
          seats: 5,
        }),
      }),
    );
    must(
      await s.call('feed.apply', {
        envelope: hq('AllotmentGranted', {
          allotmentId: 'a1',
          requestId: null,
          station: 'station:desk-a',
          sessionId: 'panel',
          seats: 1,
        }),
      }),
    );
    clock.advance(5 * 60 * min);
    const out = must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    expect(out.sale).toMatchObject({ tier: 'allotment', atRisk: false, allotmentId: 'a1' });
    // The one seat is used; the next sale is too stale for an overdraft.
    expect(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r3' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    must(
      await s.call('feed.apply', {
        envelope: hq('AllotmentRecalled', { allotmentId: 'a1', station: 'station:desk-a', sessionId: 'panel' }),
      }),
    );
    expect(must(await s.call('sale.preview', { sessionId: 'panel' })).availability.allotmentRemaining).toBe(0);
  });
});

describe('online tier', () => {
  it('waits for HQ and confirms', async () => {
    online = true;
    must(await heartbeat());
    const pending = s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    await new Promise((r) => setTimeout(r, 30));
    const sold = outbox().find((r) => r.type === 'SeatSold')!;
    const saleId = (sold.env.payload as { saleId: string }).saleId;
    // Not entitled until HQ says so.
    expect(must(await s.call('registrant.get', { id: 'r2' })).sessions.map((x) => x.sessionId)).not.toContain('panel');
    must(await s.call('feed.apply', { envelope: hq('SaleConfirmed', { saleId, sessionId: 'panel' }) }));
    const out = must(await pending);
    expect(out.outcome).toBe('confirmed');
    expect(out.sale).toMatchObject({ status: 'confirmed', tier: 'online', atRisk: false });
    expect(must(await s.call('registrant.get', { id: 'r2' })).sessions.map((x) => x.sessionId)).toContain('panel');
  });

  it('oversold online → refused on the spot, seat released at HQ, no case', async () => {
    online = true;
    const pending = s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    await new Promise((r) => setTimeout(r, 30));
    const saleId = (outbox().find((r) => r.type === 'SeatSold')!.env.payload as { saleId: string }).saleId;
    must(
      await s.call('feed.apply', {
        envelope: hq('SaleOversold', { saleId, sessionId: 'panel', station: 'station:desk-a', overBy: 1 }),
      }),
    );
    const out = must(await pending);
    expect(out.outcome).toBe('refused');
    expect(out.sale!.status).toBe('refused');
    expect(outbox().map((r) => r.type)).toEqual(['SeatSold', 'SeatReleased']);
    expect(must(await s.call('cases.list', { status: 'all' }))).toEqual([]);
  });

  it('no verdict in time: proceeds when the overdraft rule covers it, otherwise awaits', async () => {
    const conf = withSeedNumbers(smallConference());
    conf.conference.policy = { ...conf.conference.policy, verdictTimeoutMs: 50 };
    await s.close();
    t.cleanup();
    t = tempDir();
    s = await openStation(t.dir, { clock, isOnline: () => online });
    must(await s.call('conference.import', { data: conf }));
    online = true;
    must(await heartbeat());
    const covered = must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    expect(covered.outcome).toBe('proceed');
    expect(covered.sale).toMatchObject({ status: 'pending', proceed: true, atRisk: true });

    must(await availability('panel', 10, 5)); // HQ says full: no cover any more
    const uncovered = must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r3' }));
    expect(uncovered.outcome).toBe('awaiting');
    expect(uncovered.sale).toMatchObject({ proceed: false });
    expect(uncovered.failed.map((f) => f.code)).toContain('too_few_seats_left');
    // Staff cancel: SeatReleased goes out.
    const released = must(await s.call('sale.release', { saleId: uncovered.sale!.id, reason: 'customer left' }));
    expect(released.status).toBe('released');
    expect(outbox().at(-1)!.type).toBe('SeatReleased');
  });
});

describe('verdicts and cases', () => {
  it('SaleOversold for a sale already handed out marks it oversold; HQ’s OversellCaseOpened opens one case, once', async () => {
    must(await heartbeat());
    const out = must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    const msg = hq('SaleOversold', { saleId: out.sale!.id, sessionId: 'panel', station: 'station:desk-a', overBy: 1 });
    const opened: string[] = [];
    const sub = s.events$.subscribe((e) => e.type === 'case.opened' && opened.push(e.saleId));
    expect(must(await s.call('feed.apply', { envelope: msg })).status).toBe('applied');
    expect(must(await s.call('feed.apply', { envelope: msg })).status).toBe('duplicate');
    expect(must(await s.call('registrant.get', { id: 'r2' })).sessions.map((x) => x.sessionId)).toContain('panel'); // the person keeps the seat for now
    const caseMsg = hq('OversellCaseOpened', {
      caseId: 'case-1',
      saleId: out.sale!.id,
      sessionId: 'panel',
      station: 'station:desk-a',
      overBy: 1,
      registrantId: 'r2',
      tier: 'overdraft',
      basis: out.sale!.basis,
      dueAt: dayAt('09:45'),
      defaultAction: 'honor',
    });
    expect(must(await s.call('feed.apply', { envelope: caseMsg })).status).toBe('applied');
    expect(must(await s.call('feed.apply', { envelope: { ...caseMsg, id: crypto.randomUUID() } })).status).toBe(
      'applied',
    ); // a re-send (late-join snapshot) changes nothing
    sub.unsubscribe();
    expect(opened).toEqual([out.sale!.id]);
    const cases = must(await s.call('cases.list', { status: 'open' }));
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      id: 'case-1',
      saleId: out.sale!.id,
      sessionId: 'panel',
      registrantId: 'r2',
      tier: 'overdraft',
      overBy: 1,
      soldHere: true,
      minutesLeft: 60,
    });
    expect(cases[0]!.basis!.stalenessMin).toBe(0);
    // With a case open, the seat goes only through a supervisor's resolution.
    expect(await s.call('sale.release', { saleId: out.sale!.id, reason: 'changed mind' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('ignores verdicts and grants for other stations', async () => {
    const r = must(
      await s.call('feed.apply', {
        envelope: hq('SaleOversold', { saleId: 'x', sessionId: 'panel', station: 'station:desk-b', overBy: 1 }),
      }),
    );
    expect(r).toMatchObject({ status: 'ignored' });
    expect(must(await s.call('cases.list', { status: 'all' }))).toEqual([]);
  });

  it('SeatAvailability applies only when newer', async () => {
    must(await availability('panel', 4, 3));
    expect(must(await availability('panel', 2, 2)).status).toBe('ignored');
    expect(must(await availability('panel', 2, 3)).status).toBe('ignored');
    const a = must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!.availability;
    expect(a).toMatchObject({ sold: 4, version: 3 });
    must(await availability('panel', 5, 4, 0.5));
    expect(must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!.availability).toMatchObject({
      sold: 5,
      version: 4,
      salesRatePerMin: 0.5,
    });
  });

  it('RegistrantUpserted and SessionUpserted update the catalogue', async () => {
    must(
      await s.call('feed.apply', {
        envelope: hq('RegistrantUpserted', {
          registrant: {
            id: 'r-b1',
            confirmationCode: 'WDB-1',
            firstName: 'From',
            lastName: 'Desk B',
            email: '',
            company: '',
            ticketTypeId: 'full',
            sessions: [],
          },
        }),
      }),
    );
    expect(must(await s.call('registrant.search', { query: 'desk b from' }))[0]!.id).toBe('r-b1');
    must(
      await s.call('feed.apply', {
        envelope: hq('SessionUpserted', {
          session: {
            id: 'new-s',
            title: 'Late addition',
            room: 'C',
            startsAt: dayAt('16:00'),
            endsAt: dayAt('17:00'),
            capacity: 30,
            sellable: true,
          },
        }),
      }),
    );
    expect(must(await s.call('sessions.list', {})).find((x) => x.id === 'new-s')!.availability.capacity).toBe(30);
  });

  it('messages for another conference are recorded but not applied', async () => {
    const r = must(
      await s.call('feed.apply', {
        envelope: hq(
          'SeatAvailability',
          { sessionId: 'panel', capacity: 10, sold: 9, allotted: 0, version: 9, salesRatePerMin: 0 },
          { conferenceId: 'other' },
        ),
      }),
    );
    expect(r.status).toBe('ignored');
    expect(must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!.availability.version).toBe(0);
  });
});

describe('release, check-in, seq', () => {
  it('release frees the seat and revokes the entitlement; a second release is a conflict', async () => {
    must(await heartbeat());
    const out = must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    must(await s.call('sale.release', { saleId: out.sale!.id, reason: 'changed mind' }));
    expect(must(await s.call('registrant.get', { id: 'r2' })).sessions).toEqual([]);
    expect(await s.call('sale.release', { saleId: out.sale!.id, reason: 'again' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // The seat can be sold again to the same person.
    expect(must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' })).outcome).toBe('proceed');
  });

  it('check-in: badge pickup and session door; no seat, no entry', async () => {
    const first = must(await s.call('checkin.record', { registrantId: 'r1' }));
    expect(first.firstTime).toBe(true);
    expect(must(await s.call('checkin.record', { registrantId: 'r1' })).firstTime).toBe(false);
    expect(must(await s.call('checkin.record', { registrantId: 'r1', sessionId: 'panel' })).firstTime).toBe(true);
    expect(must(await s.call('checkin.record', { registrantId: 'r1', sessionId: 'keynote' })).firstTime).toBe(true);
    expect(await s.call('checkin.record', { registrantId: 'r2', sessionId: 'panel' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
  });

  it('outbox seq is per station, gap-free, and survives refused commands and restarts', async () => {
    must(await heartbeat());
    must(await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    await s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' }); // conflict: writes nothing
    must(await s.call('checkin.record', { registrantId: 'r1' }));
    await s.close();
    s = await openStation(t.dir, { clock });
    must(await s.call('registration.upgrade', { sessionId: 'workshop', registrantId: 'r3' }));
    const rows = outbox();
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.env.seq)).toEqual([1, 2, 3, 4]);
    expect(rows.map((r) => r.type)).toEqual(['SeatSold', 'CheckedIn', 'SeatSold', 'RegistrationUpgraded']);
    expect(new Set(rows.map((r) => r.env.id)).size).toBe(4);
  });
});
