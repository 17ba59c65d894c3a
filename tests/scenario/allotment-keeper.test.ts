/**
 * The station's allotment keeper with real stations and HQ: it keeps N seats in hand per session while online, and
 * gives them back as the session nears its start; adaptive, it holds about what the desk would sell in an outage,
 * so its seats grow when the desk's sales pick up and shrink when they fall.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { startWorld, until, type World } from '../../tools/demo/world';
import { FakeClock, must, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

function conference(soonStartsAt: string): ConferenceFile {
  const iso = (ms: number) => new Date(ms).toISOString();
  // "Next month" and the span of the conference are built from the real clock: HQ and the keeper compare them with now.
  const day = (n: number) => iso(Date.now() + n * 86_400_000).slice(0, 10);
  const later = (hhmm: string) => `${day(30)}T${hhmm}:00Z`;
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'keep-conf', name: 'Keeper Conf', timezone: 'UTC', startsOn: day(0), endsOn: day(31) },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'soon',
        title: 'Starts in a few seconds',
        room: 'A',
        startsAt: soonStartsAt,
        endsAt: iso(Date.parse(soonStartsAt) + 3_600_000),
        capacity: 20,
        sellable: true,
      },
      {
        id: 'later',
        title: 'Next month',
        room: 'B',
        startsAt: later('10:00'),
        endsAt: later('11:00'),
        capacity: 40,
        sellable: true,
      },
      {
        id: 'keynote',
        title: 'Keynote',
        room: 'Hall',
        startsAt: later('09:00'),
        endsAt: later('10:00'),
        capacity: 400,
        sellable: false,
      },
    ],
    registrants: [
      {
        id: 'r1',
        confirmationCode: 'C-1',
        firstName: 'Ana',
        lastName: 'Silva',
        email: '',
        company: '',
        ticketTypeId: 'full',
        sessions: [],
      },
    ],
  };
}

describe('allotment keeper', () => {
  it('keeps N seats in hand per sellable session while online and returns them as the session nears its start', async () => {
    t = tempDir('lanyard-keeper-');
    const startsAt = new Date(Date.now() + 6000).toISOString();
    world = await startWorld({
      dir: t.dir,
      conference: conference(startsAt),
      stations: [
        { id: 'desk-a', keepSeatsInHand: 2, returnBeforeStartMin: 3 / 60 },
        { id: 'desk-b', keepSeatsInHand: 3 },
      ],
      hq: { allotmentShare: 0.5, recallBeforeStartMinutes: 0 },
    });
    const held = async (id: string) =>
      Object.fromEntries(
        must(await world!.stations[id]!.station.call('sessions.list', {})).map((s) => [
          s.id,
          s.availability.allotmentRemaining,
        ]),
      );
    await until(
      async () => (await held('desk-a')).later === 2 && (await held('desk-b')).later === 3,
      10_000,
      'seats in hand',
    );
    expect(await held('desk-a')).toMatchObject({ keynote: 0 }); // not sold at desks: no seats kept
    const hq = world.hq!;
    expect((await hq.ledger.view()).sessions.find((s) => s.id === 'later')!.allotted).toBe(5);

    // Desk A held seats for "soon" too and gives them back three seconds before it starts; desk B (30 min before,
    // the default) never asked for them.
    await until(
      async () => (await held('desk-a')).soon === 0,
      8000,
      'A returned its seats for the session about to start',
    );
    expect(Date.now()).toBeLessThan(Date.parse(startsAt));
    await until(
      async () => (await hq.ledger.view()).sessions.find((s) => s.id === 'soon')!.allotted === 0,
      5000,
      'HQ has them back',
    );
    const v = await hq.ledger.view();
    expect(v.allotments.filter((a) => a.session_id === 'soon').map((a) => [a.station, a.status, a.seats])).toEqual([
      ['station:desk-a', 'returned', 2],
    ]);
    expect((await held('desk-a')).later).toBe(2);
    await until(() => world!.agree(), 5000, 'numbers agree');
  });
});

/** A workshop six hours after `nowMs` (the station's clock), 100 seats, and people to sell them to. */
function workshopConference(nowMs: number): ConferenceFile {
  const iso = (ms: number) => new Date(ms).toISOString();
  const start = nowMs + 6 * 3_600_000;
  return {
    format: 'lanyard.conference/1',
    // A short typical outage keeps the numbers small: the desk plans for −ln(0.1) × 5 ≈ 11.5 minutes.
    conference: {
      id: 'adaptive-conf',
      name: 'Adaptive Conf',
      timezone: 'UTC',
      startsOn: iso(start).slice(0, 10),
      endsOn: iso(start + 86_400_000).slice(0, 10),
      policy: { typicalOutageMin: 5 },
    },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'workshop',
        title: 'Workshop',
        room: 'A',
        startsAt: iso(start),
        endsAt: iso(start + 3_600_000),
        capacity: 100,
        sellable: true,
      },
    ],
    registrants: Array.from({ length: 12 }, (_, i) => ({
      id: `p${i}`,
      confirmationCode: `P-${i}`,
      firstName: 'Pat',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    })),
  };
}

describe('adaptive allotment keeper', () => {
  it('a desk’s seats in hand grow after its sales rate rises and shrink after it falls', async () => {
    t = tempDir('lanyard-keeper-adaptive-');
    const clock = new FakeClock(new Date().toISOString()); // the station's clock: now, then driven by the test
    world = await startWorld({
      dir: t.dir,
      conference: workshopConference(clock.now()),
      stations: [{ id: 'desk-a', keepSeatsInHand: 'adaptive', clock }],
      hq: { allotmentShare: 0.5 },
    });
    const A = world.stations['desk-a']!.station;
    const plan = async () =>
      must(await A.call('allotment.plan', { returnBeforeStartMin: 20 })).find((p) => p.sessionId === 'workshop')!;
    const hqAllotted = async () => (await world!.hq!.ledger.view()).sessions.find((s) => s.id === 'workshop')!.allotted;

    // No sales yet: the minimum, one seat.
    await until(async () => (await plan()).held === 1, 10_000, 'one seat in hand');
    expect(await plan()).toMatchObject({ target: 1, ownSalesRatePerMin: 0 });

    // Eight sales in two minutes (online, each confirmed by HQ): the desk's rate rises, and so does its target.
    for (let i = 0; i < 8; i++) {
      expect(must(await A.call('sale.sell', { sessionId: 'workshop', registrantId: `p${i}` })).outcome).toBe(
        'confirmed',
      );
      clock.advance(15_000);
    }
    const busy = await plan();
    expect(busy.ownSalesRatePerMin).toBeGreaterThan(0.6);
    expect(busy.target).toBeGreaterThan(8); // ≈ 0.7/min × 11.5 min plus a margin
    await until(async () => (await plan()).held >= busy.target, 10_000, 'the keeper tops the seats up');
    const grown = (await plan()).held;
    await until(async () => (await hqAllotted()) === grown, 5000, 'HQ counts them');

    // Forty minutes without a sale (the clock jumps: the desk also counts the silence as an outage it saw, which
    // only makes it plan for longer ones — its rate falls much faster): the target drops, the surplus goes back.
    clock.advance(40 * 60_000);
    await until(
      async () => {
        const p = await plan();
        // (A whole allotment bigger than the surplus goes back, then the keeper asks for the seats missing.)
        return p.target <= 3 && p.held >= p.target && p.held <= p.target + 1;
      },
      10_000,
      'the keeper gives the surplus back',
    );
    const quiet = await plan();
    expect(quiet.ownSalesRatePerMin).toBeLessThan(0.05);
    expect(quiet.held).toBeGreaterThanOrEqual(quiet.target);
    expect(quiet.held).toBeLessThan(grown);
    await until(async () => (await hqAllotted()) === quiet.held, 5000, 'HQ has the seats back');
    const v = await world.hq!.ledger.view();
    expect(v.allotments.filter((a) => a.status === 'returned').length).toBeGreaterThan(0);
    expect(v.sales.filter((s) => s.verdict === 'confirmed')).toHaveLength(8);
    await until(() => world!.agree(), 5000, 'numbers agree');
  });
});

describe('seats asked back', () => {
  it('a desk with a buyer and no seat left: HQ asks the desk holding one, which gives it back, and the sale is confirmed', async () => {
    t = tempDir('lanyard-keeper-ask-');
    const c = workshopConference(Date.now());
    c.sessions[0]!.capacity = 3;
    c.registrants[11]!.sessions = ['workshop']; // one seat held: two to sell
    world = await startWorld({
      dir: t.dir,
      conference: c,
      stations: [{ id: 'desk-a', keepSeatsInHand: 'adaptive' }, { id: 'desk-b' }],
    });
    const A = world.stations['desk-a']!.station;
    const B = world.stations['desk-b']!.station;
    const held = async () => must(await A.call('allotment.plan', { returnBeforeStartMin: 20 }))[0]!.held;
    await until(async () => (await held()) === 1, 10_000, 'A holds its one seat (it has sold nothing)');
    await until(() => world!.agree(), 5000, 'B sees it');
    expect(must(await B.call('sale.sell', { sessionId: 'workshop', registrantId: 'p0' })).outcome).toBe('confirmed'); // the last seat of the pool
    // The pool is empty and B holds nothing: HQ asks A for its seat, A gives it back, B's buyer gets it.
    const out = must(await B.call('sale.sell', { sessionId: 'workshop', registrantId: 'p1' }));
    expect(out.outcome).toBe('confirmed');
    await until(async () => (await held()) === 0, 5000, 'A no longer holds it');
    const v = await world.hq!.ledger.view();
    expect(v.sales.map((s) => [s.station, s.verdict])).toEqual([
      ['station:desk-b', 'confirmed'],
      ['station:desk-b', 'confirmed'],
    ]);
    expect(v.allotments.map((a) => [a.station, a.status])).toContainEqual(['station:desk-a', 'returned']);
    expect(await world.hq!.ledger.feedOfType('SaleOversold')).toEqual([]);
    expect(v.sessions.find((s) => s.id === 'workshop')).toMatchObject({ capacity: 3, sold: 3, allotted: 0 });
    await until(() => world!.agree(), 5000, 'numbers agree');
  });

  it('a desk short of its target goes on asking while the pool is empty, so HQ still hears from it and can ask for its seats', async () => {
    t = tempDir('lanyard-keeper-heard-');
    const c = workshopConference(Date.now());
    c.sessions[0]!.capacity = 8;
    // HQ asks only the stations it heard from within 8 s (a minute by default): longer than the keeper's 3 s between
    // asks in this world, shorter than the pause below.
    world = await startWorld({
      dir: t.dir,
      conference: c,
      stations: [{ id: 'desk-a', keepSeatsInHand: 'adaptive' }, { id: 'desk-b' }],
      hq: { allotmentShare: 0.5, seatWaitAskWithinSeconds: 8 },
    });
    const A = world.stations['desk-a']!.station;
    const B = world.stations['desk-b']!.station;
    const plan = async () => must(await A.call('allotment.plan', { returnBeforeStartMin: 20 }))[0]!;
    const pool = async () => {
      const s = (await world!.hq!.ledger.view()).sessions.find((x) => x.id === 'workshop')!;
      return s.capacity - s.sold - s.allotted;
    };
    await until(async () => (await plan()).held === 1, 10_000, 'A holds its one seat');

    // A sells four seats at once: its rate, and its target, rise beyond what HQ will grant from a small pool.
    for (let i = 0; i < 4; i++)
      expect(must(await A.call('sale.sell', { sessionId: 'workshop', registrantId: `p${i}` })).outcome).toBe(
        'confirmed',
      );
    await until(async () => (await plan()).held >= 1, 10_000, 'A is granted seats again');
    expect((await plan()).target).toBeGreaterThan(4);
    // B sells whatever the pool has left.
    let next = 4;
    while ((await pool()) > 0)
      expect(must(await B.call('sale.sell', { sessionId: 'workshop', registrantId: `p${next++}` })).outcome).toBe(
        'confirmed',
      );
    const heldBefore = (await plan()).held;
    expect(heldBefore).toBeGreaterThanOrEqual(1);
    expect((await plan()).held).toBeLessThan((await plan()).target);

    // A sells nothing for longer than HQ's window: only its (denied) asks tell HQ it is there.
    await new Promise((r) => setTimeout(r, 10_000));
    const out = must(await B.call('sale.sell', { sessionId: 'workshop', registrantId: `p${next}` }));
    expect(out.outcome).toBe('confirmed'); // a seat A gave back when HQ asked
    const v = await world.hq!.ledger.view();
    expect(v.allotments.filter((a) => a.station === 'station:desk-a').map((a) => a.status)).toContain('returned');
    expect(await world.hq!.ledger.feedOfType('SaleOversold')).toEqual([]);
    expect(v.sessions.find((s) => s.id === 'workshop')).toMatchObject({ capacity: 8, sold: next + 1 });
    await until(() => world!.agree(), 5000, 'numbers agree');
  });
});
