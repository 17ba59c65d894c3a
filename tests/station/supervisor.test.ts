/**
 * The supervisor console's contract entries at the station level (issue 14): the availability board, the sync
 * details, setup and the connection test against the real emulator, a new PIN, the CSV mapping preview, voided badges.
 */
import { BehaviorSubject } from 'rxjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/conference';
import type { Station } from '../../main/station/create-station';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { VirtualPrinter } from '../../tools/virtual-printer/virtual-printer';
import { startBus, waitFor } from '../support/bus';
import { dbDigest } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

const sup = { supervisorId: 'sup', pin: '2468' };
const min = 60_000;

describe('without a bus', () => {
  let t: ReturnType<typeof tempDir>;
  let s: Station;
  let clock: FakeClock;
  const feed = async (e: ReturnType<typeof hq>) => must(await s.call('feed.apply', { envelope: e }));

  beforeEach(async () => {
    t = tempDir();
    clock = new FakeClock();
    s = await openStation(t.dir, { clock, policyOverrides: { overdraftCap: 4 } });
    must(
      await s.call('conference.import', {
        data: {
          ...smallConference(),
          conference: { ...smallConference().conference, policy: { maxStalenessMin: 30 } },
        },
      }),
    );
    must(await s.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
    must(await s.call('staff.add', { id: 'dee', name: 'Dee', role: 'desk', pin: '1111', by: sup }));
  });
  afterEach(async () => {
    await s.close();
    t.cleanup();
  });

  it('the board shows every session as HQ last counted it, its age, the seats held here, how far over, and the verdict', async () => {
    await feed(hq('Heartbeat', { hqTime: dayAt('08:40') }, { at: dayAt('08:40') }));
    await feed(
      hq(
        'SeatAvailability',
        { sessionId: 'panel', capacity: 10, sold: 12, allotted: 0, version: 5, salesRatePerMin: 0 },
        { at: dayAt('08:40') },
      ),
    );
    await feed(
      hq(
        'SeatAvailability',
        { sessionId: 'workshop', capacity: 100, sold: 40, allotted: 20, version: 5, salesRatePerMin: 0.5 },
        { at: dayAt('08:40') },
      ),
    );
    await feed(
      hq('AllotmentGranted', {
        allotmentId: 'a1',
        requestId: null,
        station: 'station:desk-a',
        sessionId: 'workshop',
        seats: 6,
      }),
    );
    clock.advance(5 * min); // 08:50

    const board = must(await s.call('sessions.board', {}));
    expect(board.at).toBe(dayAt('08:50').replace('Z', '.000Z'));
    // Soonest first while all are upcoming.
    expect(board.sessions.map((x) => x.id)).toEqual(['keynote', 'workshop', 'panel']);
    const [keynote, workshop, panel] = board.sessions;
    expect(keynote).toMatchObject({ sellable: false, verdict: null, phase: 'upcoming' });
    expect(workshop).toMatchObject({
      capacity: 100,
      sold: 40,
      allotted: 20,
      heldHere: 6,
      free: 40,
      over: 0,
      ageMin: 10,
      hqTime: expect.stringContaining('T08:40'),
    });
    // Offline with seats in hand: the allotment tier.
    expect(workshop!.verdict).toMatchObject({ allowed: true, tier: 'allotment', state: 'may' });
    expect(panel).toMatchObject({ sold: 12, over: 2, free: 0, heldHere: 0 });
    expect(panel!.verdict).toMatchObject({ allowed: false, tier: null, state: 'may_not' });
    expect(panel!.verdict!.failed.length).toBeGreaterThan(0);
    // The board agrees with what a sale would be told.
    const preview = must(await s.call('sale.preview', { sessionId: 'panel' }));
    expect(panel!.verdict!.failed).toEqual(preview.failed);

    // At 09:30 the keynote runs: upcoming sessions come first, then running ones.
    clock.advance(40 * min);
    expect(must(await s.call('sessions.board', {})).sessions.map((x) => [x.id, x.phase])).toEqual([
      ['workshop', 'upcoming'],
      ['panel', 'upcoming'],
      ['keynote', 'running'],
    ]);
  });

  it('sync details without sync: no history, quarantined messages with their reasons, allotments in hand', async () => {
    await feed(
      hq('AllotmentGranted', {
        allotmentId: 'a1',
        requestId: null,
        station: 'station:desk-a',
        sessionId: 'workshop',
        seats: 3,
      }),
    );
    await s.quarantineFeedMessage('{"not":"an envelope"}', 'not an envelope: type is missing', 'm-bad');
    const d = must(await s.call('sync.details', {}));
    expect(d.status.configured).toBe(false);
    expect(d.history.spans).toEqual([]);
    expect(d.drain).toBeNull();
    expect(d.quarantined).toEqual([
      { id: 'quarantine:m-bad', reason: 'not an envelope: type is missing', receivedAt: expect.any(String) },
    ]);
    expect(d.allotments).toEqual([
      expect.objectContaining({
        allotmentId: 'a1',
        sessionId: 'workshop',
        title: 'Workshop',
        seats: 3,
        used: 0,
        remaining: 3,
      }),
    ]);
  });

  it('settings show where each policy value comes from; without sync the connection is not configured', async () => {
    const setup = must(await s.call('settings.get', {}));
    expect(setup).toMatchObject({ stationId: 'desk-a', mode: 'desk', connection: { configured: false, masked: null } });
    const by = Object.fromEntries(setup.policy.map((p) => [p.name, p]));
    expect(by.maxStalenessMin).toMatchObject({
      value: 30,
      source: 'conference',
      conference: 30,
      station: null,
      defaultValue: defaultPolicy.maxStalenessMin,
    });
    expect(by.overdraftCap).toMatchObject({ value: 4, source: 'station', station: 4 });
    expect(by.alpha).toMatchObject({ value: defaultPolicy.alpha, source: 'default' });
    expect(setup.policy.map((p) => p.name).sort()).toEqual(Object.keys(defaultPolicy).sort());
  });

  it('a supervisor sets a new PIN (lifting a lockout): the old one stops working, the new one signs in, the audit log says who', async () => {
    for (let i = 0; i < 5; i++) await s.call('staff.verify', { staffId: 'dee', pin: '9999' });
    expect(await s.call('staff.verify', { staffId: 'dee', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'locked_out' },
    });
    // A desk member's PIN as authority is refused, and nothing changes.
    const before = dbDigest(`${t.dir}/desk-a.db`);
    expect(
      await s.call('staff.setPin', { id: 'dee', pin: '4321', by: { supervisorId: 'dee', pin: '1111' } }),
    ).toMatchObject({ ok: false });
    expect(dbDigest(`${t.dir}/desk-a.db`)).toBe(before);

    expect(must(await s.call('staff.setPin', { id: 'dee', pin: '4321', by: sup }))).toEqual({
      id: 'dee',
      name: 'Dee',
      role: 'desk',
      lockedUntil: null,
    });
    expect(await s.call('staff.verify', { staffId: 'dee', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(must(await s.call('staff.verify', { staffId: 'dee', pin: '4321' }))).toMatchObject({ id: 'dee' });
    expect(must(await s.call('audit.verify', {})).ok).toBe(true);
  });

  it('the CSV preview guesses the mapping, names what is missing, checks the first rows and writes nothing', async () => {
    const csv = [
      'Booking Ref,Given Name,Surname,E-mail,Pass Type,Notes',
      'LDC-AAA111,José,Ñúñez,jose@example.com,full,returning',
      'NEW-001,Maria,Santos,maria@example.com,full,',
      'NEW-002,Broken,Row,broken@example.com,platinum,',
      'NEW-003,Short,Row',
      ...Array.from({ length: 40 }, (_, i) => `NEW-${100 + i},A,B,a${i}@example.com,full,`),
    ].join('\n');
    const before = dbDigest(`${t.dir}/desk-a.db`);
    const p = must(await s.call('registrants.previewCsv', { csv, rows: 4 }));
    expect(p.headers).toEqual(['Booking Ref', 'Given Name', 'Surname', 'E-mail', 'Pass Type', 'Notes']);
    expect(p.mapping).toEqual({
      confirmationCode: 'Booking Ref',
      firstName: 'Given Name',
      lastName: 'Surname',
      email: 'E-mail',
      ticketTypeId: 'Pass Type',
    });
    expect(p.missing).toEqual([]);
    expect(p.problems).toEqual([]);
    expect(p.rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
    expect(p.checks.map((c) => [c.line, c.outcome])).toEqual([
      [2, 'update'],
      [3, 'insert'],
      [4, 'reject'],
      [5, 'reject'],
    ]);
    expect(p.checks[2]!.reason).toMatch(/platinum/);
    expect(p.checks[3]!.reason).toMatch(/3 fields; the header has 6/);

    // A mapping without a confirmation code and without a ticket type (nor a default) names both as missing.
    const partial = must(await s.call('registrants.previewCsv', { csv, mapping: { firstName: 'Given Name' } }));
    expect(partial.missing).toEqual(['confirmationCode', 'ticketTypeId']);
    expect(partial.checks).toEqual([]);
    expect(
      must(
        await s.call('registrants.previewCsv', {
          csv,
          mapping: { confirmationCode: 'Booking Ref' },
          defaults: { ticketTypeId: 'full' },
        }),
      ).missing,
    ).toEqual([]);
    // A mapped column that is not in the file is a problem with the file as a whole.
    expect(
      must(await s.call('registrants.previewCsv', { csv, mapping: { confirmationCode: 'Code' } })).problems,
    ).toEqual(['These mapped columns are not in the CSV: confirmationCode → "Code".']);
    expect(must(await s.call('registrants.previewCsv', { csv: 'a,a\n1,2' })).problems).toEqual([
      'The CSV header names "a" twice; which one is meant?',
    ]);
    expect(dbDigest(`${t.dir}/desk-a.db`)).toBe(before);
  });

  describe('badges that no longer open doors', () => {
    let vp: VirtualPrinter;
    beforeAll(async () => {
      vp = new VirtualPrinter({ outDir: null });
      await vp.start();
    });
    afterAll(async () => {
      await vp.stop();
    });

    it('a badge HQ revoked is listed with the person and the reason, newest first', async () => {
      must(
        await s.call('badge.print', { registrantId: 'r2', printer: vp.uri('connectMs=500&statusMs=400&writeMs=1500') }),
      );
      await vp.settled();
      expect(must(await s.call('badge.voids', {}))).toEqual([]);
      clock.advance(min);
      await feed(hq('BadgeRevoked', { registrantId: 'r2', badgeVersion: 1, reason: 'oversold seat: reverse' }));
      expect(must(await s.call('badge.voids', {}))).toEqual([
        {
          registrantId: 'r2',
          name: 'Zoë Łukasz',
          version: 1,
          voidedAt: new Date(clock.now()).toISOString(),
          reason: 'oversold seat: reverse',
        },
      ]);
    });
  });
});

describe('with the emulator', () => {
  let t: ReturnType<typeof tempDir>;
  let bus: RunningEmulator;
  let s: Station;
  const osOnline$ = new BehaviorSubject(true);

  beforeAll(async () => {
    t = tempDir();
    bus = await startBus(['desk-a']);
    s = await openStation(t.dir, {
      sync: { connectionString: bus.connectionString, retry: { initialMs: 50, maxMs: 500 } },
      osOnline$,
    });
    must(await s.call('conference.import', { data: smallConference() }));
    must(await s.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
  });
  afterAll(async () => {
    await s.close();
    await bus.stop();
    t.cleanup();
  });

  it('settings show the connection masked; the test tries send and listen and words a refusal without the secret', async () => {
    const key = /SharedAccessKey=([^;]+)/.exec(bus.connectionString)![1]!;
    const setup = must(await s.call('settings.get', {}));
    expect(setup.connection).toMatchObject({
      configured: true,
      keyName: expect.any(String),
      endpoint: expect.stringMatching(/^sb:\/\//),
    });
    expect(setup.connection.masked).toContain('SharedAccessKey=***');
    expect(JSON.stringify(setup)).not.toContain(key);

    const good = must(await s.call('settings.testConnection', { connectionString: bus.connectionString }));
    expect(good.ok).toBe(true);
    expect(good.steps.map((x) => [x.step, x.ok])).toEqual([
      ['read', true],
      ['send', true],
      ['listen', true],
    ]);

    const wrongKey = bus.connectionString.replace(key, 'not-the-key');
    const bad = must(await s.call('settings.testConnection', { connectionString: wrongKey }));
    expect(bad.ok).toBe(false);
    expect(bad.steps.at(-1)).toMatchObject({ step: 'send', ok: false });
    expect(bad.steps.at(-1)!.words).toMatch(/refused|Could not|No answer/);
    expect(JSON.stringify(bad)).not.toContain('not-the-key');

    const garbage = must(await s.call('settings.testConnection', { connectionString: 'Endpoint=http://x' }));
    expect(garbage).toMatchObject({
      ok: false,
      endpoint: null,
      steps: [{ step: 'read', ok: false, words: expect.stringMatching(/sb:\/\//) }],
    });
  });

  it('the link history shows working offline, and the backlog that waited drains to the end', async () => {
    // Without an HQ heartbeat the feed is not current: connected reads 'degraded'.
    const linked = (state: string) => state === 'online' || state === 'degraded';
    await waitFor(() => s.call('sync.status', {}).then((r) => r.ok && linked(r.value.state)), 15_000, 'connected');
    must(await s.call('sync.setWorkOffline', { on: true }));
    for (const r of ['r1', 'r2', 'r3', 'r4']) must(await s.call('checkin.record', { registrantId: r }));
    const waiting = must(await s.call('sync.status', {})).outbox.depth;
    expect(waiting).toBeGreaterThan(0);
    must(await s.call('sync.setWorkOffline', { on: false }));
    await waitFor(
      () =>
        s
          .call('sync.details', {})
          .then((r) => r.ok && r.value.drain !== null && r.value.drain.sent === r.value.drain.total),
      15_000,
      'drained',
    );
    const d = must(await s.call('sync.details', {}));
    expect(d.drain!.total).toBeGreaterThanOrEqual(waiting);
    const states = d.history.spans.map((x) => x.state);
    expect(states).toContain('offline');
    expect(linked(states.at(-1)!)).toBe(true);
    expect(states.lastIndexOf('offline')).toBeLessThan(states.length - 1);
  });
});
