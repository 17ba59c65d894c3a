/**
 * Reconciliation across a whole installation (tools/demo/world.ts: emulator, HQ, three real stations behind fault
 * proxies): every action's effects on the resolving station, HQ and the others; two desks resolving one case at
 * once; a resolution queued offline that loses; waitlist promotion, never past capacity; a revoked badge refused
 * at a door that was offline when it was revoked.
 */
import { parse } from 'csv-parse/sync';
import jsQR from 'jsqr';
import { afterEach, describe, expect, it } from 'vitest';
import type { OversellCase, RequestOf, StaffNotification } from '../../core/api';
import type { ConferenceFile } from '../../core/conference';
import { bitmapToRgba } from '../../main/printing/bitmap-png';
import type { Station } from '../../main/station/create-station';
import { startWorld, until, type World, type WorldStation } from '../../tools/demo/world';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { rawAll } from '../support/db-snapshot';
import { dayAt, must, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
let vp: VirtualPrinter | null = null;

afterEach(async () => {
  await world?.stop();
  world = null;
  await vp?.stop();
  vp = null;
  t?.cleanup();
});

const sam = { supervisorId: 'sam', pin: '2468' };

/** talk: full (2 held); lab: full, no room for an extra chair; panel: 4 seats, 2 held; workshop: room to move to. */
function conference(): ConferenceFile {
  const c = smallConference();
  c.sessions = [
    {
      id: 'talk',
      title: 'Talk: sync at the edge',
      room: 'Room A',
      startsAt: dayAt('14:00'),
      endsAt: dayAt('15:00'),
      capacity: 2,
      sellable: true,
    },
    {
      id: 'lab',
      title: 'Lab: printers',
      room: 'Lab 1',
      startsAt: dayAt('11:00'),
      endsAt: dayAt('12:00'),
      capacity: 1,
      sellable: true,
      roomForExtraChair: false,
    },
    {
      id: 'panel',
      title: 'Panel discussion',
      room: 'Room B',
      startsAt: dayAt('16:00'),
      endsAt: dayAt('17:00'),
      capacity: 4,
      sellable: true,
    },
    {
      id: 'workshop',
      title: 'Workshop',
      room: 'Room C',
      startsAt: dayAt('10:00'),
      endsAt: dayAt('12:00'),
      capacity: 30,
      sellable: true,
    },
  ];
  c.registrants = [
    {
      id: 'h1',
      confirmationCode: 'H-1',
      firstName: 'Holder',
      lastName: 'One',
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: ['talk', 'panel'],
    },
    {
      id: 'h2',
      confirmationCode: 'H-2',
      firstName: 'Holder',
      lastName: 'Two',
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: ['talk', 'panel', 'lab'],
    },
  ];
  const names = [
    'Zoë Łukasz',
    'José Ñúñez',
    'Søren Ødegård',
    'Ana Silva',
    'Mei Chen',
    'Amara Okafor',
    'Lars Berg',
    'Priya Nair',
    'Tomás Ruiz',
    'Yuki Sato',
    'Omar Haddad',
    'Eva Novak',
  ];
  names.forEach((n, i) => {
    const [firstName, lastName] = n.split(' ') as [string, string];
    c.registrants.push({
      id: `b${i + 1}`,
      confirmationCode: `B-${i + 1}`,
      firstName,
      lastName,
      email: `b${i + 1}@example.com`,
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  });
  return c;
}

async function start(): Promise<{ A: WorldStation; B: WorldStation; C: WorldStation }> {
  t = tempDir('lanyard-rec-');
  world = await startWorld({
    dir: t.dir,
    conference: conference(),
    stations: [{ id: 'desk-a' }, { id: 'desk-b' }, { id: 'door-c' }],
  });
  const [A, B, C] = ['desk-a', 'desk-b', 'door-c'].map((id) => world!.stations[id]!) as [
    WorldStation,
    WorldStation,
    WorldStation,
  ];
  for (const ws of [A, B, C])
    must(await ws.station.call('staff.add', { id: 'sam', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  await until(
    async () => (await world!.agree()) && (await Promise.all([A, B, C].map(online))).every(Boolean),
    20_000,
    'everyone online and in sync',
  );
  return { A, B, C };
}

const online = async (ws: WorldStation) => must(await ws.station.call('sync.status', {})).state === 'online';
const casesAt = async (s: Station) => must(await s.call('cases.list', { status: 'all' }));
const caseAt = async (s: Station, saleId: string) => (await casesAt(s)).find((c) => c.saleId === saleId);
const seatsOf = async (s: Station, id: string) =>
  must(await s.call('registrant.get', { id }))
    .sessions.map((x) => x.sessionId)
    .sort();

/** Desk A works offline for a moment and sells seats in full sessions on a supervisor's override: oversold at HQ. */
async function oversell(
  A: WorldStation,
  everyone: WorldStation[],
  sales: [registrantId: string, sessionId: string][],
): Promise<string[]> {
  must(await A.station.call('sync.setWorkOffline', { on: true }));
  const ids: string[] = [];
  for (const [registrantId, sessionId] of sales)
    ids.push(must(await A.station.call('sale.sell', { sessionId, registrantId, override: sam })).sale!.id);
  must(await A.station.call('sync.setWorkOffline', { on: false }));
  for (const ws of everyone)
    await until(
      async () => (await Promise.all(ids.map((id) => caseAt(ws.station, id)))).every(Boolean),
      20_000,
      `the cases at ${ws.id}`,
    );
  await until(() => online(A), 10_000, 'A back online');
  return Promise.all(ids.map(async (id) => (await caseAt(A.station, id))!.id));
}

/**
 * Resolves a case online and returns it once HQ answered. The answer usually comes within the call (it waits the
 * session's verdict timeout); on a loaded machine it may come just after.
 */
async function resolve(ws: WorldStation, req: RequestOf<'cases.resolve'>): Promise<OversellCase> {
  const r = must(await ws.station.call('cases.resolve', req));
  const now = async () => (await casesAt(ws.station)).find((c) => c.id === req.caseId)!;
  if (r.outcome === 'pending')
    await until(async () => (await now()).request?.status !== 'pending', 15_000, `HQ's answer at ${ws.id}`);
  return now();
}

/** The same case, as each station holds it: equal but for which station is "here" and the local request. */
const story = (c: OversellCase | undefined) =>
  c && { ...c, soldHere: undefined, minutesLeft: undefined, request: undefined };

describe('reconciliation across an installation', () => {
  it('every action: HQ applies it, and the resolving station, the selling desk and the door agree on its effects', async () => {
    const { A, B, C } = await start();
    const all = [A, B, C];
    const notes: Record<string, StaffNotification[]> = { 'desk-a': [], 'desk-b': [], 'door-c': [] };
    for (const ws of all) ws.station.notifications$.subscribe((n) => notes[ws.id]!.push(n));
    const [honor, reverse, move, waitlist, refuse] = await oversell(A, all, [
      ['b1', 'talk'],
      ['b2', 'talk'],
      ['b3', 'talk'],
      ['b4', 'lab'],
      ['b5', 'talk'],
    ]);
    const hq = world!.hq!;
    expect((await hq.ledger.view()).sessions.find((s) => s.id === 'talk')).toMatchObject({ capacity: 2, sold: 6 });
    for (const ws of all) expect(notes[ws.id]!.filter((n) => n.kind === 'case.opened')).toHaveLength(5);

    // Resolved at three different stations.
    const r = {
      honor: await resolve(B, { caseId: honor!, action: 'honor', supervisor: sam, note: 'room has space' }),
      reverse: await resolve(A, { caseId: reverse!, action: 'reverse', supervisor: sam, note: 'called: refund' }),
      move: await resolve(C, { caseId: move!, action: 'move', moveToSessionId: 'workshop', supervisor: sam }),
      waitlist: await resolve(B, { caseId: waitlist!, action: 'waitlist', supervisor: sam }),
      refuse: await resolve(A, { caseId: refuse!, action: 'refuse', supervisor: sam, note: 'still at the desk' }),
    };
    for (const [action, c] of Object.entries(r))
      expect(c, action).toMatchObject({ status: 'resolved', resolution: action, request: { status: 'won' } });
    for (const ws of all)
      await until(
        async () => (await casesAt(ws.station)).every((c) => c.status === 'resolved'),
        10_000,
        `every case resolved at ${ws.id}`,
      );
    await until(() => world!.agree(), 10_000, 'HQ and the stations agree on the numbers');

    // HQ: an extra chair in the talk; three seats released there, one moved into the workshop; one person waiting.
    const v = await hq.ledger.view();
    expect(v.sessions.find((s) => s.id === 'talk')).toMatchObject({ capacity: 3, sold: 3 });
    expect(v.sessions.find((s) => s.id === 'workshop')).toMatchObject({ sold: 1 });
    expect(v.sessions.find((s) => s.id === 'lab')).toMatchObject({ capacity: 1, sold: 1 });
    expect(v.cases.map((c) => [c.resolution, c.resolved_by])).toEqual([
      ['honor', 'station:desk-b'],
      ['reverse', 'station:desk-a'],
      ['move', 'station:door-c'],
      ['waitlist', 'station:desk-b'],
      ['refuse', 'station:desk-a'],
    ]);
    expect(v.waitlist.map((w) => [w.session_id, w.registrant_id, w.status])).toEqual([['lab', 'b4', 'waiting']]);

    // Every station holds the same story for every case.
    const [atA, atB, atC] = await Promise.all(all.map((ws) => casesAt(ws.station)));
    expect(atB!.map(story)).toEqual(atA!.map(story));
    expect(atC!.map(story)).toEqual(atA!.map(story));
    expect(atA!.every((c) => c.soldHere)).toBe(true);
    expect(atB!.some((c) => c.soldHere)).toBe(false);

    // The selling desk: its sales end as HQ decided; the seats follow everywhere the registrant is known.
    const saleRows = rawAll<{ registrant_id: string; status: string }>(
      `${t.dir}/desk-a.db`,
      'SELECT registrant_id, status FROM sale ORDER BY registrant_id',
    );
    expect(Object.fromEntries(saleRows.map((x) => [x.registrant_id, x.status]))).toEqual({
      b1: 'oversold',
      b2: 'released',
      b3: 'released',
      b4: 'released',
      b5: 'refused',
    });
    expect(await seatsOf(A.station, 'b1')).toEqual(['talk']);
    expect(await seatsOf(A.station, 'b2')).toEqual([]);
    expect(await seatsOf(A.station, 'b5')).toEqual([]);
    for (const ws of all) expect(await seatsOf(ws.station, 'b3')).toEqual(['workshop']);
    for (const ws of all)
      expect(must(await ws.station.call('waitlist.list', { sessionId: 'lab' }))).toEqual([
        expect.objectContaining({ registrantId: 'b4', name: 'Ana Silva', place: 1, status: 'waiting' }),
      ]);

    // Contact and refund: the same list on every station.
    const contacts = async (s: Station) =>
      (
        parse(must(await s.call('reports.export', { report: 'contacts' })).csv, { bom: true, columns: true }) as Record<
          string,
          string
        >[]
      ).map((x) => [x.Registrant, x['First name'], x.Action, x.Refund]);
    const expected = [
      ['b2', 'José', 'reverse', 'yes'],
      ['b3', 'Søren', 'move', 'no'],
      ['b4', 'Ana', 'waitlist', 'yes'],
    ];
    for (const ws of all) expect((await contacts(ws.station)).sort()).toEqual(expected);

    // The room staff hear of the extra chair everywhere; the resolving station was answered, the others told.
    for (const ws of all)
      expect(notes[ws.id]!.filter((n) => n.kind === 'extra.chair').map((n) => n.message)).toEqual([
        expect.stringContaining('Put one more chair in Room A'),
      ]);
    expect(
      notes['door-c']!.filter((n) => n.kind === 'case.resolved')
        .map((n) => n.audience)
        .sort(),
    ).toEqual(['desk', 'supervisors', 'supervisors', 'supervisors', 'supervisors']);
  });

  it('two desks resolve the same case at the same moment: one wins, the other is told it lost, and both end in the same state', async () => {
    const { A, B, C } = await start();
    const [caseId] = await oversell(A, [A, B, C], [['b6', 'talk']]);
    // Neither desk knows of the other's decision: both requests are in flight to HQ together (each desk's relay held
    // them for a moment; a desk that already heard HQ's decision would refuse locally: "already resolved").
    for (const ws of [A, B]) must(await ws.station.call('sync.setWorkOffline', { on: true }));
    const ra = must(await A.station.call('cases.resolve', { caseId: caseId!, action: 'reverse', supervisor: sam }));
    const rb = must(await B.station.call('cases.resolve', { caseId: caseId!, action: 'honor', supervisor: sam }));
    expect([ra.outcome, rb.outcome]).toEqual(['pending', 'pending']);
    await Promise.all([A, B].map((ws) => ws.station.call('sync.setWorkOffline', { on: false })));
    for (const ws of [A, B, C])
      await until(async () => (await casesAt(ws.station))[0]!.status === 'resolved', 10_000, `resolved at ${ws.id}`);
    for (const ws of [A, B])
      await until(
        async () => (await casesAt(ws.station))[0]!.request?.status !== 'pending',
        10_000,
        `HQ's answer at ${ws.id}`,
      );
    const [a, b, c] = await Promise.all([A, B, C].map(async (ws) => (await casesAt(ws.station))[0]!));
    expect(story(b)).toEqual(story(a));
    expect(story(c)).toEqual(story(a));
    const winner = a!.resolution;
    expect([a!.request!.status, b!.request!.status]).toEqual(winner === 'reverse' ? ['won', 'lost'] : ['lost', 'won']);
    // The loser's request is recorded lost, with what really happened; nothing of it was applied.
    const loser = winner === 'reverse' ? b! : a!;
    expect(loser.request).toMatchObject({
      status: 'lost',
      answer: expect.stringContaining(winner === 'reverse' ? 'reversed' : 'honored'),
    });
    await until(() => world!.agree(), 10_000, 'numbers agree');
    expect(await seatsOf(A.station, 'b6')).toEqual(winner === 'honor' ? ['talk'] : []);
    expect((await world!.hq!.ledger.view()).sessions.find((s) => s.id === 'talk')).toMatchObject(
      winner === 'honor' ? { capacity: 3, sold: 3 } : { capacity: 2, sold: 2 },
    );
  });

  it('a resolution made offline waits in the outbox and loses to one HQ applied meanwhile; that desk then shows what really happened', async () => {
    const { A, B, C } = await start();
    const [caseId] = await oversell(A, [A, B, C], [['b7', 'talk']]);
    const notesA: StaffNotification[] = [];
    A.station.notifications$.subscribe((n) => notesA.push(n));
    A.dropLink();
    await until(async () => !(await online(A)), 10_000, 'A offline');
    const queued = must(
      await A.station.call('cases.resolve', {
        caseId: caseId!,
        action: 'reverse',
        supervisor: sam,
        note: 'refund her',
      }),
    );
    expect(queued).toMatchObject({ outcome: 'pending', case: { status: 'open', request: { status: 'pending' } } });
    expect(queued.message).toContain('waits in the outbox');
    expect(await seatsOf(A.station, 'b7')).toEqual(['talk']); // nothing applied offline

    expect(await resolve(B, { caseId: caseId!, action: 'honor', supervisor: sam })).toMatchObject({
      request: { status: 'won' },
    });
    A.restoreLink();
    await until(
      async () => (await casesAt(A.station))[0]!.request?.status === 'lost',
      20_000,
      'A learns its request lost',
    );
    const atA = (await casesAt(A.station))[0]!;
    expect(atA).toMatchObject({
      status: 'resolved',
      resolution: 'honor',
      resolvedBy: 'station:desk-b',
      request: { action: 'reverse', status: 'lost' },
    });
    expect(await seatsOf(A.station, 'b7')).toEqual(['talk']); // honored: the person keeps the seat
    expect(notesA.filter((n) => n.kind === 'resolution.lost')).toEqual([
      expect.objectContaining({ resolutionId: queued.case.request!.id }),
    ]);
    await until(() => world!.agree(), 10_000, 'numbers agree');
    // HQ answered the late request too (lost), and applied nothing of it.
    const v = await world!.hq!.ledger.view();
    expect(v.cases).toEqual([expect.objectContaining({ resolution: 'honor', resolved_by: 'station:desk-b' })]);
    expect(v.sessions.find((s) => s.id === 'talk')).toMatchObject({ capacity: 3, sold: 3 });
  });

  it('waitlist: concurrent releases at two desks promote without going past capacity; a reversal that frees a seat promotes the next', async () => {
    const { A, B, C } = await start();
    const all = [A, B, C];
    // The panel fills online: 2 held, one seat sold at each desk.
    const a1 = must(
      await A.station.callAs(
        { transport: 'ipc', mode: 'desk', session: { staffId: 'sam', role: 'supervisor' } },
        'sale.sell',
        { sessionId: 'panel', registrantId: 'b8' },
      ),
    );
    const b1 = must(await B.station.call('sale.sell', { sessionId: 'panel', registrantId: 'b9' }));
    expect([a1.outcome, b1.outcome]).toEqual(['confirmed', 'confirmed']);
    const [w1, w2, rev] = await oversell(A, all, [
      ['b10', 'panel'],
      ['b11', 'panel'],
      ['b12', 'panel'],
    ]);
    await resolve(A, { caseId: w1!, action: 'waitlist', supervisor: sam });
    await resolve(B, { caseId: w2!, action: 'waitlist', supervisor: sam });
    const notesA: StaffNotification[] = [];
    A.station.notifications$.subscribe((n) => notesA.push(n));

    // Both desks release a seat at the same moment: two seats free, but the panel is still one over (b12's case).
    await Promise.all([
      A.station.call('sale.release', { saleId: a1.sale!.id, reason: 'left early' }),
      B.station.call('sale.release', { saleId: b1.sale!.id, reason: 'left early' }),
    ]);
    await until(
      async () => (await world!.hq!.ledger.view()).waitlist.some((w) => w.status === 'promoted'),
      10_000,
      'first promotion',
    );
    await world!.hq!.idle();
    let v = await world!.hq!.ledger.view();
    expect(v.sessions.find((s) => s.id === 'panel')).toMatchObject({ capacity: 4, sold: 4 });
    expect(v.waitlist.map((w) => [w.registrant_id, w.status])).toEqual([
      ['b10', 'promoted'],
      ['b11', 'waiting'],
    ]);

    // Reversing b12 frees a seat: b11 gets it.
    expect(await resolve(C, { caseId: rev!, action: 'reverse', supervisor: sam })).toMatchObject({
      request: { status: 'won' },
    });
    await until(
      async () => (await world!.hq!.ledger.view()).waitlist.every((w) => w.status === 'promoted'),
      10_000,
      'second promotion',
    );
    await until(() => world!.agree(), 10_000, 'numbers agree');
    v = await world!.hq!.ledger.view();
    expect(v.sessions.find((s) => s.id === 'panel')).toMatchObject({ capacity: 4, sold: 4 });
    for (const ws of all) {
      await until(
        async () =>
          must(await ws.station.call('waitlist.list', { sessionId: 'panel' })).every((w) => w.status === 'promoted'),
        10_000,
        `promotions at ${ws.id}`,
      );
      expect(await seatsOf(ws.station, 'b10')).toEqual(['panel']);
      expect(await seatsOf(ws.station, 'b11')).toEqual(['panel']);
      const panel = must(await ws.station.call('sessions.list', {})).find((s) => s.id === 'panel')!.availability;
      expect(panel.sold).toBeLessThanOrEqual(panel.capacity);
    }
    // The desk that registered them (A) is told to call them.
    await until(() => notesA.filter((n) => n.kind === 'waitlist.promoted').length === 2, 5000, 'A told twice');
    expect(notesA.filter((n) => n.kind === 'waitlist.promoted').map((n) => [n.registrantId, n.audience])).toEqual([
      ['b10', 'desk'],
      ['b11', 'desk'],
    ]);
  });

  it('a badge revoked while the door was offline: the offline door says its list may be stale; after reconnecting it refuses the badge with the reason', async () => {
    const { A, B, C } = await start();
    vp = new VirtualPrinter({ outDir: null });
    await vp.start();
    const [caseId] = await oversell(A, [A, B, C], [['b2', 'talk']]);
    // The oversold person's badge prints at desk A.
    expect(
      must(
        await A.station.call('badge.print', {
          registrantId: 'b2',
          printer: vp.uri('connectMs=500&statusMs=400&writeMs=1500'),
        }),
      ),
    ).toMatchObject({ status: 'printed', badgeVersion: 1 });
    await vp.settled();
    const bmp = vp.jobs.at(-1)!.decoded!.bitmap;
    const code = jsQR(bitmapToRgba(bmp), bmp.width, bmp.height)!.data;
    await until(
      async () => must(await C.station.call('badge.verify', { code })).valid,
      10_000,
      'the door knows desk A’s key',
    );
    expect(must(await C.station.call('badge.verify', { code })).revocationList).toMatchObject({ current: true });
    await until(
      async () => (await world!.hq!.ledger.view()).badgePrints.some((p) => p.registrant_id === 'b2'),
      10_000,
      'HQ heard of the print',
    );

    C.dropLink();
    await until(async () => !(await online(C)), 10_000, 'door offline');
    expect(await resolve(B, { caseId: caseId!, action: 'reverse', supervisor: sam })).toMatchObject({
      request: { status: 'won' },
      outcome: { revokedBadgeVersions: [1] },
    });
    await until(async () => !must(await A.station.call('badge.verify', { code })).valid, 10_000, 'revoked at desk A');

    const offline = must(await C.station.call('badge.verify', { code }));
    expect(offline).toMatchObject({ valid: true, revocationList: { current: false, ageMinutes: expect.any(Number) } });
    expect(offline.message).toMatch(
      /^Valid badge\. Offline: the list of revoked badges may be stale \(last word from HQ (less than a minute|\d+ min) ago\)\.$/,
    );

    C.restoreLink();
    await until(
      async () => !must(await C.station.call('badge.verify', { code })).valid,
      20_000,
      'the door applies the revocation on reconnect',
    );
    const refused = must(await C.station.call('badge.verify', { code }));
    expect(refused).toMatchObject({
      valid: false,
      reason: 'revoked',
      registrantId: 'b2',
      version: 1,
      name: 'José Ñúñez',
    });
    expect(refused.message).toContain('Badge version 1 of this registrant was revoked: oversold seat: reverse.');
    expect((await casesAt(C.station))[0]).toMatchObject({ status: 'resolved', resolution: 'reverse' });
  });
});
