/**
 * Logs (issue 16): a full day in miniature — a desk and HQ through the emulator, a PIN login (and a wrong PIN), a
 * walk-up registration, a sale, a badge print — leaves structured log files in the station's data folder and
 * beside HQ's database, and none of them holds the connection string's key, a PIN, a name or an email address;
 * nor does the support bundle taken from the desk's screen, which has what support needs.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { strFromU8, unzipSync } from 'fflate';
import type { RegistrantDetail, SaleOutcome, SupportBundle } from '../../core/api';
import type { PrintJobView } from '../../core/badge/views';
import { LogConfig } from '../../core/logging';
import { parseRuntimeConfig } from '../../main/runtime/config';
import { openConnection } from '../../main/runtime/connection';
import { openLogFile } from '../../main/runtime/log';
import { startRuntime, type Runtime } from '../../main/runtime/runtime';
import { startInstallation, type Installation } from '../support/installation';
import { waitFor } from '../support/bus';
import { must, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir> | null = null;
let inst: Installation | null = null;
let runtime: Runtime | null = null;
afterEach(async () => {
  await runtime?.stop();
  runtime = null;
  await inst?.stop();
  inst = null;
  t?.cleanup();
  t = null;
});

const personalData = [
  'Quentin',
  'Quasimodo',
  'quentin.q@example.org',
  'Hunchback',
  'Zoë',
  'Łukasz',
  'José',
  'Ñúñez',
  'Sigrun',
  'Dmitri',
  '@example.com',
  '@example.org',
];
const logsIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');

describe('log files and the support bundle', () => {
  it('hold what happened and none of the key, the PINs, names or emails', { timeout: 90_000 }, async () => {
    t = tempDir('lanyard-logs-');
    const conference = smallConference();
    inst = await startInstallation({ dir: t.dir, conference, stations: ['desk-a'] });
    writeFileSync(join(t.dir, 'conference.json'), JSON.stringify(conference));
    const sync = inst.syncFor('desk-a');
    const key = /SharedAccessKey=([^;]+)/.exec(String(sync.connectionString))![1]!;
    expect(key.length).toBeGreaterThan(8);
    const parsed = parseRuntimeConfig(
      {
        stationId: 'desk-a',
        mode: 'desk',
        dataDir: 'desk-a',
        conferenceFile: 'conference.json',
        sync,
        log: { level: 'trace' },
        backup: { everyMin: 0 },
      },
      { baseDir: t.dir, defaultDataDir: t.dir },
    );
    if (!parsed.ok) throw new Error(parsed.errors.join('; '));
    runtime = await startRuntime(parsed.config, { healthPollMs: 0 });
    const station = runtime.station;
    const pins = ['739146', '582063', '111999'];
    must(await station.call('staff.add', { id: 'sup', name: 'Sigrun Supervisor', role: 'supervisor', pin: pins[0]! }));
    must(
      await station.call('staff.add', {
        id: 'dee',
        name: 'Dmitri Desk',
        role: 'desk',
        pin: pins[1]!,
        by: { supervisorId: 'sup', pin: pins[0]! },
      }),
    );
    const desk = openConnection(station, { transport: 'ws', mode: 'desk', idleMs: 60_000 });
    expect(await desk.call('staff.signIn', { staffId: 'dee', pin: pins[2]! })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    must(await desk.call('staff.signIn', { staffId: 'dee', pin: pins[1]! }));
    await waitFor(async () => must(await station.call('sync.status', {})).state === 'online', 20_000, 'desk online');
    const walkUp = must(
      await desk.call('registrant.registerWalkUp', {
        firstName: 'Quentin',
        lastName: 'Quasimodo',
        email: 'quentin.q@example.org',
        company: 'Hunchback Ltd',
        ticketTypeId: 'full',
      }),
    ) as RegistrantDetail;
    expect(
      (must(await desk.call('sale.sell', { sessionId: 'panel', registrantId: walkUp.id })) as SaleOutcome).outcome,
    ).toBe('confirmed');
    expect((must(await desk.call('badge.print', { registrantId: 'r2' })) as PrintJobView).status).toBe('printed');
    await waitFor(
      async () => must(await station.call('station.status', {})).outbox.depth === 0,
      20_000,
      'outbox drained',
    );
    await inst.hq.idle();

    // The support bundle, from the desk's screen: what support needs, no personal data beyond ids.
    const bundle = must(await desk.call('support.bundle', {})) as SupportBundle;
    const zip = unzipSync(readFileSync(bundle.file));
    expect(Object.keys(zip)).toEqual(
      expect.arrayContaining([
        'versions.json',
        'config.json',
        'status.json',
        'sync.json',
        'queues.json',
        'backups.json',
        'audit.json',
        'logs/station.1.log',
      ]),
    );
    const entry = (name: string) => strFromU8(zip[name]!);
    expect(JSON.parse(entry('versions.json'))).toMatchObject({
      node: process.versions.node,
      sqlite: expect.any(String),
      migrations: expect.arrayContaining(['0015-stream-recovery']),
    });
    expect(JSON.parse(entry('config.json')).runtime.sync.connectionString).toMatch(/SharedAccessKey=\*\*\*/);
    expect(JSON.parse(entry('status.json'))).toMatchObject({ stationId: 'desk-a', outbox: { depth: 0 } });
    expect(JSON.parse(entry('sync.json'))).toMatchObject({ state: 'online' });
    expect(JSON.parse(entry('queues.json')).outbox).toEqual(
      expect.arrayContaining([
        { type: 'SeatSold', sent: 1, unsent: 0 },
        { type: 'RegistrantRegistered', sent: 1, unsent: 0 },
      ]),
    );
    expect(JSON.parse(entry('audit.json'))).toMatchObject({ chain: { ok: true }, integrity: { state: 'ok' } });
    expect(entry('logs/station.1.log')).toContain('"channel":"sale.sell"');
    const everything = Object.keys(zip).map(entry).join('\n');
    expect(everything).not.toContain(key);
    for (const pin of pins) expect(everything).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
    for (const p of personalData) expect(everything, p).not.toContain(p);

    await runtime.stop();
    runtime = null;
    await inst.stop();
    inst = null;

    const stationLog = logsIn(join(t.dir, 'desk-a', 'logs'));
    const hqLog = logsIn(join(t.dir, 'logs'));
    // Structured lines that tell the story.
    const lines = stationLog
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(
      lines.every((l) => typeof l.time === 'string' && typeof l.level === 'number' && l.station === 'desk-a'),
    ).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'starting' }),
        expect.objectContaining({ msg: 'call failed', channel: 'staff.signIn', code: 'unauthorized' }),
        expect.objectContaining({ msg: 'call', channel: 'sale.sell' }),
        expect.objectContaining({ msg: 'print job', state: 'printed', registrantId: 'r2' }),
        expect.objectContaining({ msg: 'connectivity', state: 'online' }),
        expect.objectContaining({ msg: 'stopped' }),
      ]),
    );
    expect(stationLog).toContain('SharedAccessKeyName'); // the configuration is there, its secret is not
    expect(hqLog).toMatch(/CONFIRMED sale .* from station:desk-a/);
    expect(hqLog).toMatch(/registrant .* registered at station:desk-a/);

    const all = stationLog + hqLog;
    expect(all).not.toContain(key);
    for (const pin of pins) expect(all).not.toMatch(new RegExp(`(?<![0-9])${pin}(?![0-9])`));
    for (const p of personalData) expect(all, p).not.toContain(p);
  });

  it('scrubs what a careless call would have written, and rolls over by size', async () => {
    t = tempDir('lanyard-logs-scrub-');
    const log = await openLogFile({
      dir: t.dir,
      name: 'station',
      config: LogConfig.parse({ level: 'info', maxFileMb: 1, keepFiles: 2 }),
    });
    log.logger.info(
      {
        request: { pin: '424242' },
        connectionString: 'Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=s3cr3tK3y==',
      },
      'careless',
    );
    log.logger.error(
      { err: { message: 'failed for jane.doe@example.net with SharedAccessKey=s3cr3tK3y==;' } },
      'an error quoting data',
    );
    log.logger.debug({ pin: '535353' }, 'below the level');
    // A day's trickle, not one burst: the file rolls over once a write has gone out past the size.
    for (let i = 0; i < 2500; i++) {
      log.logger.info({ i, pad: 'x'.repeat(1000) }, 'filler');
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
    }
    // The roll happens once the write that crossed the size has drained (later on a loaded machine).
    const logFiles = () =>
      readdirSync(t!.dir)
        .filter((f) => f.endsWith('.log'))
        .sort();
    await waitFor(() => logFiles().length >= 2, 20_000, 'the file rolled over'); // 2.5 MB in files of 1 MB
    await log.close();
    const files = logFiles();
    expect(files.length).toBeLessThanOrEqual(3); // the current one and two kept
    const text = logsIn(t.dir);
    for (const secret of ['424242', 's3cr3tK3y', 'jane.doe', '535353']) expect(text).not.toContain(secret);
  });

  it('a bad log level is a clear configuration error', () => {
    const r = parseRuntimeConfig(
      { stationId: 'desk-a', log: { level: 'loud' } },
      { baseDir: '/tmp', defaultDataDir: '/tmp/x' },
    );
    expect(r).toEqual({
      ok: false,
      errors: ['log.level: must be one of fatal, error, warn, info, debug, trace or silent'],
    });
  });
});
