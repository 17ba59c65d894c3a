/** Smaller pieces of the desktop shell: the app:// file server, OS printing, the sealed secret, the bundles. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import { buildElectron } from '../../main/electron/build';
import { loadDesktopConfig, sealConfig, sealSecret } from '../../main/electron/desktop-config';
import { fileSettingsStore, settingsFileIn } from '../../main/runtime/settings-store';
import { appFile, serveApp } from '../../main/electron/protocol';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/security';
import { pageSize, pngHeight, printOnSystem } from '../../main/electron/system-printer';
import { tempDir } from '../support/fixtures';
import { electron, FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

describe('app:// serves the built renderer and nothing else', () => {
  it('confines paths to the renderer folder and puts the CSP on every answer', async () => {
    const t = tempDir();
    const root = join(t.dir, 'dist');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html>');
    writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(t.dir, 'secret.txt'), 'secret');
    expect(appFile(root, 'app://lanyard/')).toBe(join(root, 'index.html'));
    // Dot segments the URL parser resolves stay inside the folder; encoded ones that would climb out are refused.
    for (const climb of [
      'app://lanyard/../secret.txt',
      'app://lanyard/%2e%2e/secret.txt',
      'app://lanyard/..%2fsecret.txt',
      'app://lanyard/assets/..%2f..%2fsecret.txt',
    ]) {
      const f = appFile(root, climb);
      expect(f === null || f.startsWith(`${root}/`), climb).toBe(true);
    }
    for (const bad of [
      'app://lanyard/..%2fsecret.txt',
      'app://evil/index.html',
      'https://lanyard/index.html',
      'app://lanyard/%00',
    ]) {
      expect(appFile(root, bad), bad).toBeNull();
    }
    const serve = serveApp(root);
    const ok = await serve({ url: 'app://lanyard/assets/app.js' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/javascript');
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const missing = await serve({ url: 'app://lanyard/..%2fsecret.txt' });
    expect(missing.status).toBe(404);
    expect(await missing.text()).not.toContain('secret');
    t.cleanup();
  });
});

describe('printing to an operating-system printer', () => {
  const png = (w: number, h: number) => PNG.sync.write(Object.assign(new PNG({ width: w, height: h }), {}));
  it('prints silently to the named printer at the badge’s size; printed only when the OS says so, else uncertain', async () => {
    const print = printOnSystem(FakeBrowserWindow as never, '/preload.cjs', 5000);
    FakeBrowserWindow.nextPrintAnswer = [true, ''];
    const ok = await print({ printer: 'Zebra_ZD421', png: png(576, 900), widthDots: 576, dpi: 203 });
    expect(ok.outcome).toBe('printed');
    const win = FakeBrowserWindow.all.at(-1)!;
    expect(win.options).toMatchObject({
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, javascript: false },
    });
    expect(win.webContents.printed[0]).toMatchObject({
      silent: true,
      deviceName: 'Zebra_ZD421',
      margins: { marginType: 'none' },
      pageSize: { width: 72_071, height: 112_611 },
    });
    expect(win.destroyed).toBe(true);
    FakeBrowserWindow.nextPrintAnswer = [false, 'Print job failed'];
    const unsure = await print({ printer: 'Zebra_ZD421', png: png(576, 900), widthDots: 576, dpi: 203 });
    expect(unsure).toMatchObject({ outcome: 'uncertain', words: expect.stringContaining('Print job failed') });
    FakeBrowserWindow.nextPrintAnswer = [true, ''];
  });
  it('reads the picture’s height and never asks for a page under an inch', () => {
    expect(pngHeight(png(10, 321))).toBe(321);
    expect(pageSize({ printer: 'x', png: new Uint8Array(), widthDots: 100, dpi: 203 }, 50)).toEqual({
      width: 25_400,
      height: 25_400,
    });
  });
});

describe('the Service Bus secret under safeStorage', () => {
  it('seals a plain connection string in place, and the desktop app reads it back', () => {
    const t = tempDir();
    const file = join(t.dir, 'desk.json');
    const cs = 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=desk;SharedAccessKey=TopSecret=';
    writeFileSync(file, JSON.stringify({ stationId: 'desk-a', sync: { connectionString: cs } }));
    expect(sealConfig(file, electron.safeStorage as never)).toContain('sealed');
    expect(readFileSync(file, 'utf8')).not.toContain('TopSecret');
    const r = loadDesktopConfig(['--config', file], {}, '/userdata', electron.safeStorage as never);
    expect(r).toMatchObject({ ok: true, config: { sync: { connectionString: cs }, dataDir: '/userdata' } });
    expect(sealConfig(file, electron.safeStorage as never)).toContain('no plain connection string');
    t.cleanup();
  });
  it('no file: the embedded default in the app’s user data folder', () => {
    expect(loadDesktopConfig([], {}, '/userdata', electron.safeStorage as never)).toMatchObject({
      ok: true,
      config: { stationId: 'desk-1', demo: true, dataDir: '/userdata' },
    });
    expect(loadDesktopConfig(['--config', '/nope.json'], {}, '/userdata', electron.safeStorage as never)).toMatchObject(
      { ok: false, errors: ['/nope.json: no such file'] },
    );
  });
  it('the console’s saved settings: the secret sealed by safeStorage on the way in, read back over the default; never in clear', async () => {
    const t = tempDir();
    const cs = 'Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=desk;SharedAccessKey=TopSecret=';
    const seal = sealSecret(electron.safeStorage as never);
    await fileSettingsStore(settingsFileIn(t.dir), async (plain) => seal(plain)).save({
      stationId: 'desk-7',
      connectionString: cs,
    });
    expect(readFileSync(settingsFileIn(t.dir), 'utf8')).not.toContain('TopSecret');
    expect(loadDesktopConfig([], {}, t.dir, electron.safeStorage as never)).toMatchObject({
      ok: true,
      config: { stationId: 'desk-7', sync: { connectionString: cs }, dataDir: t.dir, adoptStationId: true },
    });
    // No encryption on this system: the desktop app refuses to keep the secret rather than write it in clear.
    const none = { ...electron.safeStorage, isEncryptionAvailable: () => false };
    expect(() => sealSecret(none as never)(cs)).toThrow(/no encryption/);
    t.cleanup();
  });
});

describe('the desktop bundles', () => {
  it('build: a shell, a station host, and a preload that requires nothing but electron', async () => {
    const t = tempDir();
    const files = await buildElectron(t.dir);
    for (const f of files) expect(existsSync(f)).toBe(true);
    const preload = readFileSync(join(t.dir, 'preload.cjs'), 'utf8');
    expect([...new Set(preload.match(/require\("[^"]+"\)/g))]).toEqual(['require("electron")']);
    const main = readFileSync(join(t.dir, 'main.mjs'), 'utf8');
    expect(main).toMatch(/from "electron"/);
    // Only the shell imports electron; the station host runs without it.
    expect(readFileSync(join(t.dir, 'station-host.mjs'), 'utf8')).not.toMatch(/from "electron"/);
    t.cleanup();
  });
});
