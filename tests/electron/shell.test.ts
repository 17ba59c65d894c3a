/**
 * The desktop shell (main/electron) with `electron` mocked — the binary cannot run here — over a real station
 * host: windows locked down per mode, IPC senders checked and payloads validated before a handler runs, hostile
 * navigation and permissions refused, the CSP on every response, single instance, crash → reload, events by mode,
 * the OS's network signal, and a clean stop.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Desktop } from '../../main/electron/main';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/security';
import { dbDigest } from '../support/db-snapshot';
import { tempDir } from '../support/fixtures';
import { electron, FakeBrowserWindow, FakeWebContents, forkedChildren } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).electron);

const { startDesktop } = await import('../../main/electron/main');
const logs: string[] = [];
const log = (l: string) => logs.push(l);

async function start(dir: string, config: Record<string, unknown>): Promise<Desktop> {
  const file = join(dir, 'station.json');
  writeFileSync(file, JSON.stringify(config));
  const d = await startDesktop({
    argv: ['electron', '.', '--config', file],
    env: {},
    dir: join(dir, 'out'),
    log,
    onlinePollMs: 20,
  });
  if (!d) throw new Error('did not start');
  return d;
}

const call = (contents: FakeWebContents, channel: unknown, request: unknown, frame = contents.mainFrame) =>
  electron.ipcMain.handlers.get('lanyard:call')!(
    { sender: contents, senderFrame: frame },
    channel,
    request,
  ) as Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;

describe('a kiosk', () => {
  let t: ReturnType<typeof tempDir>;
  let d: Desktop;
  let win: FakeBrowserWindow;
  beforeAll(async () => {
    t = tempDir();
    d = await start(t.dir, { stationId: 'kiosk-1', mode: 'kiosk', dataDir: 'data', demo: true });
    win = d.window as unknown as FakeBrowserWindow;
  });
  afterAll(async () => {
    electron.app.quit();
    await d.host.exited;
    t.cleanup();
  });

  it('opens one locked-down, full-screen kiosk window with no menu, and keeps the screen awake', () => {
    expect(win.options).toMatchObject({
      fullscreen: true,
      kiosk: true,
      frame: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false },
    });
    expect(win.webContents.mainFrame.url).toBe('app://lanyard/index.html');
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
    expect(electron.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('runs its station in a utility process whose young generation stays small (a kiosk PC has little memory)', () => {
    const [, , options] = electron.utilityProcess.fork.mock.calls.at(-1) as unknown as [string, string[], object];
    expect(options).toMatchObject({ serviceName: 'Lanyard station', execArgv: ['--max-semi-space-size=8'] });
  });

  it('answers its own window as a kiosk caller: an attendee may search, not sell', async () => {
    expect(await call(win.webContents, 'registrant.search', { query: 'dimitris papadopoulos' })).toMatchObject({
      ok: true,
    });
    expect(
      await call(win.webContents, 'sale.sell', { sessionId: 's-d1-talk-qr-codes', registrantId: 'r-00002' }),
    ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a foreign sender, a subframe and a page that is not the app — and writes nothing', async () => {
    const db = join(t.dir, 'data', 'station.db');
    const before = dbDigest(db);
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://lanyard/index.html';
    expect(await call(stranger, 'badge.print', { registrantId: 'r-00003' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const sub = { url: 'app://lanyard/index.html' };
    expect(await call(win.webContents, 'badge.print', { registrantId: 'r-00003' }, sub)).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const url = win.webContents.mainFrame.url;
    for (const hostile of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://user:pw@lanyard/',
    ]) {
      win.webContents.mainFrame.url = hostile;
      expect(await call(win.webContents, 'badge.print', { registrantId: 'r-00003' }), hostile).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    win.webContents.mainFrame.url = url;
    expect(dbDigest(db)).toBe(before);
  });

  it('validates every payload before a handler runs (random junk too): typed errors, nothing written', async () => {
    const db = join(t.dir, 'data', 'station.db');
    const before = dbDigest(db);
    const junk: [unknown, unknown][] = [
      [42, {}],
      [null, null],
      ['feed.apply', { envelope: {} }],
      ['badge.print', { registrantId: "r'; DROP TABLE badge;--" }],
      ['badge.print', { registrantId: 'r-00003', printer: 'tcp://10.0.0.1:9100' }],
      ['registrant.search', { query: 'x'.repeat(500) }],
      ['conference.import', { data: {} }],
      ['staff.signIn', { staffId: 'x', pin: 'abc' }],
      ['__proto__', { constructor: 1 }],
    ];
    let seed = 7;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const values = [null, 1, -1, 'r-00003', '', [], {}, true, 'x'.repeat(300), { a: { b: 1 } }];
    const names = ['registrant.get', 'badge.preview', 'badge.print', 'print.confirm', 'sale.preview', 'station.status'];
    for (let i = 0; i < 150; i++) {
      const req: Record<string, unknown> = {};
      for (const k of ['id', 'registrantId', 'printer', 'reason', 'wait', 'jobId', 'printed', 'query', 'extra'].filter(
        () => r() < 0.4,
      ))
        req[k] = values[Math.floor(r() * values.length)];
      junk.push([names[Math.floor(r() * names.length)], r() < 0.1 ? values[Math.floor(r() * values.length)] : req]);
    }
    for (const [channel, request] of junk) {
      const res = await call(win.webContents, channel, request);
      if (!res.ok)
        expect(
          ['invalid_input', 'forbidden', 'unauthorized', 'not_found', 'conflict'],
          JSON.stringify([channel, request]).slice(0, 200),
        ).toContain(res.error!.code);
    }
    expect(dbDigest(db)).toBe(before);
  });

  it('blocks navigation away from the app, new windows and webviews', () => {
    const c = win.webContents;
    for (const url of [
      'https://evil.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://evil/',
      'data:text/html,<script>1</script>',
      'app://lanyard@evil.example/',
    ]) {
      const event = { preventDefault: vi.fn() };
      c.emit('will-navigate', event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
      const redirect = { preventDefault: vi.fn() };
      c.emit('will-redirect', redirect, url);
      expect(redirect.preventDefault, url).toHaveBeenCalled();
    }
    const own = { preventDefault: vi.fn() };
    c.emit('will-navigate', own, 'app://lanyard/index.html#desk');
    expect(own.preventDefault).not.toHaveBeenCalled();
    expect(c.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const webview = { preventDefault: vi.fn() };
    c.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('a kiosk grants no permission, not even the camera', () => {
    const s = electron.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      const cb = vi.fn();
      s.requestHandler!(win.webContents, permission, cb, {
        requestingUrl: 'app://lanyard/index.html',
        isMainFrame: true,
        mediaTypes: ['video'],
      });
      expect(cb, permission).toHaveBeenCalledWith(false);
    }
  });

  it('puts the CSP on every response', () => {
    const cb = vi.fn();
    electron.session.defaultSession.headersHandler!(
      { responseHeaders: { 'Content-Security-Policy': ['default-src *'], Server: ['x'] } },
      cb,
    );
    expect(cb).toHaveBeenCalledWith({
      responseHeaders: { Server: ['x'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('sends a kiosk only the events a kiosk hears', async () => {
    win.webContents.sent.length = 0;
    d.ipc.broadcast({ type: 'connectivity', state: 'offline', reason: 'network down' });
    d.ipc.broadcast({ type: 'sale.decided', saleId: 's', sessionId: 'x', registrantId: 'r', status: 'confirmed' });
    expect(win.webContents.sent).toEqual([
      ['lanyard:event', { type: 'connectivity', state: 'offline', reason: 'network down' }],
    ]);
  });

  it('feeds the operating system’s network signal to the station', async () => {
    const child = forkedChildren.at(-1)!;
    electron.net.online = false;
    await vi.waitFor(() => expect(child.messages).toContainEqual({ t: 'osOnline', online: false }), { timeout: 2000 });
    electron.net.online = true;
    await vi.waitFor(() => expect(child.messages.at(-1)).toEqual({ t: 'osOnline', online: true }), { timeout: 2000 });
  });

  it('reloads a crashed renderer with a log line, but not one that keeps crashing', () => {
    const c = win.webContents;
    c.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(c.reload).not.toHaveBeenCalled();
    for (let i = 0; i < 5; i++) c.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(c.reload).toHaveBeenCalledTimes(5);
    expect(logs.some((l) => l.includes('renderer is gone (crashed'))).toBe(true);
    c.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(c.reload).toHaveBeenCalledTimes(5);
    expect(logs.at(-1)).toContain('not reloading');
  });
});

describe('a door', () => {
  let t: ReturnType<typeof tempDir>;
  let d: Desktop;
  beforeAll(async () => {
    t = tempDir();
    d = await start(t.dir, { stationId: 'door-1', mode: 'door', dataDir: 'data', demo: true });
  });
  afterAll(async () => {
    electron.app.quit();
    await d.host.exited;
    t.cleanup();
  });

  it('may use the camera — video only, from the app’s main frame — and nothing else', () => {
    const s = electron.session.defaultSession;
    const ask = (permission: string, details: Record<string, unknown>) => {
      const cb = vi.fn();
      s.requestHandler!(d.window.webContents, permission, cb, details);
      return cb.mock.calls[0]![0] as boolean;
    };
    const app = { requestingUrl: 'app://lanyard/index.html', isMainFrame: true };
    expect(ask('media', { ...app, mediaTypes: ['video'] })).toBe(true);
    expect(ask('media', { ...app, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(ask('media', { ...app, mediaTypes: [] })).toBe(false);
    expect(ask('media', { ...app, isMainFrame: false, mediaTypes: ['video'] })).toBe(false);
    expect(ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['video'] })).toBe(
      false,
    );
    expect(ask('geolocation', app)).toBe(false);
    expect(s.checkHandler!(d.window.webContents, 'media', 'app://lanyard', { mediaTypes: ['video'] })).toBe(true);
    expect(s.checkHandler!(d.window.webContents, 'media', 'https://evil.example', { mediaTypes: ['video'] })).toBe(
      false,
    );
  });

  it('is an ordinary window, not a kiosk', () => {
    expect((d.window as unknown as FakeBrowserWindow).options).not.toHaveProperty('kiosk');
  });
});

describe('one instance only, and a clean stop', () => {
  it('a second instance quits at once and opens nothing', async () => {
    electron.app.singleInstance = false;
    const windows = FakeBrowserWindow.all.length;
    electron.app.quit.mockClear();
    expect(await startDesktop({ argv: ['electron', '.'], env: {}, log })).toBeNull();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.all.length).toBe(windows);
    electron.app.singleInstance = true;
  });

  it('an invalid configuration is shown, naming the field, and the app exits', async () => {
    const t = tempDir();
    writeFileSync(join(t.dir, 'bad.json'), JSON.stringify({ stationId: 'Desk A', mode: 'cashier' }));
    electron.app.exit.mockClear();
    expect(
      await startDesktop({ argv: ['electron', '.', '--config', join(t.dir, 'bad.json')], env: {}, log }),
    ).toBeNull();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith(
      expect.stringContaining('configuration'),
      expect.stringMatching(/stationId[\s\S]*mode/),
    );
    expect(electron.app.exit).toHaveBeenCalledWith(2);
    t.cleanup();
  });

  it('quitting stops the station before the app ends', async () => {
    const t = tempDir();
    const d = await start(t.dir, { stationId: 'desk-q', mode: 'desk', dataDir: 'data' });
    const quits = electron.app.quit.mock.calls.length;
    electron.app.quit();
    expect(await d.host.exited).toBe('exit code 0');
    await vi.waitFor(() => expect(electron.app.quit.mock.calls.length).toBe(quits + 2)); // once deferred, once for real
    t.cleanup();
  });
});
