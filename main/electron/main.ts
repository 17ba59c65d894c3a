/**
 * The desktop app (DESIGN §10, §12): a thin shell over the station runtime. It hosts the station in a utility
 * process, opens the window for the station's mode, serves the built renderer from `app://lanyard`, and bridges
 * IPC — every message's sender checked and its payload validated by the contract before a handler runs. Single
 * instance; a crashed renderer is reloaded; kiosks and doors keep their screens awake; the OS's online signal
 * reaches the connectivity state machine; the Service Bus secret is decrypted with safeStorage.
 *
 *   electron . [--config FILE]          (npm start does this where the Electron binary is installed)
 *   electron . --seal-config FILE       encrypt the connection string in FILE for this user and machine
 *   electron . --restore BACKUP.db      put the station back from one of its backups, then start (restore.ts)
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  net,
  Notification,
  powerSaveBlocker,
  protocol,
  safeStorage,
  session,
  utilityProcess,
} from 'electron';
import { showOsNotifications } from './os-notifications';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectHost, type HostedStation } from '../runtime/remote';
import { stationHostV8Flags } from '../runtime/host-flags';
import { argValue, loadDesktopConfig, sealConfig, sealSecret } from './desktop-config';
import { utilityHostLink } from './host-link';
import { serveIpc, type StationIpc } from './ipc';
import { serveApp } from './protocol';
import { restoreOnStart } from './restore';
import { APP_ORIGIN, APP_SCHEME, guardContents, guardSession } from './security';
import { printOnSystem } from './system-printer';
import { createStationWindow, keepAwake } from './windows';

export interface Desktop {
  window: BrowserWindow;
  host: HostedStation;
  ipc: StationIpc;
}

export interface DesktopOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the bundles live (dist/electron); default: beside this file. */
  dir?: string;
  log?: (line: string) => void;
  onlinePollMs?: number;
}

const modeTitles = {
  kiosk: 'Lanyard — badge kiosk',
  desk: 'Lanyard — registration desk',
  door: 'Lanyard — door scanner',
  supervisor: 'Lanyard — supervisor',
} as const;

export async function startDesktop(o: DesktopOptions = {}): Promise<Desktop | null> {
  const argv = o.argv ?? process.argv;
  const env = o.env ?? process.env;
  const dir = o.dir ?? dirname(fileURLToPath(import.meta.url));
  const log = o.log ?? ((line: string) => console.log(`[lanyard] ${line}`));
  // Before the app is ready: app:// is a standard, secure origin for the renderer.
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  const sealing = argValue(argv, '--seal-config');
  if (sealing) {
    await app.whenReady();
    log(sealConfig(sealing, safeStorage));
    app.quit();
    return null;
  }
  if (!app.requestSingleInstanceLock()) {
    log('Lanyard is already running on this computer; showing that window instead.');
    app.quit();
    return null;
  }
  await app.whenReady();

  const loaded = loadDesktopConfig(argv, env, app.getPath('userData'), safeStorage);
  if (!loaded.ok) {
    dialog.showErrorBox('Lanyard cannot start: the configuration is not valid', loaded.errors.join('\n'));
    app.exit(2);
    return null;
  }
  const config = loaded.config;
  const preload = join(dir, 'preload.cjs');
  const forkHost = () =>
    utilityHostLink(
      utilityProcess.fork(join(dir, 'station-host.mjs'), [], {
        serviceName: 'Lanyard station',
        stdio: 'inherit',
        execArgv: [...stationHostV8Flags],
      }),
    );

  const restoring = argValue(argv, '--restore');
  if (restoring) {
    // Before the station opens its database: a restore replaces the file.
    const outcome = await restoreOnStart({
      from: resolve(restoring),
      config,
      dialog,
      fork: forkHost,
      at: new Date().toISOString(),
      log,
    });
    if (outcome !== 'restored') {
      app.exit(outcome === 'cancelled' ? 0 : 1);
      return null;
    }
  }

  protocol.handle(APP_SCHEME, serveApp(resolve(dir, '../../renderer/dist')));
  guardSession(session.defaultSession, config.mode, log);
  app.on('web-contents-created', (_e, contents) => guardContents(contents, log));
  Menu.setApplicationMenu(null);

  const host = await connectHost(forkHost(), config, {
    log,
    printSystem: printOnSystem(BrowserWindow, preload),
    sealSecret: sealSecret(safeStorage),
  });
  const ipc = serveIpc(ipcMain, host, { mode: config.mode, idleMs: config.staffIdleMin * 60_000, log });
  const events = host.events$.subscribe((e) => ipc.broadcast(e));
  const win = createStationWindow(BrowserWindow, {
    mode: config.mode,
    preload,
    url: `${APP_ORIGIN}/index.html`,
    title: modeTitles[config.mode],
    log,
  });
  ipc.attach(win.webContents);
  const notices = showOsNotifications(host.events$, config.mode, Notification, () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  const release = keepAwake(powerSaveBlocker, config.mode);

  // The operating system's idea of the network feeds connectivity (a cable pulled is "offline" at once).
  let online = net.isOnline();
  host.setOsOnline(online);
  const poll = setInterval(() => {
    const now = net.isOnline();
    if (now !== online) {
      online = now;
      log(`the operating system says the network is ${now ? 'up' : 'down'}`);
      host.setOsOnline(now);
    }
  }, o.onlinePollMs ?? 3000);

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => app.quit());
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    clearInterval(poll);
    release?.();
    events.unsubscribe();
    notices?.unsubscribe();
    ipc.dispose();
    void host.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  void host.exited.then((why) => {
    if (stopped) return;
    log(`the station stopped unexpectedly (${why}); closing so that the kiosk's autostart brings it back cleanly`);
    stopped = true;
    clearInterval(poll);
    app.exit(1);
  });
  log(`${modeTitles[config.mode]}: station "${host.settings.stationId}"`);
  return { window: win, host, ipc };
}

if (process.versions.electron && process.type === 'browser') void startDesktop();
