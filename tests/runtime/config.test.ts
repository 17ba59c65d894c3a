/** The station configuration file: every invalid field named, the secret never shown, paths and defaults decided. */
import { describe, expect, it } from 'vitest';
import { describeConfig, embeddedConfig, parseRuntimeConfig } from '../../main/runtime/config';
import { userDataDir } from '../../main/runtime/paths';

const cx = { baseDir: '/etc/lanyard', defaultDataDir: '/home/kiosk/.local/share/lanyard' };
const SECRET = 'S3cr3tKeyThatMustNeverBeShown=';
const cs = `Endpoint=sb://venue.servicebus.windows.net/;SharedAccessKeyName=desk;SharedAccessKey=${SECRET}`;

describe('runtime configuration', () => {
  it('a full file: paths relative to the file, sync validated, policy kept', () => {
    const r = parseRuntimeConfig(
      {
        stationId: 'desk-a',
        mode: 'desk',
        dataDir: 'desk-a',
        sync: { connectionString: cs, keepSeatsInHand: 2 },
        printers: ['tcp://10.0.0.5:9100'],
        policy: { maxStalenessMin: 30 },
        conferenceFile: 'conf.json',
      },
      cx,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      stationId: 'desk-a',
      mode: 'desk',
      dataDir: '/etc/lanyard/desk-a',
      printers: ['tcp://10.0.0.5:9100'],
      policy: { maxStalenessMin: 30 },
      conferenceFile: '/etc/lanyard/conf.json',
      demo: false,
      kioskIdleSec: 60,
      staffIdleMin: 15,
    });
    expect(r.config.sync).toMatchObject({ keepSeatsInHand: 2, eventsTopic: 'station-events' });
    expect(JSON.stringify(describeConfig(r.config))).not.toContain(SECRET);
    expect(JSON.stringify(describeConfig(r.config))).toContain('SharedAccessKey=***');
  });

  it('defaults: the user data folder, PNG badges in its prints folder, no sync', () => {
    const r = parseRuntimeConfig({ stationId: 'kiosk-1', mode: 'kiosk' }, cx);
    expect(r).toMatchObject({
      ok: true,
      config: { dataDir: cx.defaultDataDir, printers: [`folder:${cx.defaultDataDir}/prints`], sync: null },
    });
    expect(embeddedConfig('/tmp/x')).toMatchObject({
      stationId: 'desk-1',
      mode: 'desk',
      demo: true,
      printers: ['folder:/tmp/x/prints'],
    });
  });

  it('names every invalid field, and never prints the secret', () => {
    const r = parseRuntimeConfig(
      {
        stationId: 'Desk A',
        mode: 'cashier',
        printers: ['ftp://x'],
        policy: { alpha: 2 },
        kioskIdleSec: 1,
        colour: 'red',
        sync: { connectionString: `${cs};Bogus=1` },
      },
      cx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.errors.join('\n');
    for (const field of ['stationId', 'mode', 'printers[0]', 'policy.alpha', 'kioskIdleSec', 'colour'])
      expect(text).toContain(field);
    expect(text).not.toContain(SECRET);
  });

  it('sync errors name the field without the secret', () => {
    const r = parseRuntimeConfig(
      { stationId: 'desk-a', sync: { connectionString: `${cs};Bogus=1`, batchSize: 0 } },
      cx,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.join('\n')).toMatch(/sync\.connectionString: the connection string has an unknown part "Bogus"/);
    expect(r.errors.join('\n')).toContain('sync.batchSize');
    expect(r.errors.join('\n')).not.toContain(SECRET);
  });

  it('an encrypted secret needs the desktop app that can decrypt it', () => {
    const enc = { stationId: 'desk-a', sync: { connectionString: { encrypted: Buffer.from(cs).toString('base64') } } };
    expect(parseRuntimeConfig(enc, cx)).toMatchObject({
      ok: false,
      errors: [expect.stringContaining('cannot decrypt')],
    });
    const r = parseRuntimeConfig(enc, { ...cx, decrypt: (b) => Buffer.from(b, 'base64').toString() });
    expect(r).toMatchObject({ ok: true, config: { sync: { connectionString: cs } } });
    const broken = parseRuntimeConfig(enc, {
      ...cx,
      decrypt: () => {
        throw new Error(SECRET);
      },
    });
    expect(broken).toMatchObject({ ok: false, errors: [expect.stringContaining('could not be decrypted')] });
    expect(JSON.stringify(broken)).not.toContain(SECRET);
  });

  it('the user data folder per platform, LANYARD_HOME first', () => {
    expect(userDataDir({ LANYARD_HOME: '/data' }, 'linux')).toBe('/data');
    expect(userDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux')).toBe('/xdg/lanyard');
    expect(userDataDir({ APPDATA: 'C:\\Users\\k\\AppData\\Roaming' }, 'win32')).toContain('Lanyard');
    expect(userDataDir({}, 'darwin')).toMatch(/Library\/Application Support\/Lanyard$/);
  });
});

describe('random configuration files', () => {
  it('never throw, name a field for every problem, and never echo the secret', () => {
    let seed = 424242;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = [
      null,
      0,
      -5,
      1e9,
      '',
      'x',
      'Desk A',
      'kiosk',
      'door',
      '../../etc',
      true,
      [],
      {},
      [1, 'a'],
      { connectionString: cs },
      { connectionString: `${cs};X=1` },
      { encrypted: '!!' },
    ];
    const keys = [
      'stationId',
      'mode',
      'dataDir',
      'sync',
      'printers',
      'policy',
      'conferenceFile',
      'demo',
      'kioskIdleSec',
      'staffIdleMin',
      'colour',
      '__proto__',
    ];
    let failures = 0;
    for (let i = 0; i < 1000; i++) {
      const o: Record<string, unknown> = r() < 0.8 ? { stationId: 'desk-a' } : {};
      for (const k of keys) if (r() < 0.3) o[k] = values[Math.floor(r() * values.length)];
      const res = parseRuntimeConfig(r() < 0.05 ? values[Math.floor(r() * values.length)] : o, cx);
      // The secret is in a valid configuration (it is used), never in what is shown or in an error.
      expect(JSON.stringify(res.ok ? describeConfig(res.config) : res.errors)).not.toContain(SECRET.slice(0, 12));
      if (!res.ok) {
        failures++;
        expect(res.errors.length).toBeGreaterThan(0);
        for (const e of res.errors) expect(e).toMatch(/^(\(the file\)|[\w.[\]]+): ./);
      }
    }
    expect(failures).toBeGreaterThan(500);
  });
});
