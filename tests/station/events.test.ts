/**
 * The station's one typed event stream (core/events.ts): every event a command or HQ's feed causes matches its
 * schema, and the stream is the station's own (closing it ends it; a late emit is a no-op, not a throw).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseStationEvent, type StationEvent } from '../../core/events';
import type { Station } from '../../main/station/create-station';
import { createStationEvents } from '../../main/station/events';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let seen: StationEvent[];
const desk = { transport: 'ipc', mode: 'desk', session: { staffId: 'sup', role: 'supervisor' } } as const;

beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir, { clock: new FakeClock() });
  seen = [];
  s.events$.subscribe((e) => seen.push(e));
  must(await s.call('conference.import', { data: smallConference() }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('station events', () => {
  it('a sale, HQ’s numbers and HQ’s verdict each say so, in the schema of their type', async () => {
    must(
      await s.call('feed.apply', {
        envelope: hq('Heartbeat', { hqTime: new Date(new FakeClock().now()).toISOString() }),
      }),
    );
    const out = must(await s.callAs(desk, 'sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    must(
      await s.call('feed.apply', {
        envelope: hq('SeatAvailability', {
          sessionId: 'panel',
          capacity: 10,
          sold: 2,
          allotted: 0,
          version: 5,
          salesRatePerMin: 0,
        }),
      }),
    );
    must(
      await s.call('feed.apply', {
        envelope: hq('SaleOversold', {
          saleId: out.sale!.id,
          sessionId: 'panel',
          station: 'station:desk-a',
          overBy: 1,
        }),
      }),
    );
    must(
      await s.call('feed.apply', {
        envelope: hq('OversellCaseOpened', {
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
        }),
      }),
    );

    const types = seen.map((e) => e.type);
    expect(types).toContain('progress');
    expect(types).toContain('hq.contact');
    expect(types).toContain('outbox.appended');
    expect(seen.filter((e) => e.type === 'availability.changed').map((e) => e.sessionIds)).toEqual([
      ['panel'],
      ['panel'],
    ]);
    expect(seen.find((e) => e.type === 'sale.decided')).toEqual({
      type: 'sale.decided',
      saleId: out.sale!.id,
      sessionId: 'panel',
      registrantId: 'r2',
      status: 'oversold',
    });
    expect(seen.find((e) => e.type === 'case.opened')).toMatchObject({
      caseId: 'case-1',
      saleId: out.sale!.id,
      sessionId: 'panel',
      registrantId: 'r2',
      overBy: 1,
    });
    // The person holds the seat: supervisors are told.
    expect(seen.find((e) => e.type === 'notification')).toMatchObject({
      kind: 'case.opened',
      audience: 'supervisors',
      caseId: 'case-1',
    });
    for (const e of seen) expect(parseStationEvent(JSON.parse(JSON.stringify(e))), JSON.stringify(e)).toEqual(e);
  });

  it('rejects events that do not match their schema', () => {
    expect(parseStationEvent({ type: 'sale.decided', saleId: 'x' })).toBeNull();
    expect(parseStationEvent({ type: 'toString' })).toBeNull();
    expect(parseStationEvent({ type: 'connectivity', state: 'online', reason: 'ok', extra: 1 })).toBeNull();
    expect(parseStationEvent('connectivity')).toBeNull();
    expect(parseStationEvent({ type: 'connectivity', state: 'online', reason: 'ok' })).toEqual({
      type: 'connectivity',
      state: 'online',
      reason: 'ok',
    });
  });

  it('the stream belongs to the station: close completes it, a later emit does nothing', () => {
    const ev = createStationEvents();
    const got: string[] = [];
    let completed = false;
    let cleaned = false;
    ev.events$.subscribe({ next: (e) => got.push(e.type), complete: () => (completed = true) });
    ev.onClose(() => (cleaned = true));
    ev.emit({ type: 'outbox.appended', lastSeq: 1 });
    ev.close();
    ev.emit({ type: 'outbox.appended', lastSeq: 2 });
    expect(got).toEqual(['outbox.appended']);
    expect(completed && cleaned).toBe(true);
  });
});

describe('staff sign-in (the handler; the shell keeps the session)', () => {
  it('signs in with the right PIN, counts a wrong one, and reports the session it is given', async () => {
    expect(must(await s.callAs({ ...desk, session: null }, 'staff.signIn', { staffId: 'sup', pin: '2468' }))).toEqual({
      staffId: 'sup',
      name: 'Sam',
      role: 'supervisor',
    });
    expect(await s.callAs({ ...desk, session: null }, 'staff.signIn', { staffId: 'sup', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', details: { attemptsLeft: 4 } },
    });
    expect(must(await s.callAs(desk, 'staff.session', {}))).toEqual({
      staffId: 'sup',
      name: 'Sam',
      role: 'supervisor',
    });
    expect(must(await s.callAs({ ...desk, session: null }, 'staff.session', {}))).toBeNull();
  });
});
