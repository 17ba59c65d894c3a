/**
 * `allotment.plan`: the seats a desk should hold per session, from its own sales rate (its sales in the station
 * database) and the outages it has seen (gaps between contacts with HQ, kept across restarts), per core's sizing.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allotmentTarget, ownRateTauMin, salesRate } from '../../core/allotment-sizing';
import { defaultPolicy } from '../../core/conference';
import type { Station } from '../../main/station/create-station';
import type { Envelope } from '../../core/messages';
import { rawAll } from '../support/db-snapshot';
import { FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let clock: FakeClock;
let s: Station;
const min = 60_000;
const typical = -Math.log(1 - defaultPolicy.allotmentCover) * defaultPolicy.typicalOutageMin; // ≈ 46 min

const heartbeat = () =>
  s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) });
const plan = async (sessionId = 'panel', returnBeforeStartMin = 20) =>
  must(await s.call('allotment.plan', { returnBeforeStartMin })).find((p) => p.sessionId === sessionId)!;

beforeEach(async () => {
  t = tempDir();
  clock = new FakeClock(); // 08:45 on the conference day; the panel starts at 14:00, the workshop at 10:00
  s = await openStation(t.dir, { clock });
  const c = smallConference();
  c.sessions[0]!.capacity = 100;
  c.sessions[1]!.policy = { allotmentMaxSeats: 0 }; // the workshop: no allotments, by the session's own policy
  for (let i = 0; i < 10; i++)
    c.registrants.push({
      id: `b${i}`,
      confirmationCode: `B-${i}`,
      firstName: 'Buyer',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  must(await s.call('conference.import', { data: c }));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('allotment.plan', () => {
  it('a desk that has sold nothing and seen no outage: the minimum for every sellable session', async () => {
    const plans = must(await s.call('allotment.plan', { returnBeforeStartMin: 20 }));
    expect(plans.map((p) => p.sessionId).sort()).toEqual(['panel', 'workshop']); // not the keynote (not sold at desks)
    expect(await plan()).toMatchObject({
      held: 0,
      allotments: [],
      ownSalesRatePerMin: 0,
      outagesSeen: 0,
      target: 1,
      minutesToReturn: 5 * 60 + 15 - 20,
      unallocated: 99,
    });
    expect((await plan()).planningOutageMin).toBeCloseTo(typical, 9);
    expect(await plan('workshop')).toMatchObject({ target: 0 }); // allotmentMaxSeats 0
    // Inside the return window: nothing to hold.
    expect(await plan('panel', 6 * 60)).toMatchObject({ target: 0 });
    expect((await plan('panel', 6 * 60)).minutesToReturn).toBeLessThanOrEqual(0);
  });

  it('the desk’s own sales set its rate (core’s salesRate over their ages), and its target with it', async () => {
    must(await heartbeat());
    const soldAt: number[] = [];
    for (let i = 0; i < 3; i++) {
      must(await s.call('sale.sell', { sessionId: 'panel', registrantId: `b${i}` })); // offline: the overdraft tier (cap 3)
      soldAt.push(clock.now());
      clock.advance(20_000);
    }
    const p = await plan();
    const rate = salesRate(
      soldAt.map((at) => (clock.now() - at) / min),
      ownRateTauMin,
    );
    expect(p.ownSalesRatePerMin).toBeCloseTo(rate, 9);
    expect(p.target).toBe(
      allotmentTarget({ ownRatePerMin: rate, outageMin: typical, minutesToReturn: p.minutesToReturn }, defaultPolicy),
    );
    expect(p.target).toBeGreaterThan(1);
    // An hour later the rate has all but gone, and the target is back to the minimum.
    clock.advance(60 * min);
    expect(await plan()).toMatchObject({ target: 1 });
  });

  it('outages are the gaps between contacts with HQ: heartbeats are not, a closed night is not, and they survive a restart', async () => {
    must(await heartbeat());
    clock.advance(30_000); // the heartbeat's rhythm
    must(await heartbeat());
    expect((await plan()).outagesSeen).toBe(0);
    clock.advance(25 * min); // an outage
    must(await heartbeat());
    expect((await plan()).outagesSeen).toBe(1);
    expect((await plan()).planningOutageMin).toBeCloseTo(-Math.log(0.1) * ((3 * 20 + 25) / 4), 6);
    clock.advance(10 * 60 * min); // the station was closed for the night
    must(await heartbeat());
    expect((await plan()).outagesSeen).toBe(1);
    // A restart: the station is reopened (a new boot): the history is in its database.
    await s.close();
    clock.bootId = 'boot-2';
    clock.advance(5 * min); // counted by the wall clock across the restart
    s = await openStation(t.dir, { clock });
    must(await heartbeat());
    expect((await plan()).outagesSeen).toBe(2);
  });

  it('an unreadable outage history counts as none (the plan still answers)', async () => {
    await s.close();
    const raw = new Database(join(t.dir, 'desk-a.db'));
    raw.prepare(`INSERT OR REPLACE INTO sync_state (key, value) VALUES ('outage_history', '{not json')`).run();
    raw.close();
    s = await openStation(t.dir, { clock });
    expect(await plan()).toMatchObject({ outagesSeen: 0, target: 1 });
  });
});

describe('AllotmentReturnRequested: HQ asks for this desk’s seats back', () => {
  const outbox = () =>
    rawAll<{ body: string }>(join(t.dir, 'desk-a.db'), 'SELECT body FROM outbox ORDER BY seq').map(
      (r) => JSON.parse(r.body) as Envelope,
    );
  const grant = (allotmentId: string, seats: number, sessionId = 'panel') =>
    s.call('feed.apply', {
      envelope: hq('AllotmentGranted', { allotmentId, requestId: null, station: 'station:desk-a', sessionId, seats }),
    });
  const ask = (station: string, sessionId = 'panel') =>
    s.call('feed.apply', { envelope: hq('AllotmentReturnRequested', { station: station as 'station:x', sessionId }) });

  it('every unused seat of the session goes back (AllotmentReturned per allotment); other sessions and other desks’ requests are left alone', async () => {
    must(await grant('a1', 2));
    must(await grant('a2', 3));
    must(await grant('w1', 4, 'workshop'));
    expect((await plan()).held).toBe(5);
    expect(must(await ask('station:desk-b'))).toMatchObject({ status: 'ignored' });
    expect(must(await ask('station:desk-a'))).toMatchObject({ status: 'applied', note: '5 seat(s) given back' });
    expect(await plan()).toMatchObject({ held: 0, allotments: [] });
    expect((await plan('workshop')).held).toBe(4);
    expect(
      outbox()
        .filter((e) => e.type === 'AllotmentReturned')
        .map((e) => e.payload),
    ).toEqual([
      { allotmentId: 'a1', sessionId: 'panel', seats: 2 },
      { allotmentId: 'a2', sessionId: 'panel', seats: 3 },
    ]);
    // Asked again with nothing in hand: nothing to do.
    expect(must(await ask('station:desk-a'))).toMatchObject({
      status: 'ignored',
      note: 'no seat in hand for the session',
    });
  });
});
