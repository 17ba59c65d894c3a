/**
 * The station in its own process (main/runtime/host.ts): a real forked child, driven through the same messages the
 * desktop app's utilityProcess uses. Calls and events cross the pipe; a stop is bounded; a dead host answers
 * every waiting call with an error instead of leaving it hanging.
 */
import { join } from 'node:path';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationEvent } from '../../core/events';
import { embeddedConfig } from '../../main/runtime/config';
import { openConnection } from '../../main/runtime/connection';
import { connectHost, forkNodeHost, type HostedStation, type HostLink } from '../../main/runtime/remote';
import { tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let host: HostedStation | null = null;
afterEach(async () => {
  await host?.stop();
  host = null;
  t?.cleanup();
});

describe('the station host process', () => {
  it('answers calls as the caller the shell names, pushes events, and stops when told', async () => {
    t = tempDir();
    host = await connectHost(
      forkNodeHost(),
      embeddedConfig(join(t.dir, 'data'), { mode: 'desk', stationId: 'desk-h' }),
      { healthPollMs: 0 },
    );
    expect(host.settings).toMatchObject({ stationId: 'desk-h', mode: 'desk' });
    const desk = openConnection(host, { transport: 'ws', mode: 'desk', idleMs: 60_000 });
    expect(await desk.call('registrant.search', { query: 'dimitris papadopoulos' })).toMatchObject({
      ok: true,
      value: expect.arrayContaining([expect.objectContaining({ id: 'r-00002' })]),
    });
    // Nobody signed in: a sale is refused before its payload is even looked at.
    expect(
      await desk.call('sale.sell', { sessionId: 's-d2-talk-rate-limiting', registrantId: 'r-00002' }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    // The demo's supervisor, signed in at a supervisor's screen, adds staff without typing a PIN again.
    const boss = openConnection(host, { transport: 'ws', mode: 'supervisor', idleMs: 60_000 });
    expect(await boss.call('staff.add', { id: 'tess', name: 'Tess', role: 'desk', pin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await boss.call('staff.signIn', { staffId: 'sam', pin: '2468' })).toMatchObject({ ok: true });
    expect(await boss.call('staff.add', { id: 'tess', name: 'Tess', role: 'desk', pin: '1111' })).toMatchObject({
      ok: true,
      value: { id: 'tess', role: 'desk' },
    });
    expect(await desk.call('staff.signIn', { staffId: 'sam', pin: '2468' })).toMatchObject({
      ok: true,
      value: { staffId: 'sam', role: 'supervisor' },
    });
    const changed = firstValueFrom(
      host.events$.pipe(
        filter((e): e is Extract<StationEvent, { type: 'availability.changed' }> => e.type === 'availability.changed'),
        timeout(10_000),
      ),
    );
    // A day-2 session: the demo's day 1 is today, and a session that has ended sells to nobody, whatever the hour the test runs.
    const sold = await desk.call('sale.sell', {
      sessionId: 's-d2-talk-rate-limiting',
      registrantId: 'r-00002',
      override: { supervisorId: 'sam', pin: '2468' },
    });
    expect(sold).toMatchObject({ ok: true, value: { outcome: 'proceed', why: 'override' } });
    expect((await changed).sessionIds).toEqual(['s-d2-talk-rate-limiting']);
    // An unknown channel and a hostile payload are values, not crashes.
    expect(await desk.call('__proto__', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await desk.call('registrant.get', { id: { toString: 1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });

    const t0 = Date.now();
    await host.stop();
    expect(await host.exited).toBe('exit code 0');
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(await desk.call('station.status', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
    host = null;
  });

  it('a host that dies answers every waiting call with an error', async () => {
    t = tempDir();
    const real = forkNodeHost();
    // The host gets this call but dies before it answers (its calls are held back from it here, so the test does
    // not race the child): the caller must get an error, not wait forever.
    let holdCalls = false;
    const link: HostLink = { ...real, send: (m) => (holdCalls && m.t === 'call' ? undefined : real.send(m)) };
    host = await connectHost(link, embeddedConfig(join(t.dir, 'data')), { healthPollMs: 0 });
    holdCalls = true;
    const waiting = host.callUnknown({ transport: 'internal', mode: 'desk', session: null }, 'station.status', {});
    real.kill();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await host.exited).toBe('killed by SIGKILL');
    host = null;
  });

  it('a configuration that cannot start is reported, and the process exits', async () => {
    t = tempDir();
    const config = { ...embeddedConfig(join(t.dir, 'data')), demo: false, conferenceFile: join(t.dir, 'missing.json') };
    await expect(connectHost(forkNodeHost(), config, { healthPollMs: 0 })).rejects.toThrow('does not exist');
  });
});
