/**
 * Reconciliation on one station, with HQ's feed messages applied by hand: a supervisor's resolution is a request
 * (recorded, audited, sent; nothing applied), HQ's decision applies the effects, another station's win makes the
 * request lost, HQ's refusal leaves the case open, waitlists, escalation, door check-in against revocations, the
 * CSV exports read back, and every action that does not apply answers a typed error and writes nothing.
 */
import { internalCaller } from '../../core/access';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import jsQR from 'jsqr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffNotification } from '../../core/api';
import type { Envelope, Payload } from '../../core/messages';
import { bitmapToRgba } from '../../main/printing/bitmap-png';
import { runCli } from '../../main/station/cli';
import type { Station } from '../../main/station/create-station';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let clock: FakeClock;
let online = false;
let notes: StaffNotification[];
const min = 60_000;
const dbPath = () => `${t.dir}/desk-a.db`;
const sup = { supervisorId: 'sup', pin: '2468' };

const outbox = () =>
  rawAll<{ type: string; body: string }>(dbPath(), 'SELECT type, body FROM outbox ORDER BY seq').map(
    (r) => JSON.parse(r.body) as Envelope,
  );
const lastResolved = () =>
  outbox()
    .filter((e) => e.type === 'OversellResolved')
    .at(-1)!.payload as Payload<'OversellResolved'>;
const feed = async (envelope: unknown) => must(await s.call('feed.apply', { envelope }));
const casesAt = async () => must(await s.call('cases.list', { status: 'all' }));
const caseOf = async (id: string) => (await casesAt()).find((c) => c.id === id)!;
const seats = async (registrantId: string) =>
  must(await s.call('registrant.get', { id: registrantId })).sessions.map((x) => x.sessionId);
const noOutcome = {
  capacity: null,
  moveToSessionId: null,
  moveSaleId: null,
  waitlistEntryId: null,
  waitlistPosition: null,
  revokedBadgeVersions: [],
};

function conference() {
  const c = smallConference();
  // A lab whose room cannot take an extra chair: its cases default to the waitlist.
  c.sessions.push({
    id: 'lab',
    title: 'Hands-on lab',
    room: 'Lab 1',
    startsAt: dayAt('11:00'),
    endsAt: dayAt('12:00'),
    capacity: 2,
    sellable: true,
    roomForExtraChair: false,
  });
  return c;
}

/** A seat this desk sold offline, then oversold at HQ: the verdict, then HQ's case (as HQ sends them). */
async function oversoldHere(registrantId: string, sessionId = 'panel', caseId = `case-${registrantId}`) {
  must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) }));
  const sale = must(await s.call('sale.sell', { sessionId, registrantId, override: sup })).sale!;
  await feed(hq('SaleOversold', { saleId: sale.id, sessionId, station: 'station:desk-a', overBy: 1 }));
  await feed(
    opened({
      caseId,
      saleId: sale.id,
      sessionId,
      registrantId,
      defaultAction: sessionId === 'lab' ? 'waitlist' : 'honor',
    }),
  );
  return { saleId: sale.id, caseId };
}

function opened(p: Partial<Payload<'OversellCaseOpened'>> & { caseId: string; saleId: string; registrantId: string }) {
  return hq('OversellCaseOpened', {
    sessionId: 'panel',
    station: 'station:desk-a',
    overBy: 1,
    tier: 'override',
    basis: null,
    dueAt: new Date(clock.now() + 60 * min).toISOString(),
    defaultAction: 'honor',
    ...p,
  });
}

function resolved(
  p: Partial<Payload<'OversellCaseResolved'>> & {
    caseId: string;
    saleId: string;
    registrantId: string;
    resolution: Payload<'OversellCaseResolved'>['resolution'];
  },
) {
  return hq('OversellCaseResolved', {
    sessionId: 'panel',
    station: 'station:desk-a',
    by: 'station:desk-a',
    decidedBy: 'station',
    resolutionId: null,
    supervisorId: 'sup',
    note: '',
    outcome: noOutcome,
    ...p,
  });
}

beforeEach(async () => {
  t = tempDir();
  clock = new FakeClock();
  online = false;
  s = await openStation(t.dir, { clock, isOnline: () => online, printing: { healthPollMs: 0 } });
  must(await s.call('conference.import', { data: conference() }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  must(await s.call('staff.add', { id: 'desk1', name: 'Dee Desk', role: 'desk', pin: '1357', by: sup }));
  notes = [];
  s.notifications$.subscribe((n) => notes.push(n));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('cases on every station', () => {
  it('a case from another desk: its whole story, time left by this station’s clock, supervisors notified', async () => {
    await feed(
      opened({
        caseId: 'c-b',
        saleId: 'sale-at-b',
        registrantId: 'r3',
        station: 'station:desk-b',
        tier: 'overdraft',
        dueAt: dayAt('09:45'),
      }),
    );
    const c = await caseOf('c-b');
    expect(c).toMatchObject({
      saleId: 'sale-at-b',
      station: 'station:desk-b',
      soldHere: false,
      tier: 'overdraft',
      overBy: 1,
      status: 'open',
      dueAt: dayAt('09:45'),
      minutesLeft: 60,
      defaultAction: 'honor',
      escalated: false,
      request: null,
    });
    clock.advance(15 * min);
    expect((await caseOf('c-b')).minutesLeft).toBe(45);
    expect(notes).toEqual([
      expect.objectContaining({
        kind: 'case.opened',
        audience: 'supervisors',
        caseId: 'c-b',
        title: 'Oversold: Panel discussion',
      }),
    ]);
    expect(notes[0]!.message).toContain(
      'Søren Ødegård’s seat (sold at desk-b, over by 1) needs a supervisor by 09:45; otherwise HQ will honor it',
    );

    await feed(
      hq('OversellCaseEscalated', {
        caseId: 'c-b',
        saleId: 'sale-at-b',
        sessionId: 'panel',
        dueAt: dayAt('09:45'),
        defaultAction: 'honor',
      }),
    );
    expect((await caseOf('c-b')).escalated).toBe(true);
    expect(notes.at(-1)).toMatchObject({
      kind: 'case.escalated',
      audience: 'supervisors',
      title: 'Due soon: Panel discussion',
    });
    // The desk that sold it is told nothing more here: only its own sale changes on its own station.
    expect(await seats('r3')).toEqual([]);
  });

  it('a case nobody holds a seat for is listed without an alert: an online sale refused on the spot, here or at another desk', async () => {
    // Another desk's online sale: nearly always refused on the spot; HQ closes it a moment later.
    await feed(
      opened({ caseId: 'c-on', saleId: 'sale-on-b', registrantId: 'r3', station: 'station:desk-b', tier: 'online' }),
    );
    await feed(
      resolved({
        caseId: 'c-on',
        saleId: 'sale-on-b',
        registrantId: 'r3',
        resolution: 'refuse',
        station: 'station:desk-b',
        by: 'station:desk-b',
        decidedBy: 'release',
        supervisorId: null,
        note: 'oversold at HQ; refused at the desk',
      }),
    );
    // This desk's own online sale, refused on the spot when HQ said oversold.
    online = true;
    must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: new Date(clock.now()).toISOString() }) }));
    const pending = s.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' });
    await until(() => outbox().some((e) => e.type === 'SeatSold'));
    const saleId = (outbox().find((e) => e.type === 'SeatSold')!.payload as { saleId: string }).saleId;
    await feed(hq('SaleOversold', { saleId, sessionId: 'panel', station: 'station:desk-a', overBy: 1 }));
    expect(must(await pending).outcome).toBe('refused');
    await feed(opened({ caseId: 'c-here', saleId, registrantId: 'r2', tier: 'online' }));
    expect((await casesAt()).map((c) => [c.id, c.status]).sort()).toEqual([
      ['c-here', 'open'],
      ['c-on', 'resolved'],
    ]);
    expect(notes).toEqual([]);
  });

  it('a resolution that arrives before its case opens is kept, and the opening fills in the story without reopening it', async () => {
    await feed(
      resolved({
        caseId: 'c-x',
        saleId: 'sale-x',
        registrantId: 'r4',
        resolution: 'honor',
        station: 'station:desk-b',
        by: 'hq',
        decidedBy: 'deadline',
        supervisorId: null,
        outcome: { ...noOutcome, capacity: 11 },
      }),
    );
    await feed(
      opened({ caseId: 'c-x', saleId: 'sale-x', registrantId: 'r4', station: 'station:desk-b', tier: 'overdraft' }),
    );
    expect(await caseOf('c-x')).toMatchObject({
      status: 'resolved',
      resolution: 'honor',
      decidedBy: 'deadline',
      resolvedBy: 'hq',
      tier: 'overdraft',
      overBy: 1,
      minutesLeft: null,
      outcome: { capacity: 11 },
    });
    expect(notes.map((n) => n.kind)).toEqual(['case.resolved', 'extra.chair']);
  });
});

describe('resolving: a request to HQ, applied when HQ answers', () => {
  it('offline: recorded, audited and queued; nothing applied; HQ’s decision then applies reverse here (seat, sale, contact and refund)', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    const r = must(
      await s.call('cases.resolve', { caseId, action: 'reverse', supervisor: sup, note: 'called her: refund' }),
    );
    expect(r.outcome).toBe('pending');
    expect(r.message).toContain('waits in the outbox');
    expect(r.case).toMatchObject({
      status: 'open',
      request: { action: 'reverse', status: 'pending', supervisorId: 'sup', note: 'called her: refund' },
    });
    const sent = lastResolved();
    expect(sent).toEqual({
      caseId,
      saleId,
      resolution: 'reverse',
      moveToSessionId: null,
      note: 'called her: refund',
      resolutionId: r.case.request!.id,
      supervisorId: 'sup',
    });
    expect(await seats('r2')).toContain('panel'); // nothing applied before HQ says so
    const audit = rawAll<{ actor: string; action: string; subject: string }>(
      dbPath(),
      `SELECT actor, action, subject FROM audit_log WHERE action LIKE 'case.%'`,
    );
    expect(audit).toEqual([
      { actor: 'hq', action: 'case.opened', subject: caseId },
      { actor: 'sup', action: 'case.resolve', subject: caseId },
    ]);

    await feed(
      resolved({
        caseId,
        saleId,
        registrantId: 'r2',
        resolution: 'reverse',
        resolutionId: sent.resolutionId,
        note: sent.note,
      }),
    );
    const c = await caseOf(caseId);
    expect(c).toMatchObject({
      status: 'resolved',
      resolution: 'reverse',
      resolvedBy: 'station:desk-a',
      decidedBy: 'station',
      supervisorId: 'sup',
      request: { status: 'won', answer: 'applied by HQ' },
    });
    expect(await seats('r2')).not.toContain('panel');
    const detail = must(await s.call('registrant.get', { id: 'r2' }));
    expect(detail.flaggedForContact).toBe(true);
    const sale = rawAll<{ status: string; release_reason: string }>(
      dbPath(),
      'SELECT status, release_reason FROM sale WHERE id = ?',
      saleId,
    )[0];
    expect(sale).toEqual({ status: 'released', release_reason: 'oversold seat: reverse' });
    expect(notes.at(-1)).toMatchObject({ kind: 'case.resolved', audience: 'desk', resolutionId: sent.resolutionId });
    expect(notes.at(-1)!.message).toContain(
      'reversed (seat released, badge revoked, contact and refund) from this desk — “called her: refund”',
    );
  });

  it('online: waits for HQ’s answer and reports it applied; honor adds a chair and tells the room staff', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    online = true;
    const call = s.call('cases.resolve', { caseId, action: 'honor', supervisor: sup });
    await until(() => outbox().some((e) => e.type === 'OversellResolved'));
    const sent = lastResolved();
    await feed(
      hq('SeatAvailability', {
        sessionId: 'panel',
        capacity: 11,
        sold: 11,
        allotted: 0,
        version: 5,
        salesRatePerMin: 0,
      }),
    );
    await feed(
      resolved({
        caseId,
        saleId,
        registrantId: 'r2',
        resolution: 'honor',
        resolutionId: sent.resolutionId,
        outcome: { ...noOutcome, capacity: 11 },
      }),
    );
    const r = must(await call);
    expect(r).toMatchObject({
      outcome: 'applied',
      case: { status: 'resolved', resolution: 'honor', request: { status: 'won' } },
    });
    expect(await seats('r2')).toContain('panel');
    expect(must(await s.call('sessions.list', {})).find((x) => x.id === 'panel')!.availability).toMatchObject({
      capacity: 11,
      sold: 11,
    });
    expect(notes.slice(-2).map((n) => [n.kind, n.audience])).toEqual([
      ['case.resolved', 'desk'],
      ['extra.chair', 'room'],
    ]);
    expect(notes.at(-1)!.message).toBe(
      'Put one more chair in Room A for Panel discussion (capacity now 11): Zoë Łukasz keeps the seat.',
    );
  });

  it('another station’s resolution wins: this request is lost, nothing of it applied, and the case shows what really happened', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    const mine = must(await s.call('cases.resolve', { caseId, action: 'honor', supervisor: sup }));
    await feed(
      resolved({
        caseId,
        saleId,
        registrantId: 'r2',
        resolution: 'reverse',
        by: 'station:desk-b',
        resolutionId: 'res-at-b',
        supervisorId: 'bo',
        note: 'refunded',
      }),
    );
    const c = await caseOf(caseId);
    expect(c).toMatchObject({
      status: 'resolved',
      resolution: 'reverse',
      resolvedBy: 'station:desk-b',
      supervisorId: 'bo',
      request: { id: mine.case.request!.id, status: 'lost' },
    });
    expect(c.request!.answer).toContain('another resolution won: reversed');
    expect(await seats('r2')).not.toContain('panel'); // HQ’s decision, not this desk's honor
    const lost = notes.filter((n) => n.kind === 'resolution.lost');
    expect(lost).toEqual([
      expect.objectContaining({
        resolutionId: mine.case.request!.id,
        audience: 'desk',
        title: 'Your honor was not applied: Panel discussion',
      }),
    ]);
    // HQ's own answer to the late request changes nothing more.
    const answer = hq('OversellResolutionRejected', {
      caseId,
      saleId,
      resolutionId: mine.case.request!.id,
      station: 'station:desk-a',
      resolution: 'honor',
      outcome: 'lost',
      reason: 'already resolved',
      resolvedAs: 'reverse',
    });
    expect(await feed(answer)).toMatchObject({ status: 'ignored' });
    expect(notes.filter((n) => n.kind === 'resolution.lost')).toHaveLength(1);
  });

  it('HQ refuses a move (the target filled meanwhile): the case stays open; a waitlist then goes through, and a freed seat promotes', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    const move = must(
      await s.call('cases.resolve', { caseId, action: 'move', moveToSessionId: 'workshop', supervisor: sup }),
    );
    expect(lastResolved()).toMatchObject({ resolution: 'move', moveToSessionId: 'workshop' });
    await feed(
      hq('OversellResolutionRejected', {
        caseId,
        saleId,
        resolutionId: move.case.request!.id,
        station: 'station:desk-a',
        resolution: 'move',
        outcome: 'refused',
        reason: 'That session is full: there is no seat to move to.',
        resolvedAs: null,
      }),
    );
    expect(await caseOf(caseId)).toMatchObject({
      status: 'open',
      request: { status: 'refused', answer: 'That session is full: there is no seat to move to.' },
    });
    expect(notes.at(-1)).toMatchObject({ kind: 'resolution.refused', resolutionId: move.case.request!.id });
    expect(notes.at(-1)!.message).toContain('The case is still open');

    const wl = must(await s.call('cases.resolve', { caseId, action: 'waitlist', supervisor: sup }));
    await feed(
      resolved({
        caseId,
        saleId,
        registrantId: 'r2',
        resolution: 'waitlist',
        resolutionId: wl.case.request!.id,
        outcome: { ...noOutcome, waitlistEntryId: 'w-1', waitlistPosition: 3 },
      }),
    );
    expect(await seats('r2')).not.toContain('panel');
    expect(must(await s.call('waitlist.list', { sessionId: 'panel' }))).toEqual([
      expect.objectContaining({
        id: 'w-1',
        registrantId: 'r2',
        name: 'Zoë Łukasz',
        station: 'station:desk-a',
        caseId,
        place: 1,
        status: 'waiting',
      }),
    ]);

    await feed(
      hq('WaitlistPromoted', {
        entryId: 'w-1',
        sessionId: 'panel',
        registrantId: 'r2',
        saleId: 'hq-sale-9',
        station: 'station:desk-a',
        caseId,
      }),
    );
    expect(must(await s.call('registrant.get', { id: 'r2' })).sessions).toContainEqual(
      expect.objectContaining({
        sessionId: 'panel',
        title: 'Panel discussion',
        source: 'sale',
        saleId: 'hq-sale-9',
        sale: null,
      }),
    );
    expect(must(await s.call('waitlist.list', { sessionId: 'panel' }))[0]).toMatchObject({
      status: 'promoted',
      place: null,
      saleId: 'hq-sale-9',
    });
    expect(notes.at(-1)).toMatchObject({ kind: 'waitlist.promoted', audience: 'desk', registrantId: 'r2' });
    const contacts = parse(must(await s.call('reports.export', { report: 'contacts' })).csv, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(contacts).toEqual([
      expect.objectContaining({ Registrant: 'r2', 'First name': 'Zoë', Action: 'waitlist', Refund: 'no' }),
    ]);
    expect(contacts[0]!['What to tell them']).toContain('promoted from the waitlist');
  });

  it('a move HQ applied gives the seat in the other session on this station too', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    const mv = must(
      await s.call('cases.resolve', {
        caseId,
        action: 'move',
        moveToSessionId: 'workshop',
        supervisor: sup,
        note: 'took the workshop',
      }),
    );
    await feed(
      resolved({
        caseId,
        saleId,
        registrantId: 'r2',
        resolution: 'move',
        resolutionId: mv.case.request!.id,
        outcome: { ...noOutcome, moveToSessionId: 'workshop', moveSaleId: 'hq-move-1' },
      }),
    );
    expect(await seats('r2')).toEqual(['workshop']);
    const contacts = parse(must(await s.call('reports.export', { report: 'contacts' })).csv, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(contacts[0]).toMatchObject({
      Action: 'move',
      Refund: 'no',
      'What to tell them': 'moved to Workshop: tell them',
    });
  });
});

describe('what does not apply answers a typed error and writes nothing (but a wrong PIN’s count)', () => {
  it.each([
    ['an unknown case', () => ({ caseId: 'ghost', action: 'honor' }), 'not_found', 'No oversell case'],
    [
      'honor in a room without space for a chair',
      (c: string) => ({ caseId: c, action: 'honor' }),
      'conflict',
      'no space for an extra chair',
      'lab',
    ],
    [
      'a move to a full session',
      (c: string) => ({ caseId: c, action: 'move', moveToSessionId: 'workshop' }),
      'refused',
      'That session is full',
    ],
    [
      'a move to an unknown session',
      (c: string) => ({ caseId: c, action: 'move', moveToSessionId: 'ghost' }),
      'not_found',
      'does not exist',
    ],
    [
      'a move to the same session',
      (c: string) => ({ caseId: c, action: 'move', moveToSessionId: 'panel' }),
      'conflict',
      'another session',
    ],
    [
      'a move to a session every ticket includes',
      (c: string) => ({ caseId: c, action: 'move', moveToSessionId: 'keynote' }),
      'conflict',
      'not sold at desks',
    ],
    ['a move without its target', (c: string) => ({ caseId: c, action: 'move' }), 'invalid_input', 'moveToSessionId'],
    [
      'a target for a reversal',
      (c: string) => ({ caseId: c, action: 'reverse', moveToSessionId: 'workshop' }),
      'invalid_input',
      'moveToSessionId',
    ],
    ['an unknown action', (c: string) => ({ caseId: c, action: 'shrug' }), 'invalid_input', 'action'],
    [
      'a desk PIN',
      (c: string) => ({ caseId: c, action: 'reverse', supervisor: { supervisorId: 'desk1', pin: '1357' } }),
      'forbidden',
      'not a supervisor',
    ],
  ] as const)('%s', async (_what, request, code, message, session?: string) => {
    const { caseId } = await oversoldHere('r2', session ?? 'panel');
    must(
      await s.call('feed.apply', {
        envelope: hq('SeatAvailability', {
          sessionId: 'workshop',
          capacity: 100,
          sold: 100,
          allotted: 0,
          version: 9,
          salesRatePerMin: 0,
        }),
      }),
    );
    const before = dbDigest(dbPath());
    const r = await s.callUnknown(internalCaller(), 'cases.resolve', { supervisor: sup, ...request(caseId) });
    expect(r).toMatchObject({ ok: false, error: { code } });
    if (!r.ok) expect(r.error.message).toContain(message);
    expect(dbDigest(dbPath())).toBe(before);
  });

  it('a wrong PIN writes only its failure count; a closed case, a pending request and a refusal from another desk are conflicts', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    let before = dbDigest(dbPath(), ['staff']);
    expect(
      await s.call('cases.resolve', { caseId, action: 'reverse', supervisor: { supervisorId: 'sup', pin: '0000' } }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(dbDigest(dbPath(), ['staff'])).toBe(before);
    expect(rawAll(dbPath(), `SELECT failed_attempts FROM staff WHERE id = 'sup'`)).toEqual([{ failed_attempts: 1 }]);

    const first = must(await s.call('cases.resolve', { caseId, action: 'reverse', supervisor: sup }));
    before = dbDigest(dbPath());
    const again = await s.call('cases.resolve', { caseId, action: 'honor', supervisor: sup });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!again.ok) expect(again.error.message).toContain('waiting for HQ’s answer');
    expect(dbDigest(dbPath())).toBe(before);

    await feed(
      resolved({ caseId, saleId, registrantId: 'r2', resolution: 'reverse', resolutionId: first.case.request!.id }),
    );
    before = dbDigest(dbPath());
    const closed = await s.call('cases.resolve', { caseId, action: 'honor', supervisor: sup });
    expect(closed).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This case is already resolved: reverse by station:desk-a.' },
    });
    expect(dbDigest(dbPath())).toBe(before);

    await feed(opened({ caseId: 'c-b', saleId: 'sale-at-b', registrantId: 'r3', station: 'station:desk-b' }));
    before = dbDigest(dbPath());
    const elsewhere = await s.call('cases.resolve', { caseId: 'c-b', action: 'refuse', supervisor: sup });
    expect(elsewhere).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { reason: 'refuse_elsewhere' } },
    });
    expect(dbDigest(dbPath())).toBe(before);
  });
});

describe('badges: refuse only before print, revocations at the door', () => {
  let vp: VirtualPrinter;
  const fast = 'connectMs=500&statusMs=400&writeMs=1500';
  beforeEach(async () => {
    vp = new VirtualPrinter({ outDir: null });
    await vp.start();
  });
  afterEach(async () => {
    await vp.stop();
  });
  const printedCode = () => {
    const bmp = vp.jobs.at(-1)!.decoded!.bitmap;
    return jsQR(bitmapToRgba(bmp), bmp.width, bmp.height)!.data;
  };

  it('refuse is possible before the badge prints and refused after; HQ’s revocation then stops the badge at the door, with the reason', async () => {
    const { caseId } = await oversoldHere('r2');
    must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }));
    await vp.settled();
    const code = printedCode();
    const before = dbDigest(dbPath());
    const refuse = await s.call('cases.resolve', { caseId, action: 'refuse', supervisor: sup });
    expect(refuse).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'badge_printed' } } });
    expect(dbDigest(dbPath())).toBe(before);

    // Offline, the door accepts the badge but says its list may be stale, and how old it is.
    clock.advance(23 * min);
    const stale = must(await s.call('badge.verify', { code }));
    expect(stale).toMatchObject({ valid: true, version: 1, revocationList: { current: false, ageMinutes: 23 } });
    expect(stale.message).toBe(
      'Valid badge. Offline: the list of revoked badges may be stale (last word from HQ 23 min ago).',
    );

    await feed(hq('BadgeRevoked', { registrantId: 'r2', badgeVersion: 1, reason: 'oversold seat: reverse' }));
    online = true;
    const refused = must(await s.call('badge.verify', { code }));
    expect(refused).toMatchObject({
      valid: false,
      reason: 'revoked',
      registrantId: 'r2',
      revocationList: { current: true },
    });
    expect(refused.message).toBe('Badge version 1 of this registrant was revoked: oversold seat: reverse.');
    // This station's copy of version 1 is void: the next print is version 2, which the door accepts.
    expect(must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }))).toMatchObject({
      badgeVersion: 2,
      status: 'printed',
    });
    await vp.settled();
    expect(must(await s.call('badge.verify', { code: printedCode() }))).toMatchObject({ valid: true, version: 2 });
  });

  it('a reversal HQ applied voids this station’s printed badge and tells HQ (BadgeVoided), without waiting for HQ’s own revocation', async () => {
    const { saleId, caseId } = await oversoldHere('r2');
    must(await s.call('badge.print', { registrantId: 'r2', printer: vp.uri(fast) }));
    await vp.settled();
    const code = printedCode();
    const r = must(await s.call('cases.resolve', { caseId, action: 'reverse', supervisor: sup }));
    await feed(
      resolved({ caseId, saleId, registrantId: 'r2', resolution: 'reverse', resolutionId: r.case.request!.id }),
    );
    expect(outbox().at(-1)).toMatchObject({
      type: 'BadgeVoided',
      payload: { registrantId: 'r2', badgeVersion: 1, reason: 'oversold seat: reverse' },
    });
    expect(must(await s.call('badge.verify', { code }))).toMatchObject({ valid: false, reason: 'revoked' });
  });
});

describe('exports', () => {
  it('contacts and the cases report per session, station and tier: CSV with a byte order mark that a CSV parser reads back', async () => {
    const a = await oversoldHere('r2');
    const b = await oversoldHere('r3', 'lab');
    await feed(
      opened({ caseId: 'c-b', saleId: 'sale-at-b', registrantId: 'r4', station: 'station:desk-b', tier: 'overdraft' }),
    );
    for (const [c, action] of [
      [a, 'reverse'],
      [b, 'waitlist'],
    ] as const) {
      const r = must(await s.call('cases.resolve', { caseId: c.caseId, action, supervisor: sup }));
      const outcome = action === 'waitlist' ? { ...noOutcome, waitlistEntryId: 'w-9', waitlistPosition: 1 } : noOutcome;
      await feed(
        resolved({
          caseId: c.caseId,
          saleId: c.saleId,
          registrantId: action === 'reverse' ? 'r2' : 'r3',
          sessionId: action === 'reverse' ? 'panel' : 'lab',
          resolution: action,
          resolutionId: r.case.request!.id,
          outcome,
        }),
      );
    }
    clock.advance(61 * min); // desk B's case is overdue by this station's clock

    const contacts = must(await s.call('reports.export', { report: 'contacts' }));
    expect(contacts.csv.charCodeAt(0)).toBe(0xfeff);
    expect(contacts.filename).toMatch(/^conf-1-contacts-\d{4}-\d{2}-\d{2}\.csv$/);
    const rows = parse(contacts.csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(
      rows.map((r) => [r.Registrant, r['First name'], r['Last name'], r.Email, r.Action, r.Refund, r['Sold at']]),
    ).toEqual([
      ['r2', 'Zoë', 'Łukasz', 'zoe@example.com', 'reverse', 'yes', 'station:desk-a'],
      ['r3', 'Søren', 'Ødegård', 'soren@example.com', 'waitlist', 'yes', 'station:desk-a'],
    ]);

    const report = must(await s.call('reports.export', { report: 'cases' }));
    const lines = parse(report.csv, { bom: true, columns: true }) as Record<string, string>[];
    const by = (per: string, key: string) => lines.find((l) => l.Per === per && l.Key === key)!;
    expect(by('session', 'panel')).toMatchObject({
      Name: 'Panel discussion',
      Cases: '2',
      Open: '1',
      Overdue: '1',
      Reversed: '1',
    });
    expect(by('session', 'lab')).toMatchObject({ Name: 'Hands-on lab', Cases: '1', Open: '0', Waitlisted: '1' });
    expect(by('station', 'station:desk-a')).toMatchObject({
      Name: 'desk-a',
      Cases: '2',
      Reversed: '1',
      Waitlisted: '1',
    });
    expect(by('station', 'station:desk-b')).toMatchObject({ Cases: '1', Open: '1' });
    expect(by('tier', 'override')).toMatchObject({ Name: 'supervisor override', Cases: '2' });
    expect(by('tier', 'overdraft')).toMatchObject({ Cases: '1' });
    expect(lines).toHaveLength(report.rows);

    // The command line writes the same bytes to a file.
    const io = { out: () => undefined, err: () => undefined };
    await s.close();
    // The operator acts as the supervisor, with their PIN (contact details are a supervisor's).
    expect(
      await runCli(['--db', dbPath(), '--staff', 'sup', 'export', 'contacts', '--out', `${t.dir}/x.csv`], io),
    ).toBe(1);
    expect(
      await runCli(
        ['--db', dbPath(), '--staff', 'sup', '--pin', '2468', 'export', 'contacts', '--out', `${t.dir}/contacts.csv`],
        io,
      ),
    ).toBe(0);
    const bytes = readFileSync(`${t.dir}/contacts.csv`);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Zoë,Łukasz');
    expect(
      await runCli(
        ['--db', dbPath(), '--staff', 'sup', '--pin', '2468', 'export', 'everything', '--out', `${t.dir}/x.csv`],
        io,
      ),
    ).toBe(2);
    s = await openStation(t.dir, { clock });
  });

  it('a name a spreadsheet would run as a formula is exported as text', async () => {
    const walkup = must(
      await s.call('registrant.registerWalkUp', {
        firstName: '=HYPERLINK("http://x")',
        lastName: 'Evil',
        ticketTypeId: 'full',
      }),
    );
    const { saleId, caseId } = await oversoldHere(walkup.id);
    const r = must(await s.call('cases.resolve', { caseId, action: 'reverse', supervisor: sup }));
    await feed(
      resolved({ caseId, saleId, registrantId: walkup.id, resolution: 'reverse', resolutionId: r.case.request!.id }),
    );
    const [row] = parse(must(await s.call('reports.export', { report: 'contacts' })).csv, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    expect(row!['First name']).toBe(`'=HYPERLINK("http://x")`);
  });
});

describe('command line', () => {
  it('resolve, waitlist and export call the same contract', async () => {
    const { caseId } = await oversoldHere('r2');
    await s.close();
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: () => undefined };
    const cli = async (...args: string[]) => {
      out.length = 0;
      // Acting as the supervisor (with the PIN: export needs a supervisor); resolve also names the one who decides.
      const code = await runCli(['--db', dbPath(), '--staff', 'sup', '--pin', '2468', ...args], io);
      return { code, json: JSON.parse(out.join('\n')) as Record<string, unknown> };
    };
    // A move sells under the desk's policy: this process has not heard from HQ since it started, so it may not.
    const move = await cli(
      'resolve',
      '--case',
      caseId,
      '--action',
      'move',
      '--to',
      'workshop',
      '--supervisor',
      'sup',
      '--pin',
      '2468',
    );
    expect(move).toMatchObject({
      code: 1,
      json: { error: { code: 'refused', details: { failed: [{ code: 'staleness_unknown' }] } } },
    });
    const r = await cli(
      'resolve',
      '--case',
      caseId,
      '--action',
      'reverse',
      '--supervisor',
      'sup',
      '--pin',
      '2468',
      '--note',
      'called her',
    );
    expect(r).toMatchObject({
      code: 0,
      json: { outcome: 'pending', case: { request: { action: 'reverse', note: 'called her', status: 'pending' } } },
    });
    expect(
      await cli('resolve', '--case', caseId, '--action', 'honor', '--supervisor', 'sup', '--pin', '2468'),
    ).toMatchObject({ code: 1, json: { error: { code: 'conflict' } } });
    expect(await cli('resolve', '--case', caseId, '--action', 'honor', '--supervisor', 'sup')).toMatchObject({
      code: 2,
    });
    expect(await cli('waitlist', '--session', 'panel')).toMatchObject({ code: 0, json: [] });
    expect(await cli('waitlist', '--session', 'ghost')).toMatchObject({
      code: 1,
      json: { error: { code: 'not_found' } },
    });
    expect(await cli('export', 'cases', '--out', `${t.dir}/cases.csv`)).toMatchObject({
      code: 0,
      json: { report: 'cases', rows: 3 },
    });
    s = await openStation(t.dir, { clock });
  });
});

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
