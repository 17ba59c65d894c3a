/**
 * Nobody acts as somebody who is not there: the actor is the caller's signed-in staff member — a request cannot name
 * one — who must exist on the station (and hold the role the action needs); otherwise the command is refused with a
 * typed error and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, contract, type Channel } from '../../core/api';
import type { Caller } from '../../core/access';
import type { Station } from '../../main/station/create-station';
import { requireActor } from '../../main/station/context';
import { dbDigest, rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

const as = (staffId: string, role: 'desk' | 'supervisor' = 'desk'): Caller => ({
  transport: 'ipc',
  mode: 'desk',
  session: { staffId, role },
});

let t: ReturnType<typeof tempDir>;
let s: Station;
let saleId: string;
let jobId: string;
const dbPath = () => `${t.dir}/desk-a.db`;

beforeAll(async () => {
  t = tempDir();
  s = await openStation(t.dir, { clock: new FakeClock(), printing: { healthPollMs: 0 } });
  must(await s.call('conference.import', { data: smallConference() }));
  must(await s.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
  must(
    await s.call('staff.add', {
      id: 'dee',
      name: 'Dee Desk',
      role: 'desk',
      pin: '1357',
      by: { supervisorId: 'sup', pin: '2468' },
    }),
  );
  must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: dayAt('08:45') }) }));
  saleId = must(await s.callAs(as('dee'), 'sale.sell', { sessionId: 'panel', registrantId: 'r3' })).sale!.id;
  // A finished print job to reprint (nothing listens on port 9: it fails at once).
  jobId = must(
    await s.callAs({ ...as('dee'), transport: 'cli' }, 'badge.print', {
      registrantId: 'r4',
      printer: 'tcp://127.0.0.1:9',
    }),
  ).id;
  expect(must(await s.call('print.jobs', { registrantId: 'r4' }))[0]!.status).toBe('failed');
});
afterAll(async () => {
  await s.close();
  t.cleanup();
});

/** Channels that record who did it, each with a request that would otherwise go through. */
const withActor: Partial<Record<Channel, Record<string, unknown>>> = {
  'registrant.registerWalkUp': { firstName: 'Pat', lastName: 'Newcomer', ticketTypeId: 'full' },
  'sale.sell': { sessionId: 'panel', registrantId: 'r2' },
  'registration.upgrade': { sessionId: 'panel', registrantId: 'r2' },
  'sale.release': { saleId: '(the sale)', reason: 'changed their mind' },
  'checkin.record': { registrantId: 'r2', sessionId: null },
  'sync.setWorkOffline': { on: true },
  'badge.print': { registrantId: 'r2', printer: 'tcp://127.0.0.1:9', wait: false },
  'print.confirm': { jobId: 'no-such-job', printed: true },
  'print.reprint': { jobId: '(the job)', reason: 'lost badge', wait: false },
};
const request = (c: Channel) => ({
  ...withActor[c],
  ...(c === 'sale.release' ? { saleId } : {}),
  ...(c === 'print.reprint' ? { jobId } : {}),
});
// The test's printer is not one of the station's: name it as the operator's command line may.
const callerFor = (c: Channel, staffId: string): Caller =>
  c === 'badge.print' || c === 'print.reprint' ? { ...as(staffId), transport: 'cli' } : as(staffId);

describe('the actor is the signed-in staff member, who must exist', () => {
  it('no request can name its actor (only PIN checks name a staff id)', () => {
    const taking = channels.filter((c) =>
      Object.hasOwn((contract[c].request as unknown as { shape?: object }).shape ?? {}, 'staffId'),
    );
    expect(taking.sort()).toEqual(['staff.signIn', 'staff.verify']);
    for (const channel of Object.keys(withActor) as Channel[])
      expect(contract[channel].request.safeParse({ ...request(channel), staffId: 'dee' }).success, channel).toBe(false);
  });

  for (const channel of Object.keys(withActor) as Channel[]) {
    it(`${channel}: a session for "nobody-real" is refused, nothing written`, async () => {
      const before = dbDigest(dbPath());
      const r = await s.callUnknown(callerFor(channel, 'nobody-real'), channel, request(channel));
      expect(r).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', message: expect.stringContaining('No staff member "nobody-real"') },
      });
      expect(dbDigest(dbPath())).toBe(before);
    });
  }

  it('a real staff member is recorded as the actor', async () => {
    must(await s.callAs(as('dee'), 'sale.sell', { sessionId: 'panel', registrantId: 'r2' }));
    must(
      await s.callAs(as('sup', 'supervisor'), 'registrant.registerWalkUp', {
        firstName: 'Wal',
        lastName: 'Kup',
        ticketTypeId: 'full',
      }),
    );
    const actors = rawAll<{ actor: string; action: string }>(
      dbPath(),
      `SELECT actor, action FROM audit_log WHERE action IN ('sale.sell', 'registrant.registerWalkUp') ORDER BY seq`,
    );
    expect(actors).toEqual([
      { actor: 'dee', action: 'sale.sell' },
      { actor: 'dee', action: 'sale.sell' },
      { actor: 'sup', action: 'registrant.registerWalkUp' },
    ]);
    expect(rawAll<{ actor: string }>(dbPath(), `SELECT actor FROM audit_log`).map((r) => r.actor)).not.toContain(
      'nobody-real',
    );
  });

  it('where an action needs a role, the actor must hold it', async () => {
    // The staff as this station's database holds them.
    const find = (id: string) =>
      rawAll<{ id: string; name: string; role: string }>(dbPath(), 'SELECT * FROM staff WHERE id = ?', id)[0];
    expect(requireActor(find, 'sup', 'desk', 'supervisor')).toBe('sup');
    expect(() => requireActor(find, 'dee', 'desk', 'supervisor')).toThrow(
      expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('Dee Desk is not a supervisor') }),
    );
    expect(() => requireActor(find, 'gone', 'desk')).toThrow(expect.objectContaining({ code: 'unauthorized' }));
    expect(() => requireActor(find, undefined, 'desk', 'supervisor')).toThrow(
      expect.objectContaining({ code: 'forbidden' }),
    );
    expect(requireActor(find, undefined, 'kiosk')).toBe('kiosk');
  });
});
