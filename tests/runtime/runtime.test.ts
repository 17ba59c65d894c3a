/**
 * The station runtime: the embedded default (no file: demo conference moved to today, PNG badges in a folder) and
 * a configured station syncing with a real HQ over the emulator, each started and stopped cleanly.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { firstValueFrom, filter, timeout } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { localDay } from '../../core/calendar';
import { embeddedConfig, parseRuntimeConfig } from '../../main/runtime/config';
import { openConnection } from '../../main/runtime/connection';
import { startRuntime, type Runtime } from '../../main/runtime/runtime';
import { demoConference, must, tempDir } from '../support/fixtures';
import { startInstallation, type Installation } from '../support/installation';
import { waitFor } from '../support/bus';

let t: ReturnType<typeof tempDir>;
let runtime: Runtime | null = null;
let inst: Installation | null = null;
afterEach(async () => {
  await runtime?.stop();
  runtime = null;
  await inst?.stop();
  inst = null;
  t?.cleanup();
});

describe('the embedded default', () => {
  it('loads the demo on first run (day 1 = the venue’s today), prints PNG badges to a folder, and reopens without importing again', async () => {
    t = tempDir();
    const lines: string[] = [];
    const before = localDay(Date.now(), 'Europe/Lisbon');
    runtime = await startRuntime(embeddedConfig(t.dir, { mode: 'kiosk', stationId: 'kiosk-1' }), {
      log: (l) => lines.push(l),
      healthPollMs: 0,
    });
    const status = must(await runtime.station.call('station.status', {}));
    expect([before, localDay(Date.now(), 'Europe/Lisbon')]).toContain(status.conference?.startsOn);
    expect(status.counts.registrants).toBe(2000);
    expect(lines.join('\n')).toContain('Loaded the demo conference: 40 sessions, 2000 registrants');
    // The demo comes with staff, so its screens can be tried at once.
    expect(lines.join('\n')).toContain(
      'Demo staff: Sam Supervisor (supervisor, PIN 2468) and Dee Desk (desk, PIN 1357).',
    );
    expect(must(await runtime.station.call('staff.list', {})).map((s) => [s.id, s.role])).toEqual([
      ['dee', 'desk'],
      ['sam', 'supervisor'],
    ]);
    expect(must(await runtime.station.call('station.settings', {}))).toEqual({
      stationId: 'kiosk-1',
      mode: 'kiosk',
      printers: [`folder:${t.dir}/prints`],
      kioskIdleSec: 60,
      staffIdleMin: 15,
    });

    // An attendee at the kiosk prints their own badge: the PNG lands in the folder and its QR verifies.
    const kiosk = openConnection(runtime.station, { transport: 'ws', mode: 'kiosk', idleMs: 60_000 });
    const job = await kiosk.call('badge.print', { registrantId: 'r-00002' });
    expect(job).toMatchObject({ ok: true, value: { status: 'printed', registrantId: 'r-00002', badgeVersion: 1 } });
    const files = readdirSync(join(t.dir, 'prints')).filter((f) => f.endsWith('.png'));
    expect(files).toHaveLength(1);
    const png = PNG.sync.read(readFileSync(join(t.dir, 'prints', files[0]!)));
    const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(qr).not.toBeNull();
    expect(must(await runtime.station.call('badge.verify', { code: qr!.data }))).toMatchObject({
      valid: true,
      registrantId: 'r-00002',
      name: 'Dimitris Papadopoulos',
    });
    // ...and cannot print a second one: staff do that at a desk, with a reason.
    expect(await kiosk.call('badge.print', { registrantId: 'r-00002' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', details: { reason: 'already_printed', station: 'station:kiosk-1' } },
    });
    expect(readdirSync(join(t.dir, 'prints')).filter((f) => f.endsWith('.png'))).toHaveLength(1);

    await runtime.stop();
    lines.length = 0;
    runtime = await startRuntime(embeddedConfig(t.dir, { mode: 'kiosk', stationId: 'kiosk-1' }), {
      log: (l) => lines.push(l),
      healthPollMs: 0,
    });
    expect(lines.join('\n')).not.toContain('Loaded the demo conference');
    expect(must(await runtime.station.call('station.status', {})).counts.registrants).toBe(2000);
  });

  it('refuses to start on another station’s data folder, saying whose it is', async () => {
    t = tempDir();
    runtime = await startRuntime(embeddedConfig(t.dir), { healthPollMs: 0 });
    await runtime.stop();
    runtime = null;
    await expect(startRuntime(embeddedConfig(t.dir, { stationId: 'kiosk-9' }), { healthPollMs: 0 })).rejects.toThrow(
      'This database belongs to station "desk-1", not "kiosk-9"',
    );
  });
});

describe('a configured station with HQ', () => {
  it('runs sync and the allotment keeper from its configuration, reports connectivity, and stops cleanly', async () => {
    t = tempDir();
    const conference = demoConference();
    inst = await startInstallation({ dir: join(t.dir, 'hq'), conference, stations: ['desk-r'] });
    writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(conference));
    const parsed = parseRuntimeConfig(
      {
        stationId: 'desk-r',
        mode: 'desk',
        dataDir: 'desk-r',
        conferenceFile: 'conference.json',
        sync: inst.syncFor('desk-r', {
          keepSeatsInHand: 1,
          allotmentKeeper: { sessions: ['s-d1-talk-qr-codes'], checkEveryMs: 200, requestTimeoutMs: 3000 },
        }),
        policy: { maxStalenessMin: 30 },
      },
      { baseDir: t.dir, defaultDataDir: t.dir },
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    runtime = await startRuntime(parsed.config, { healthPollMs: 0 });
    const online = firstValueFrom(
      runtime.station.events$.pipe(
        filter((e) => e.type === 'connectivity' && e.state === 'online'),
        timeout(20_000),
      ),
    );
    await online;
    const station = runtime.station;
    await waitFor(
      async () =>
        must(await station.call('sessions.list', {})).find((s) => s.id === 's-d1-talk-qr-codes')!.availability
          .allotmentRemaining >= 1,
      20_000,
      'an allotment seat in hand',
    );
    // The station's policy override is applied (a session's own setting would still win).
    const preview = must(await station.call('sale.preview', { sessionId: 's-d1-workshop-react-perf' }));
    expect(preview.basis.maxStalenessMin).toBe(30);
    const t0 = Date.now();
    await runtime.stop();
    runtime = null;
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
