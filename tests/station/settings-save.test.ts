/**
 * Saving the station's setup from the console (`settings.save`, issue 14): behind a supervisor's PIN, into the
 * settings file in the data folder that the runtime lays over its configuration at the next start. A connection
 * string is tried on the real bus (the project's emulator) before it is saved; any bad input is refused in words with
 * nothing written (database digest, no file). Printers and policy apply at once; station id, mode and connection
 * say they need a restart — and after one, the runtime runs with them.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../core/conference';
import { describeConfig, embeddedConfigFile } from '../../main/runtime/config';
import { openConnection } from '../../main/runtime/connection';
import { connectHost, forkNodeHost } from '../../main/runtime/remote';
import { startRuntime, type Runtime } from '../../main/runtime/runtime';
import { fileSettingsStore, loadStationConfig, settingsFileIn } from '../../main/runtime/settings-store';
import { runCli } from '../../main/station/cli';
import type { Station } from '../../main/station/create-station';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startBus } from '../support/bus';
import { dbDigest } from '../support/db-snapshot';
import { must, openStation, smallConference, tempDir } from '../support/fixtures';

const sup = { supervisorId: 'sup', pin: '2468' };
let bus: RunningEmulator;
let t: ReturnType<typeof tempDir>;
let s: Station | null = null;
let runtime: Runtime | null = null;

beforeAll(async () => {
  bus = await startBus(['desk-a', 'desk-b']);
}, 60_000);
afterAll(async () => {
  await bus?.stop();
});
afterEach(async () => {
  await s?.close();
  s = null;
  await runtime?.stop();
  runtime = null;
  t?.cleanup();
});

async function station(dir: string): Promise<{ station: Station; file: string; db: string }> {
  const file = settingsFileIn(dir);
  const st = await openStation(dir, { settingsStore: fileSettingsStore(file), mode: 'supervisor' });
  must(await st.call('conference.import', { data: smallConference() }));
  must(await st.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
  must(await st.call('staff.add', { id: 'dee', name: 'Dee', role: 'desk', pin: '1111', by: sup }));
  return { station: st, file, db: join(dir, 'desk-a.db') };
}

describe('settings.save', () => {
  it('refuses bad input in words and writes nothing: a connection that fails its test, a wrong PIN, a desk role, a renamed station that has spoken', async () => {
    t = tempDir();
    const { station: st, file, db } = await station(t.dir);
    s = st;
    // A PIN check keeps its own counters (failed attempts, lockout): everything else must stay as it was.
    const before = dbDigest(db, ['staff']);
    const key = /SharedAccessKey=([^;]+)/.exec(bus.connectionString)![1]!;
    const wrongKey = bus.connectionString.replace(key, 'topsecret-wrong');

    const notSb = await st.call('settings.save', { supervisor: sup, connectionString: 'Endpoint=https://x/;a=b' });
    expect(notSb).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!notSb.ok && notSb.error.message).toMatch(
      /^This connection string does not work \(.+\)\. Nothing was saved\.$/,
    );

    // The real bus, a wrong key: refused at the send step; the key is not echoed anywhere.
    const refused = await st.call('settings.save', {
      supervisor: sup,
      connectionString: wrongKey,
      printers: ['tcp://127.0.0.1:9100'],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(refused)).not.toContain('topsecret-wrong');

    expect(
      await st.call('settings.save', { supervisor: { supervisorId: 'sup', pin: '9999' }, policy: { overdraftCap: 0 } }),
    ).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(
      await st.call('settings.save', { supervisor: { supervisorId: 'dee', pin: '1111' }, policy: { overdraftCap: 0 } }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await st.call('settings.save', { supervisor: sup, policy: { alpha: 0.9 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await st.call('settings.save', { supervisor: sup, stationId: 'Desk B!' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });

    expect(dbDigest(db, ['staff'])).toBe(before);
    // The station has sent an event (a check-in): HQ knows it by its id, so it keeps it.
    must(await st.call('checkin.record', { registrantId: 'r1' }));
    const afterCheckin = dbDigest(db, ['staff']);
    const renamed = await st.call('settings.save', { supervisor: sup, stationId: 'desk-b' });
    expect(renamed).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!renamed.ok && renamed.error.message).toContain('already sent events to HQ');

    expect(existsSync(file)).toBe(false);
    expect(before).not.toBe(afterCheckin); // the digest sees changes…
    expect(dbDigest(db, ['staff'])).toBe(afterCheckin); // …and none came from a refused save
    expect(must(await st.call('settings.get', {})).pendingRestart).toEqual([]);
  }, 60_000);

  it('saves a tested connection (restart needed), printers and policy (live), and audits which fields, never the key', async () => {
    t = tempDir();
    const { station: st, file } = await station(t.dir);
    s = st;
    const saved = must(
      await st.call('settings.save', {
        supervisor: sup,
        connectionString: bus.connectionString,
        printers: ['tcp://127.0.0.1:9100'],
        policy: { maxStalenessMin: 30, overdraftCap: 1 },
      }),
    );
    expect(saved.saved.sort()).toEqual(['connection', 'policy', 'printers']);
    expect(saved.restartNeeded).toEqual(['connection']);
    expect(saved.connectionCheck?.ok).toBe(true);
    // Live: the setup (and every sale decided from now on) uses the new policy and printers.
    expect(saved.setup.printers).toEqual(['tcp://127.0.0.1:9100']);
    expect(saved.setup.policy.find((p) => p.name === 'maxStalenessMin')).toMatchObject({
      value: 30,
      source: 'station',
    });
    expect(must(await st.call('station.settings', {})).printers).toEqual(['tcp://127.0.0.1:9100']);
    expect(must(await st.call('printer.list', {})).map((p) => p.uri)).toContain('tcp://127.0.0.1:9100');
    expect(must(await st.call('settings.get', {})).pendingRestart).toEqual(['connection']);

    const onDisk = JSON.parse(readFileSync(file, 'utf8'));
    expect(onDisk).toEqual({
      sync: { connectionString: bus.connectionString },
      printers: ['tcp://127.0.0.1:9100'],
      policy: { maxStalenessMin: 30, overdraftCap: 1 },
    });
    expect(statSync(file).mode & 0o077).toBe(0); // this user's only
    const audit = must(await st.call('audit.verify', {}));
    expect(audit.ok).toBe(true);

    // The same again changes nothing and writes nothing; clearing the policy goes back to the conference's.
    expect(must(await st.call('settings.save', { supervisor: sup, printers: ['tcp://127.0.0.1:9100'] })).saved).toEqual(
      [],
    );
    const cleared = must(await st.call('settings.save', { supervisor: sup, policy: {} }));
    expect(cleared.setup.policy.find((p) => p.name === 'maxStalenessMin')).toMatchObject({
      value: defaultPolicy.maxStalenessMin,
      source: 'default',
    });
  }, 60_000);

  it('after a restart the runtime runs with what was saved: the new id (a station that never sent), mode, connection and policy; the key never in the log', async () => {
    t = tempDir();
    const dataDir = join(t.dir, 'data');
    const cx = { baseDir: dataDir, defaultDataDir: dataDir };
    const first = loadStationConfig({ ...embeddedConfigFile({ stationId: 'desk-1' }), demo: false }, cx);
    if (!first.ok) throw new Error(first.errors.join('; '));
    runtime = await startRuntime(first.config, { healthPollMs: 0 });
    must(await runtime.station.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
    const saved = must(
      await runtime.station.call('settings.save', {
        supervisor: sup,
        stationId: 'desk-a',
        mode: 'supervisor',
        connectionString: bus.connectionString,
        policy: { overdraftCap: 0 },
      }),
    );
    expect(saved.restartNeeded.sort()).toEqual(['connection', 'mode', 'stationId']);
    await runtime.stop();
    runtime = null;

    const next = loadStationConfig({ ...embeddedConfigFile({ stationId: 'desk-1' }), demo: false }, cx);
    if (!next.ok) throw new Error(next.errors.join('; '));
    expect(next.config).toMatchObject({ stationId: 'desk-a', mode: 'supervisor', policy: { overdraftCap: 0 } });
    expect(next.config.sync?.connectionString).toBe(bus.connectionString);
    expect(JSON.stringify(describeConfig(next.config))).not.toContain(
      /SharedAccessKey=([^;]+)/.exec(bus.connectionString)![1],
    );
    runtime = await startRuntime(next.config, { healthPollMs: 0 });
    expect(runtime.station.stationId).toBe('desk-a');
    const setup = must(await runtime.station.call('settings.get', {}));
    expect(setup).toMatchObject({ stationId: 'desk-a', mode: 'supervisor', connection: { configured: true } });
    expect(setup.pendingRestart).toEqual([]);
    await runtime.stop();
    runtime = null;
    const logs = join(dataDir, 'logs');
    const text = (await import('node:fs')).readdirSync(logs).map((f) => readFileSync(join(logs, f), 'utf8'));
    expect(text.join('\n')).not.toContain(/SharedAccessKey=([^;]+)/.exec(bus.connectionString)![1]);
  }, 90_000);

  it('a damaged settings file stops the start with its field named; a sealed secret is read back through decrypt', async () => {
    t = tempDir();
    const dataDir = t.dir;
    const cx = { baseDir: dataDir, defaultDataDir: dataDir };
    const sealed = fileSettingsStore(settingsFileIn(dataDir), async (plain) => ({
      encrypted: Buffer.from(`sealed:${plain}`).toString('base64'),
    }));
    await sealed.save({ connectionString: bus.connectionString, printers: ['tcp://127.0.0.1:9100'] });
    const raw = readFileSync(settingsFileIn(dataDir), 'utf8');
    expect(raw).not.toContain('SharedAccessKey');
    const decrypt = (b64: string) =>
      Buffer.from(b64, 'base64')
        .toString()
        .replace(/^sealed:/, '');
    const r = loadStationConfig(embeddedConfigFile(), { ...cx, decrypt });
    expect(r.ok && r.config.sync?.connectionString).toBe(bus.connectionString);
    // Without the key store (another machine, the browser mode) it says so rather than run without its connection.
    expect(loadStationConfig(embeddedConfigFile(), cx)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/^settings\.json: sync\.connectionString: this station cannot decrypt/)],
    });
    (await import('node:fs')).writeFileSync(settingsFileIn(dataDir), JSON.stringify({ mode: 'cashier' }));
    expect(loadStationConfig(embeddedConfigFile(), cx)).toMatchObject({
      ok: false,
      errors: [expect.stringMatching(/settings\.json: mode: /)],
    });
  });

  it('the CLI saves through the same contract, into settings.json beside the database', async () => {
    t = tempDir();
    const db = join(t.dir, 'station.db');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const base = ['--db', db, '--station', 'desk-a'];
    expect(
      await runCli([...base, 'staff-add', '--id', 'sup', '--name', 'Sam', '--role', 'supervisor', '--pin', '2468'], io),
    ).toBe(0);
    const save = [
      ...base,
      '--staff',
      'sup',
      '--pin',
      '2468',
      'settings-save',
      '--supervisor',
      'sup',
      '--supervisor-pin',
      '2468',
    ];
    expect(await runCli([...save, '--policy', '{"overdraftCap": -1}'], io)).toBe(1);
    expect(err.at(-1)).toMatch(/overdraftCap/);
    expect(await runCli([...save, '--policy', '{nope'], io)).toBe(2);
    expect(existsSync(settingsFileIn(t.dir))).toBe(false);
    expect(await runCli([...save, '--policy', '{"overdraftCap": 1}', '--printers', 'tcp://127.0.0.1:9100'], io)).toBe(
      0,
    );
    expect(JSON.parse(readFileSync(settingsFileIn(t.dir), 'utf8'))).toEqual({
      printers: ['tcp://127.0.0.1:9100'],
      policy: { overdraftCap: 1 },
    });
  });
});

describe('settings.save in the station’s own process (the desktop app’s shape)', () => {
  it('asks the shell to seal the connection string (Electron safeStorage) and keeps only the sealed form', async () => {
    t = tempDir();
    const dataDir = join(t.dir, 'data');
    const cx = { baseDir: dataDir, defaultDataDir: dataDir };
    const loaded = loadStationConfig(embeddedConfigFile({ stationId: 'desk-a', mode: 'supervisor' }), cx);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    const sealedBy: string[] = [];
    const host = await connectHost(forkNodeHost(), loaded.config, {
      healthPollMs: 0,
      // What main/electron/desktop-config.ts's sealSecret does with safeStorage (tests/electron covers that one).
      sealSecret: (plain) => (sealedBy.push('shell'), { encrypted: Buffer.from(`sealed:${plain}`).toString('base64') }),
    });
    try {
      const boss = openConnection(host, { transport: 'ws', mode: 'supervisor', idleMs: 60_000 });
      must(await boss.call('staff.signIn', { staffId: 'sam', pin: '2468' }));
      const r = await boss.call('settings.save', {
        supervisor: { supervisorId: 'sam', pin: '2468' },
        connectionString: bus.connectionString,
      });
      expect(r).toMatchObject({ ok: true, value: { saved: ['connection'], restartNeeded: ['connection'] } });
    } finally {
      await host.stop();
    }
    expect(sealedBy).toEqual(['shell']);
    const raw = readFileSync(settingsFileIn(dataDir), 'utf8');
    expect(raw).not.toContain('SharedAccessKey');
    expect(JSON.parse(raw)).toEqual({ sync: { connectionString: { encrypted: expect.any(String) } } });
    const decrypt = (b64: string) =>
      Buffer.from(b64, 'base64')
        .toString()
        .replace(/^sealed:/, '');
    const again = loadStationConfig(embeddedConfigFile({ stationId: 'desk-a', mode: 'supervisor' }), {
      ...cx,
      decrypt,
    });
    expect(again.ok && again.config.sync?.connectionString).toBe(bus.connectionString);
  }, 90_000);
});
