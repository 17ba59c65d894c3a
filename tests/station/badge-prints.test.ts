/**
 * A badge printed anywhere is printed (DESIGN §9): prints HQ relays from other stations stop a kiosk from printing
 * again, staff reprint with a reason (voiding the newest version known), and two stations that printed the same
 * version while apart are flagged to staff — never silently merged. The last test runs it through HQ for real.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import type { Station } from '../../main/station/create-station';
import { startWorld, until } from '../../tools/demo/world';
import { rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let events: StationEvent[];
const attendee = { transport: 'ws', mode: 'kiosk', session: null } as const;
const deskStaff = { transport: 'ws', mode: 'desk', session: { staffId: 'dee', role: 'desk' } } as const;
const printed = (
  registrantId: string,
  station: string,
  version = 1,
  at = '08:12',
  jobId = `job-${station}-${registrantId}-${version}`,
) =>
  hq('BadgePrintRecorded', {
    registrantId,
    badgeVersion: version,
    station: `station:${station}`,
    jobId,
    printedAt: dayAt(at),
  });

beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir, { clock: new FakeClock(), printers: [`folder:${t.dir}/prints`], mode: 'kiosk' });
  events = [];
  s.events$.subscribe((e) => events.push(e));
  must(await s.call('conference.import', { data: smallConference() }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
  must(
    await s.call('staff.add', {
      id: 'dee',
      name: 'Dee',
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

describe('prints elsewhere', () => {
  it('a badge printed at another station is not printed again by an attendee; staff reprint with a reason, voiding it', async () => {
    expect(must(await s.call('feed.apply', { envelope: printed('r2', 'kiosk-2') })).status).toBe('applied');
    expect(must(await s.call('registrant.get', { id: 'r2' })).lastPrint).toEqual({
      registrantId: 'r2',
      version: 1,
      station: 'station:kiosk-2',
      printedAt: dayAt('08:12'),
    });
    expect(await s.callAs(attendee, 'badge.print', { registrantId: 'r2' })).toMatchObject({
      ok: false,
      error: {
        code: 'conflict',
        details: { reason: 'already_printed', station: 'station:kiosk-2', printedAt: dayAt('08:12'), version: 1 },
      },
    });
    expect(await s.callAs(deskStaff, 'badge.print', { registrantId: 'r2' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const again = must(await s.callAs(deskStaff, 'badge.print', { registrantId: 'r2', reason: 'lost it' }));
    expect(again).toMatchObject({ status: 'printed', badgeVersion: 2 });
    const voided = rawAll<{ body: string }>(
      join(t.dir, 'desk-a.db'),
      `SELECT body FROM outbox WHERE type = 'BadgeVoided'`,
    ).map((r) => JSON.parse(r.body).payload);
    expect(voided).toEqual([{ registrantId: 'r2', badgeVersion: 1, reason: 'lost it' }]);
    // Its own print comes back from HQ: already known, nothing doubled.
    expect(must(await s.call('feed.apply', { envelope: printed('r2', 'desk-a', 2, '08:30', again.id) })).status).toBe(
      'ignored',
    );
    expect(must(await s.call('badge.duplicates', {}))).toEqual([]);
  });

  it('two stations that printed the same badge while apart are flagged to staff, until a reprint settles it', async () => {
    const mine = must(await s.callAs(attendee, 'badge.print', { registrantId: 'r3' }));
    expect(mine.status).toBe('printed');
    expect(must(await s.call('feed.apply', { envelope: printed('r3', 'kiosk-3', 1, '08:14') })).note).toBe(
      'printed twice: staff told',
    );
    const told = events.filter((e) => e.type === 'notification');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({
      kind: 'badge.printed_twice',
      audience: 'desk',
      registrantId: 'r3',
      params: {
        name: 'Søren Ødegård',
        firstStation: 'station:kiosk-3',
        firstAt: dayAt('08:14'),
        secondStation: 'station:desk-a',
      },
    });
    expect((told[0] as { message: string }).message).toContain('printed twice');
    const dups = must(await s.call('badge.duplicates', {}));
    expect(dups).toEqual([
      {
        registrantId: 'r3',
        name: 'Søren Ødegård',
        prints: [
          expect.objectContaining({ station: 'station:kiosk-3', version: 1, printedAt: dayAt('08:14') }),
          expect.objectContaining({ station: 'station:desk-a', version: 1 }),
        ],
      },
    ]);
    // The same print again (HQ redelivering under another message id): known, no second alert.
    expect(must(await s.call('feed.apply', { envelope: printed('r3', 'kiosk-3', 1, '08:14') })).status).toBe('ignored');
    expect(events.filter((e) => e.type === 'notification')).toHaveLength(1);
    must(await s.callAs(deskStaff, 'badge.print', { registrantId: 'r3', reason: 'printed twice at two kiosks' }));
    expect(must(await s.call('badge.duplicates', {}))).toEqual([]);
  });

  it('a print for someone this station does not know is recorded nowhere', async () => {
    expect(must(await s.call('feed.apply', { envelope: printed('ghost', 'kiosk-2') }))).toMatchObject({
      status: 'ignored',
      note: 'unknown registrant ghost',
    });
  });
});

describe('through HQ', () => {
  it('a badge printed at one station reaches the other as printed', async () => {
    const dir = tempDir();
    const conference = smallConference();
    const world = await startWorld({ dir: dir.dir, conference, stations: [{ id: 'kiosk-a' }, { id: 'kiosk-b' }] });
    try {
      const a = world.stations['kiosk-a']!.station;
      const b = world.stations['kiosk-b']!.station;
      must(await a.call('badge.print', { registrantId: 'r4', printer: `folder:${dir.dir}/prints-a` }));
      await until(
        async () => must(await b.call('registrant.get', { id: 'r4' })).lastPrint !== null,
        20_000,
        'the print to reach kiosk-b',
      );
      expect(must(await b.call('registrant.get', { id: 'r4' })).lastPrint).toMatchObject({
        station: 'station:kiosk-a',
        version: 1,
      });
      expect(
        await b.callAs(attendee, 'badge.print', { registrantId: 'r4', printer: `folder:${dir.dir}/prints-b` }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await b.call('badge.print', { registrantId: 'r4', printer: `folder:${dir.dir}/prints-b` })).toMatchObject({
        ok: false,
        error: { code: 'conflict', details: { reason: 'already_printed', station: 'station:kiosk-a' } },
      });
    } finally {
      await world.stop();
      dir.cleanup();
    }
  });
});

describe('a badge the attendee cannot print alone', () => {
  it('letters no font here can draw: the kiosk sends the attendee to a desk (nothing queued); staff print it', async () => {
    const t2 = tempDir();
    const conf = smallConference();
    conf.registrants.push({
      id: 'r9',
      confirmationCode: 'LDC-CHR999',
      firstName: 'ᎠᎡᎢ',
      lastName: 'Sequoyah',
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
    const k = await openStation(t2.dir, {
      clock: new FakeClock(),
      printers: [`folder:${t2.dir}/prints`],
      mode: 'kiosk',
    });
    try {
      must(await k.call('conference.import', { data: conf }));
      must(await k.call('staff.add', { id: 'dee', name: 'Dee', role: 'supervisor', pin: '1357' }));
      const preview = must(await k.callAs(attendee, 'badge.preview', { registrantId: 'r9' }));
      expect(preview.warnings).toEqual([expect.objectContaining({ code: 'missing_glyphs', script: 'Cherokee' })]);
      expect(await k.callAs(attendee, 'badge.print', { registrantId: 'r9' })).toMatchObject({
        ok: false,
        error: { code: 'conflict', details: { reason: 'needs_staff', warnings: ['missing_glyphs'] } },
      });
      expect(must(await k.call('print.jobs', {}))).toEqual([]);
      // Staff decide (they may add the font, or print it as it is after telling the person).
      expect(must(await k.callAs(deskStaff, 'badge.print', { registrantId: 'r9' })).status).toBe('printed');
    } finally {
      await k.close();
      t2.cleanup();
    }
  });
});
