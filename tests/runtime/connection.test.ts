/** One screen's line to the station: its staff session, kept by the shell, ended by sign-out or idleness. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../main/runtime/connection';
import type { Station } from '../../main/station/create-station';
import { rawAll } from '../support/db-snapshot';
import { dayAt, FakeClock, hq, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
beforeEach(async () => {
  t = tempDir();
  s = await openStation(t.dir, { clock: new FakeClock() });
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
  must(await s.call('feed.apply', { envelope: hq('Heartbeat', { hqTime: dayAt('08:45') }) }));
});
afterEach(async () => {
  await s.close();
  t.cleanup();
});

describe('staff sessions per connection', () => {
  it('the session signed in is the actor; another connection stays signed out', async () => {
    let now = 0;
    const a = openConnection(s, { transport: 'ws', mode: 'desk', idleMs: 15 * 60_000, now: () => now });
    const b = openConnection(s, { transport: 'ws', mode: 'desk', idleMs: 15 * 60_000, now: () => now });
    expect(await a.call('staff.signIn', { staffId: 'dee', pin: '1357' })).toMatchObject({ ok: true });
    expect(a.session()).toEqual({ staffId: 'dee', role: 'desk' });
    expect(b.session()).toBeNull();
    expect(await b.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(await a.call('sale.sell', { sessionId: 'panel', registrantId: 'r2' })).toMatchObject({
      ok: true,
      value: { outcome: 'proceed' },
    });
    expect(rawAll(`${t.dir}/desk-a.db`, `SELECT actor FROM audit_log WHERE action = 'sale.sell'`)).toEqual([
      { actor: 'dee' },
    ]);
    // A desk member may not do a supervisor's work, whatever the page asks.
    expect(await a.call('audit.verify', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    now += 60_000;
    expect(await a.call('staff.session', {})).toMatchObject({ ok: true, value: { staffId: 'dee' } });
  });

  it('ends after the idle time, and on sign-out; a wrong PIN signs nobody in', async () => {
    let now = 0;
    const a = openConnection(s, { transport: 'ipc', mode: 'desk', idleMs: 15 * 60_000, now: () => now });
    expect(await a.call('staff.signIn', { staffId: 'sup', pin: '0000' })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    expect(a.session()).toBeNull();
    must((await a.call('staff.signIn', { staffId: 'sup', pin: '2468' })) as never);
    now += 14 * 60_000;
    expect(a.session()).not.toBeNull(); // used 14 min ago: still signed in
    expect(await a.call('sessions.list', {})).toMatchObject({ ok: true });
    now += 14 * 60_000; // 14 min since that use
    expect(a.session()).not.toBeNull();
    now += 2 * 60_000; // 16 min idle
    expect(a.session()).toBeNull();
    expect(await a.call('staff.session', {})).toEqual({ ok: true, value: null });
    must((await a.call('staff.signIn', { staffId: 'sup', pin: '2468' })) as never);
    expect(await a.call('staff.signOut', {})).toEqual({ ok: true, value: null });
    expect(a.session()).toBeNull();
  });
});
