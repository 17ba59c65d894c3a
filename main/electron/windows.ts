/**
 * The station's window: one per station, its look chosen by the mode — a kiosk is full screen in kiosk mode with no
 * menu; the others are ordinary maximised windows. Locked down (contextIsolation, sandbox, no Node, no webview),
 * and a renderer that crashes is reloaded — a kiosk must come back by itself — unless it keeps crashing.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions, PowerSaveBlocker } from 'electron';
import type { StationMode } from '../../core/access';
import type { Log } from './security';

export const webPreferences = (preload: string): NonNullable<BrowserWindowConstructorOptions['webPreferences']> => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  spellcheck: false,
  navigateOnDragDrop: false,
});

export function windowOptions(mode: StationMode, preload: string, title: string): BrowserWindowConstructorOptions {
  const base: BrowserWindowConstructorOptions = {
    title,
    show: false,
    backgroundColor: '#0b1f33',
    autoHideMenuBar: true,
    webPreferences: webPreferences(preload),
  };
  if (mode === 'kiosk')
    return {
      ...base,
      fullscreen: true,
      kiosk: true,
      frame: false,
      resizable: false,
      minimizable: false,
      closable: false,
    };
  return { ...base, width: 1280, height: 800 };
}

/** Renderer crashes tolerated in `windowMs` before the app stops reloading (a page that crashes at once would loop). */
export const MAX_CRASHES = 5;
export const CRASH_WINDOW_MS = 5 * 60_000;

export function createStationWindow(
  BrowserWindow: typeof BrowserWindowType,
  o: {
    mode: StationMode;
    preload: string;
    url: string;
    title: string;
    log: Log;
    now?: () => number;
    setMenu?: (w: BrowserWindowType) => void;
  },
): BrowserWindowType {
  const now = o.now ?? Date.now;
  const win = new BrowserWindow(windowOptions(o.mode, o.preload, o.title));
  o.setMenu?.(win);
  const crashes: number[] = [];
  win.webContents.on('render-process-gone', (_event, details) => {
    o.log(`the ${o.mode} screen's renderer is gone (${details.reason}, exit code ${details.exitCode})`);
    if (details.reason === 'clean-exit') return;
    const t = now();
    crashes.push(t);
    while (crashes.length && crashes[0]! < t - CRASH_WINDOW_MS) crashes.shift();
    if (crashes.length > MAX_CRASHES) {
      o.log(`not reloading: ${crashes.length} crashes within ${CRASH_WINDOW_MS / 60_000} minutes`);
      return;
    }
    o.log('reloading the screen');
    win.webContents.reload();
  });
  win.webContents.on('unresponsive', () => o.log(`the ${o.mode} screen is not responding`));
  win.once('ready-to-show', () => {
    if (o.mode !== 'kiosk') win.maximize();
    win.show();
  });
  void win.loadURL(o.url);
  return win;
}

/** Kiosks and door scanners keep their screens on. */
export function keepAwake(blocker: PowerSaveBlocker, mode: StationMode): (() => void) | null {
  if (mode !== 'kiosk' && mode !== 'door') return null;
  const id = blocker.start('prevent-display-sleep');
  return () => {
    if (blocker.isStarted(id)) blocker.stop(id);
  };
}
