/**
 * The seed's sequence end to end (emulator + HQ + two real stations over the real SDK, A behind a fault proxy):
 * A and B in sync with one seat left; A goes offline; B sells the last seat; A sells it too under the seed's rule;
 * A reconnects. Then the same with allotments on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { seedConference } from '../../tools/demo/conferences';
import { startWorld, until, type World } from '../../tools/demo/world';
import { must, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;

afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

const panelAt = async (s: Station) =>
  must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!.availability;
const state = async (s: Station) => must(await s.call('sync.status', {})).state;

describe('the seed’s last-seat scenario', () => {
  it('A sells the last seat offline after B did: exactly one SaleOversold (A’s), one case at A, and A, B and HQ agree', async () => {
    t = tempDir('lanyard-seed-');
    world = await startWorld({
      dir: t.dir,
      conference: seedConference(9),
      stations: [{ id: 'desk-a' }, { id: 'desk-b' }],
    });
    const A = world.stations['desk-a']!;
    const B = world.stations['desk-b']!;
    const hq = world.hq!;

    // In sync: both stations hold HQ's numbers, one seat left, both online.
    await until(
      async () =>
        (await world!.agree()) && (await state(A.station)) === 'online' && (await state(B.station)) === 'online',
      15_000,
      'A and B in sync and online',
    );
    expect(await panelAt(A.station)).toMatchObject({
      capacity: 10,
      sold: 9,
      allotted: 0,
      version: 1,
      salesRatePerMin: 0,
    });

    // A's link drops.
    A.dropLink();
    await until(async () => (await state(A.station)) !== 'online', 10_000, 'A offline');

    // B sells the last seat, online: HQ confirms.
    const sb = must(await B.station.call('sale.sell', { sessionId: 'panel', registrantId: 'b1' }));
    expect(sb).toMatchObject({ outcome: 'confirmed', sale: { tier: 'online', status: 'confirmed' } });
    await until(async () => (await panelAt(B.station)).sold === 10, 5000, 'B sees the session full');

    // A does not know, and the seed's rule allows the sale: synced within the hour, 10% of the seats left.
    const preview = must(await A.station.call('sale.preview', { sessionId: 'panel', registrantId: 'b2' }));
    expect(preview).toMatchObject({
      allowed: true,
      tier: 'overdraft',
      basis: { unallocated: 1, remainingRatio: 0.1, kMax: 1 },
    });
    expect(preview.basis.stalenessMin!).toBeLessThan(60);
    const sa = must(await A.station.call('sale.sell', { sessionId: 'panel', registrantId: 'b2' }));
    expect(sa).toMatchObject({
      outcome: 'proceed',
      sale: { tier: 'overdraft', status: 'pending', atRisk: true, proceed: true },
    });

    // A reconnects and merges.
    A.restoreLink();
    await until(
      async () => must(await A.station.call('cases.list', { status: 'open' })).length === 1,
      20_000,
      'a case at A',
    );
    await until(() => world!.agree(), 10_000, 'A, B and HQ agree');

    const oversold = await hq.ledger.feedOfType('SaleOversold');
    expect(oversold.map((m) => m.payload)).toEqual([
      { saleId: sa.sale!.id, sessionId: 'panel', station: 'station:desk-a', overBy: 1 },
    ]);
    const [aCase] = must(await A.station.call('cases.list', { status: 'all' }));
    expect(aCase).toMatchObject({
      saleId: sa.sale!.id,
      sessionId: 'panel',
      registrantId: 'b2',
      tier: 'overdraft',
      overBy: 1,
      status: 'open',
      station: 'station:desk-a',
      soldHere: true,
    });
    // Every station sees the case (a supervisor anywhere can resolve it); B did not sell it.
    await until(
      async () => must(await B.station.call('cases.list', { status: 'all' })).length === 1,
      5000,
      'the case at B',
    );
    expect(must(await B.station.call('cases.list', { status: 'all' }))).toEqual([
      { ...aCase, soldHere: false, minutesLeft: expect.any(Number) },
    ]);
    expect(must(await A.station.call('registrant.get', { id: 'b2' })).sessions.map((s) => s.sessionId)).toEqual([
      'panel',
    ]); // the person keeps the badge until staff resolve it

    const n = await world.numbers();
    expect(n.hq!.panel).toMatchObject({ capacity: 10, sold: 11, allotted: 0 });
    expect(n.stations['desk-a']!.panel).toEqual(n.hq!.panel);
    expect(n.stations['desk-b']!.panel).toEqual(n.hq!.panel);
    const v = await hq.ledger.view();
    expect(v.sales.map((s) => [s.station, s.verdict])).toEqual([
      ['station:desk-b', 'confirmed'],
      ['station:desk-a', 'oversold'],
    ]);
    expect(v.cases).toHaveLength(1);
  });

  it('with allotments on, A’s offline sale comes from its allotment and nothing is oversold', async () => {
    t = tempDir('lanyard-seed-allot-');
    // 8 held + 1 in A's hand + 1 unallocated.
    world = await startWorld({
      dir: t.dir,
      conference: seedConference(8),
      stations: [{ id: 'desk-a', keepSeatsInHand: 1, keepSessions: ['panel'] }, { id: 'desk-b' }],
      hq: { allotmentShare: 0.5 },
    });
    const A = world.stations['desk-a']!;
    const B = world.stations['desk-b']!;
    const hq = world.hq!;

    await until(async () => (await panelAt(A.station)).allotmentRemaining === 1, 15_000, 'A holds a seat');
    await until(async () => (await world!.agree()) && (await state(B.station)) === 'online', 15_000, 'in sync');
    expect(await panelAt(B.station)).toMatchObject({ capacity: 10, sold: 8, allotted: 1 });

    A.dropLink();
    await until(async () => (await state(A.station)) !== 'online', 10_000, 'A offline');
    // B sells the last unallocated seat.
    expect(must(await B.station.call('sale.sell', { sessionId: 'panel', registrantId: 'b1' }))).toMatchObject({
      outcome: 'confirmed',
    });
    // A sells from the seat in its hand.
    const sa = must(await A.station.call('sale.sell', { sessionId: 'panel', registrantId: 'b2' }));
    expect(sa).toMatchObject({ outcome: 'proceed', sale: { tier: 'allotment', atRisk: false } });
    await until(async () => (await panelAt(B.station)).sold === 9, 5000, 'B sees 9 sold + 1 allotted');

    A.restoreLink();
    await until(
      async () => {
        const v = await hq.ledger.view();
        return v.sales.some((s) => s.station === 'station:desk-a');
      },
      20_000,
      'A’s sale at HQ',
    );
    await until(() => world!.agree(), 10_000, 'A, B and HQ agree');

    const v = await hq.ledger.view();
    expect(v.sales.filter((s) => s.held === 1).map((s) => [s.station, s.tier, s.verdict])).toEqual([
      ['station:desk-b', 'online', 'confirmed'],
      ['station:desk-a', 'allotment', 'confirmed'],
    ]);
    expect(await hq.ledger.feedOfType('SaleOversold')).toEqual([]);
    expect(v.cases).toEqual([]);
    expect(must(await A.station.call('cases.list', { status: 'all' }))).toEqual([]);
    const aSale = must(await A.station.call('registrant.get', { id: 'b2' })).sessions.find(
      (s) => s.sessionId === 'panel',
    );
    expect(aSale?.saleId).toBe(sa.sale!.id);
    const n = await world.numbers();
    expect(n.hq!.panel).toMatchObject({ capacity: 10, sold: 10, allotted: 0 });
    expect(n.stations['desk-a']!.panel).toEqual(n.hq!.panel);
    expect(n.stations['desk-b']!.panel).toEqual(n.hq!.panel);
  });
});
