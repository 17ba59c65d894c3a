/**
 * HQ as the arbiter of oversell cases, over the real SDK and the emulator (stations played with the raw SDK, HQ's
 * clock faked): the first resolution wins and every other is answered; what does not apply is refused and the
 * case stays open; each action's effects at HQ; deadlines and escalation; waitlists promoted in order and never
 * past capacity, whatever frees the seat.
 */
import type { ServiceBusClient } from '@azure/service-bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import type { Payload } from '../../core/messages';
import type { HqService } from '../../hq/service';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startBus, waitFor } from '../support/bus';
import { dayAt, smallConference, tempDir } from '../support/fixtures';
import { busClient, feedReader, rawStation, saleBasis, startTestHq, type FeedEnvelope } from './support';

let t: ReturnType<typeof tempDir>;
let bus: RunningEmulator;
let client: ServiceBusClient;
let hq: HqService | null;
let feedA: ReturnType<typeof feedReader>;
let feedB: ReturnType<typeof feedReader>;
let hqNow: number;
const MIN = 60_000;

/** panel: 4 seats, 1 held by r1. lab: 2 seats, no room for an extra chair. early: starts at 09:15. */
function conference(): ConferenceFile {
  const c = smallConference();
  c.sessions[0]!.capacity = 4;
  c.sessions.push(
    {
      id: 'lab',
      title: 'Lab',
      room: 'Lab 1',
      startsAt: dayAt('11:00'),
      endsAt: dayAt('12:00'),
      capacity: 2,
      sellable: true,
      roomForExtraChair: false,
    },
    {
      id: 'early',
      title: 'Early bird',
      room: 'Room C',
      startsAt: dayAt('09:15'),
      endsAt: dayAt('09:45'),
      capacity: 1,
      sellable: true,
    },
  );
  for (let i = 0; i < 20; i++)
    c.registrants.push({
      id: `x${i}`,
      confirmationCode: `X-${i}`,
      firstName: 'Guest',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  return c;
}

const basis = saleBasis({
  online: false,
  stalenessMin: 5,
  capacity: 4,
  sold: 3,
  unallocated: 1,
  remainingRatio: 0.25,
  kMax: 1,
});
const sale = (saleId: string, registrantId: string, sessionId = 'panel') => ({
  saleId,
  sessionId,
  registrantId,
  tier: 'overdraft' as const,
  allotmentId: null,
  basis,
});
const resolution = (
  c: FeedEnvelope,
  action: Payload<'OversellResolved'>['resolution'],
  resolutionId: string,
  moveToSessionId: string | null = null,
) => ({
  caseId: String(c.payload.caseId),
  saleId: String(c.payload.saleId),
  resolution: action,
  moveToSessionId,
  note: `${action} please`,
  resolutionId,
  supervisorId: 'sam',
});

beforeEach(async () => {
  t = tempDir('lanyard-hq-rec-');
  bus = await startBus(['desk-a', 'desk-b']);
  client = busClient(bus.connectionString);
  feedA = feedReader(client, 'desk-a');
  feedB = feedReader(client, 'desk-b');
  hq = null;
  hqNow = Date.parse(dayAt('08:45'));
});
afterEach(async () => {
  await hq?.stop();
  await feedA.close();
  await feedB.close();
  await client.close();
  await bus.stop();
  t.cleanup();
});

async function start(c = conference(), overrides = {}) {
  hq = await startTestHq(t.dir, bus.connectionString, c, { housekeepingSeconds: 0.1, ...overrides }, 'hq', {
    now: () => hqNow,
  });
  return { a: rawStation(client, 'desk-a', 'conf-1'), b: rawStation(client, 'desk-b', 'conf-1') };
}

/** Fills the panel from desk B (3 seats) and oversells `n` more from desk A: returns the cases (as desk B hears them). */
async function oversold(
  a: ReturnType<typeof rawStation>,
  b: ReturnType<typeof rawStation>,
  n: number,
): Promise<FeedEnvelope[]> {
  await b.send(...['s1', 's2', 's3'].map((id, i) => b.event('SeatSold', sale(id, `x${i}`))));
  await feedB.waitFor((g) => g.filter((m) => m.type === 'SaleConfirmed').length === 3, 'three confirmed');
  await a.send(...Array.from({ length: n }, (_, i) => a.event('SeatSold', sale(`o${i + 1}`, `x${10 + i}`))));
  await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellCaseOpened').length === n, `${n} cases`);
  return feedB.of('OversellCaseOpened');
}

const panel = async () => (await hq!.ledger.view()).sessions.find((s) => s.id === 'panel')!;

describe('HQ arbitration', () => {
  it('opens each case with its story and terms for every station; the first resolution wins, the other is answered lost; both sides hear the same outcome', async () => {
    const { a, b } = await start();
    const [c] = await oversold(a, b, 1);
    // Every station hears of the case, with the whole story and when it is due (an hour, by HQ's clock).
    await feedA.waitFor((g) => g.some((m) => m.type === 'OversellCaseOpened'), 'A hears of the case');
    expect(c!.payload).toEqual({
      caseId: expect.any(String),
      saleId: 'o1',
      sessionId: 'panel',
      station: 'station:desk-a',
      overBy: 1,
      registrantId: 'x10',
      tier: 'overdraft',
      basis,
      dueAt: new Date(hqNow + 60 * MIN).toISOString(),
      defaultAction: 'honor',
    });

    // Both desks resolve the same case at the same moment.
    await Promise.all([
      a.send(a.event('OversellResolved', resolution(c!, 'reverse', 'res-a'))),
      b.send(b.event('OversellResolved', resolution(c!, 'honor', 'res-b'))),
    ]);
    await feedA.waitFor((g) => g.some((m) => m.type === 'OversellCaseResolved'), 'resolution at A');
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellResolutionRejected'), 'an answer for the loser');
    const [won] = feedB.of('OversellCaseResolved');
    expect(feedB.of('OversellCaseResolved')).toHaveLength(1);
    const winner = won!.payload.resolutionId === 'res-a' ? 'reverse' : 'honor';
    const loser =
      winner === 'reverse'
        ? { id: 'res-b', station: 'station:desk-b', resolution: 'honor' }
        : { id: 'res-a', station: 'station:desk-a', resolution: 'reverse' };
    expect(won!.payload).toMatchObject({
      caseId: c!.payload.caseId,
      resolution: winner,
      by: winner === 'reverse' ? 'station:desk-a' : 'station:desk-b',
      decidedBy: 'station',
      supervisorId: 'sam',
      note: `${winner} please`,
    });
    const [rejected] = feedB.of('OversellResolutionRejected');
    expect(rejected!.payload).toMatchObject({
      resolutionId: loser.id,
      station: loser.station,
      resolution: loser.resolution,
      outcome: 'lost',
      resolvedAs: winner,
    });
    expect(rejected!.properties).toMatchObject({ station: loser.station }); // addressed to the loser
    expect(await panel()).toMatchObject(winner === 'reverse' ? { capacity: 4, sold: 4 } : { capacity: 5, sold: 5 });
    const v = await hq!.ledger.view();
    expect(v.cases).toEqual([
      expect.objectContaining({
        status: 'resolved',
        resolution: winner,
        decided_by: 'station',
        resolution_id: won!.payload.resolutionId,
      }),
    ]);

    // A late joiner's snapshot carries the cases so far, as they stand.
    await hq!.ledger.sendSnapshot('desk-b');
    await feedB.waitFor(
      (g) => g.filter((m) => m.type === 'OversellCaseResolved').length === 2,
      'the case in the snapshot',
    );
    expect(feedB.of('OversellCaseOpened').map((m) => m.payload)).toEqual([c!.payload, c!.payload]);
    expect(feedB.of('OversellCaseResolved')[1]!.payload).toEqual(won!.payload);
  });

  it('refuses what does not apply and keeps the case open: unknown case, honor without room for a chair, a move to a full session, refuse after print or from another desk', async () => {
    const { a, b } = await start();
    // lab: 2 seats sold by B, then A oversells one; B fills the early session too.
    await b.send(
      b.event('SeatSold', sale('l1', 'x0', 'lab')),
      b.event('SeatSold', sale('l2', 'x1', 'lab')),
      b.event('SeatSold', sale('e1', 'x2', 'early')),
    );
    await feedB.waitFor((g) => g.filter((m) => m.type === 'SaleConfirmed').length === 3, 'lab full');
    await a.send(
      a.event('SeatSold', sale('o1', 'x10', 'lab')),
      a.event('BadgePrinted', { registrantId: 'x10', badgeVersion: 1, jobId: 'j1' }),
    );
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseOpened'), 'lab case');
    const [c] = feedB.of('OversellCaseOpened');
    expect(c!.payload).toMatchObject({ sessionId: 'lab', defaultAction: 'waitlist' }); // no room for an extra chair

    await b.send(
      b.event('OversellResolved', { ...resolution(c!, 'honor', 'r1'), caseId: 'ghost' }),
      b.event('OversellResolved', resolution(c!, 'honor', 'r2')),
      b.event('OversellResolved', resolution(c!, 'move', 'r3', 'early')),
      b.event('OversellResolved', resolution(c!, 'refuse', 'r4')),
    );
    await a.send(a.event('OversellResolved', resolution(c!, 'refuse', 'r5')));
    await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellResolutionRejected').length === 5, 'five refusals');
    const reasons = Object.fromEntries(
      feedB
        .of('OversellResolutionRejected')
        .map((m) => [m.payload.resolutionId, [m.payload.outcome, m.payload.reason]]),
    );
    expect(reasons).toEqual({
      r1: ['refused', expect.stringContaining('no oversell case ghost')],
      r2: ['refused', expect.stringContaining('no space for an extra chair')],
      r3: ['refused', expect.stringContaining('That session is full')],
      r4: ['refused', expect.stringContaining('at the desk that sold it')],
      r5: ['refused', expect.stringContaining('A badge with this seat has already printed')],
    });
    expect((await hq!.ledger.view()).cases).toEqual([expect.objectContaining({ status: 'open' })]);
    expect(feedB.of('OversellCaseResolved')).toEqual([]);

    // A move to a session with room goes through: the seat moves, the printed badge is revoked.
    await b.send(b.event('OversellResolved', resolution(c!, 'move', 'r6', 'workshop')));
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseResolved'), 'moved');
    const moved = feedB.of('OversellCaseResolved')[0]!.payload as unknown as Payload<'OversellCaseResolved'>;
    expect(moved).toMatchObject({
      resolution: 'move',
      resolutionId: 'r6',
      outcome: { moveToSessionId: 'workshop', moveSaleId: expect.any(String), revokedBadgeVersions: [1] },
    });
    expect(feedB.of('BadgeRevoked').map((m) => m.payload)).toEqual([
      { registrantId: 'x10', badgeVersion: 1, reason: 'oversold seat: move' },
    ]);
    const v = await hq!.ledger.view();
    expect(v.sessions.find((s) => s.id === 'lab')).toMatchObject({ capacity: 2, sold: 2 });
    expect(v.sessions.find((s) => s.id === 'workshop')).toMatchObject({ sold: 1 });
    expect(v.sales.find((s) => s.id === moved.outcome.moveSaleId)).toMatchObject({
      session_id: 'workshop',
      registrant_id: 'x10',
      tier: 'move',
      verdict: 'confirmed',
      held: 1,
    });
  });

  it('deadlines by HQ’s clock: every supervisor alerted before, then the default applied, decided by the deadline', async () => {
    const c = conference();
    c.conference.reconciliation = { dueAfterMin: 30 };
    const { a, b } = await start(c);
    await b.send(
      b.event('SeatSold', sale('e1', 'x2', 'early')),
      b.event('SeatSold', sale('l1', 'x0', 'lab')),
      b.event('SeatSold', sale('l2', 'x1', 'lab')),
    );
    await feedB.waitFor((g) => g.filter((m) => m.type === 'SaleConfirmed').length === 3, 'early and lab full');
    await b.send(...['s1', 's2', 's3'].map((id, i) => b.event('SeatSold', sale(id, `x${5 + i}`))));
    await a.send(
      a.event('SeatSold', sale('o-early', 'x10', 'early')),
      a.event('SeatSold', sale('o-panel', 'x11')),
      a.event('SeatSold', sale('o-lab', 'x12', 'lab')),
    );
    await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellCaseOpened').length === 3, 'three cases');
    const due = Object.fromEntries(
      feedB.of('OversellCaseOpened').map((m) => [m.payload.sessionId, [m.payload.dueAt, m.payload.defaultAction]]),
    );
    expect(due).toEqual({
      early: [new Date(hqNow + 20 * MIN).toISOString(), 'honor'], // 10 min before its 09:15 start
      panel: [new Date(hqNow + 30 * MIN).toISOString(), 'honor'], // the conference's 30 min
      lab: [new Date(hqNow + 30 * MIN).toISOString(), 'waitlist'], // no room for a chair
    });
    hqNow += 6 * MIN; // 08:51: the early case is due within 15 minutes (at 09:05)
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseEscalated'), 'escalation');
    expect(feedB.of('OversellCaseEscalated').map((m) => m.payload.sessionId)).toEqual(['early']);

    hqNow += 10 * MIN; // 09:01: panel and lab within 15 minutes of theirs (09:15)
    await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellCaseEscalated').length === 3, 'all escalated');
    expect(feedB.of('OversellCaseResolved')).toEqual([]);

    hqNow += 5 * MIN; // 09:06: the early case is past due
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseResolved'), 'early decided');
    expect(feedB.of('OversellCaseResolved').map((m) => m.payload.sessionId)).toEqual(['early']);
    hqNow += 10 * MIN; // 09:16: all past due
    await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellCaseResolved').length === 3, 'all decided');
    const decided = Object.fromEntries(feedB.of('OversellCaseResolved').map((m) => [m.payload.sessionId, m.payload]));
    expect(decided.early).toMatchObject({
      resolution: 'honor',
      by: 'hq',
      decidedBy: 'deadline',
      resolutionId: null,
      supervisorId: null,
      outcome: { capacity: 2 },
    });
    expect(decided.lab).toMatchObject({
      resolution: 'waitlist',
      by: 'hq',
      decidedBy: 'deadline',
      outcome: { waitlistPosition: 1 },
    });
    expect(decided.early!.note).toContain('not resolved by its deadline');
    // Escalated once each, never again.
    expect(feedB.of('OversellCaseEscalated')).toHaveLength(3);
    // A resolution that arrives after the deadline loses to it.
    const panelCase = feedB.of('OversellCaseOpened').find((m) => m.payload.sessionId === 'panel')!;
    await a.send(a.event('OversellResolved', resolution(panelCase, 'reverse', 'late')));
    await feedA.waitFor((g) => g.some((m) => m.type === 'OversellResolutionRejected'), 'late answer');
    expect(feedA.of('OversellResolutionRejected')[0]!.payload).toMatchObject({
      outcome: 'lost',
      resolvedAs: 'honor',
      reason: expect.stringContaining('by HQ at its deadline'),
    });
  });
});

describe('waitlists', () => {
  it('promote in order, never past capacity, when seats free together (releases at two desks and a reversal)', async () => {
    const { a, b } = await start();
    const cases = await oversold(a, b, 5); // panel: 4 seats, 9 held
    await a.send(...cases.slice(0, 4).map((c, i) => a.event('OversellResolved', resolution(c, 'waitlist', `w${i}`))));
    await feedB.waitFor((g) => g.filter((m) => m.type === 'OversellCaseResolved').length === 4, 'four waitlisted');
    expect(
      feedB
        .of('OversellCaseResolved')
        .map((m) => (m.payload as unknown as Payload<'OversellCaseResolved'>).outcome.waitlistPosition),
    ).toEqual([1, 2, 3, 4]);
    expect(await panel()).toMatchObject({ capacity: 4, sold: 5 }); // r1 + s1..s3 + o5 (its case still open)

    // Desk B releases two seats while desk A reverses its last open case: from 5 sold to 2, at once.
    await Promise.all([
      b.send(
        b.event('SeatReleased', { saleId: 's1', sessionId: 'panel', registrantId: 'x0', reason: 'left' }),
        b.event('SeatReleased', { saleId: 's2', sessionId: 'panel', registrantId: 'x1', reason: 'left' }),
      ),
      a.send(a.event('OversellResolved', resolution(cases[4]!, 'reverse', 'rev'))),
    ]);
    await feedB.waitFor((g) => g.filter((m) => m.type === 'WaitlistPromoted').length === 2, 'two promoted');
    await hq!.idle();
    expect(await panel()).toMatchObject({ capacity: 4, sold: 4 });
    // Each further seat that frees goes to the next in line; the desk that registered them is told.
    await b.send(b.event('SeatReleased', { saleId: 's3', sessionId: 'panel', registrantId: 'x2', reason: 'left' }));
    await feedB.waitFor((g) => g.filter((m) => m.type === 'WaitlistPromoted').length === 3, 'third promoted');
    const promoted = feedB.of('WaitlistPromoted').map((m) => m.payload);
    await a.send(
      a.event('SeatReleased', {
        saleId: String(promoted[0]!.saleId),
        sessionId: 'panel',
        registrantId: 'x10',
        reason: 'changed mind',
      }),
    );
    await feedB.waitFor((g) => g.filter((m) => m.type === 'WaitlistPromoted').length === 4, 'fourth promoted');
    expect(feedB.of('WaitlistPromoted').map((m) => [m.payload.registrantId, m.payload.station])).toEqual([
      ['x10', 'station:desk-a'],
      ['x11', 'station:desk-a'],
      ['x12', 'station:desk-a'],
      ['x13', 'station:desk-a'],
    ]);
    // Nobody left waiting: the next seat that frees stays free.
    await a.send(
      a.event('SeatReleased', {
        saleId: String(promoted[1]!.saleId),
        sessionId: 'panel',
        registrantId: 'x11',
        reason: 'changed mind',
      }),
    );
    await waitFor(async () => (await panel()).sold === 3, 10_000, 'a free seat with nobody waiting');
    await hq!.idle();

    // Never past capacity, in any version HQ published after the oversell was resolved.
    const after = feedB
      .of('SeatAvailability')
      .filter((m) => m.payload.sessionId === 'panel' && m.seq > feedB.of('OversellCaseResolved').at(-1)!.seq);
    for (const m of after)
      expect(m.payload.sold as unknown as number).toBeLessThanOrEqual(m.payload.capacity as unknown as number);
    const v = await hq!.ledger.view();
    expect(v.waitlist.map((w) => [w.registrant_id, w.position, w.status])).toEqual([
      ['x10', 1, 'promoted'],
      ['x11', 2, 'promoted'],
      ['x12', 3, 'promoted'],
      ['x13', 4, 'promoted'],
    ]);
    expect(v.sales.filter((s) => s.tier === 'waitlist' && s.held === 1).map((s) => s.registrant_id)).toEqual([
      'x12',
      'x13',
    ]);
  });

  it('an allotment given back goes to the waitlist first', async () => {
    const c = conference();
    c.sessions[0]!.capacity = 6; // 1 held, 5 free
    // A's sale must not wait for B's seats here: the case (and the waitlist) is what this is about.
    const { a, b } = await start(c, { allotmentShare: 0.5, allotmentKeepBack: null, seatWaitMs: 0 });
    await b.send(b.event('AllotmentRequested', { requestId: 'q1', sessionId: 'panel', seats: 2 }));
    await feedB.waitFor((g) => g.some((m) => m.type === 'AllotmentGranted'), 'grant');
    const allotmentId = String(feedB.of('AllotmentGranted')[0]!.payload.allotmentId);
    await b.send(...['s1', 's2', 's3'].map((id, i) => b.event('SeatSold', sale(id, `x${i}`))));
    await a.send(a.event('SeatSold', sale('o1', 'x10')));
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseOpened'), 'case');
    await a.send(a.event('OversellResolved', resolution(feedB.of('OversellCaseOpened')[0]!, 'waitlist', 'w1')));
    await feedB.waitFor((g) => g.some((m) => m.type === 'OversellCaseResolved'), 'waitlisted');
    expect(await panel()).toMatchObject({ capacity: 6, sold: 4, allotted: 2 });
    await b.send(b.event('AllotmentReturned', { allotmentId, sessionId: 'panel', seats: 2 }));
    await feedB.waitFor((g) => g.some((m) => m.type === 'WaitlistPromoted'), 'promoted');
    expect(feedB.of('WaitlistPromoted')[0]!.payload).toMatchObject({
      registrantId: 'x10',
      sessionId: 'panel',
      station: 'station:desk-a',
    });
    await waitFor(async () => (await panel()).allotted === 0, 10_000, 'returned');
    expect(await panel()).toMatchObject({ capacity: 6, sold: 5, allotted: 0 });
  });
});
