/**
 * A thin stand-in for the `electron` module (the binary cannot be installed on the build machines): just the
 * objects main/electron touches, recording what the shell asks of them. The station behind it is real: the fake
 * utilityProcess forks the same host as the browser mode.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { forkNodeHost } from '../../main/runtime/remote';

let nextId = 1;

export class FakeFrame {
  constructor(public url = '') {}
}

export class FakeWebContents extends EventEmitter {
  id = nextId++;
  mainFrame = new FakeFrame();
  sent: [string, unknown][] = [];
  reload = vi.fn();
  destroyed = false;
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  printed: unknown[] = [];
  printAnswer: [boolean, string] = [true, ''];
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.openHandler = h;
  }
  print(options: unknown, cb: (ok: boolean, reason: string) => void) {
    this.printed.push(options);
    setImmediate(() => cb(...this.printAnswer));
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static nextPrintAnswer: [boolean, string] = [true, ''];
  webContents = new FakeWebContents();
  destroyed = false;
  shown = false;
  focus = vi.fn();
  restore = vi.fn();
  maximize = vi.fn();
  constructor(public options: Record<string, unknown>) {
    super();
    this.webContents.printAnswer = FakeBrowserWindow.nextPrintAnswer;
    FakeBrowserWindow.all.push(this);
    electron.app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string) {
    this.webContents.mainFrame.url = url;
    setImmediate(() => {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    });
  }
  show() {
    this.shown = true;
  }
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
  }
}

class FakeApp extends EventEmitter {
  userData = '/tmp/lanyard-fake-userdata';
  singleInstance = true;
  quit = vi.fn(() => {
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('quit');
  });
  exit = vi.fn();
  whenReady = () => Promise.resolve();
  requestSingleInstanceLock = () => this.singleInstance;
  getPath = () => this.userData;
}

/** Electron's Notification: what was shown, and its click handler. */
export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static isSupported = () => true;
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    FakeNotification.shown.push(this);
  }
}

export const forkedChildren: (EventEmitter & { messages: unknown[] })[] = [];

export const electron = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  ipcMain: {
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    handle(channel: string, f: (event: unknown, ...args: unknown[]) => unknown) {
      this.handlers.set(channel, f);
    },
    removeHandler(channel: string) {
      this.handlers.delete(channel);
    },
  },
  session: {
    defaultSession: {
      requestHandler: null as null | ((...a: unknown[]) => void),
      checkHandler: null as null | ((...a: unknown[]) => boolean),
      headersHandler: null as null | ((d: unknown, cb: (r: unknown) => void) => void),
      setPermissionRequestHandler(h: (...a: unknown[]) => void) {
        this.requestHandler = h;
      },
      setPermissionCheckHandler(h: (...a: unknown[]) => boolean) {
        this.checkHandler = h;
      },
      webRequest: {
        onHeadersReceived(h: (d: unknown, cb: (r: unknown) => void) => void) {
          electron.session.defaultSession.headersHandler = h;
        },
      },
    },
  },
  protocol: {
    handlers: new Map<string, (r: { url: string }) => Promise<Response>>(),
    registerSchemesAsPrivileged: vi.fn(),
    handle(scheme: string, h: (r: { url: string }) => Promise<Response>) {
      this.handlers.set(scheme, h);
    },
  },
  utilityProcess: {
    fork: vi.fn(() => {
      const link = forkNodeHost();
      const child = Object.assign(new EventEmitter(), {
        messages: [] as unknown[],
        postMessage: (m: unknown) => {
          child.messages.push(m);
          link.send(m as never);
        },
        kill: () => link.kill(),
      });
      link.onMessage((m) => child.emit('message', m));
      link.onExit((why) => child.emit('exit', why === 'exit code 0' ? 0 : 1));
      forkedChildren.push(child);
      return child;
    }),
  },
  net: { online: true, isOnline: () => electron.net.online },
  powerSaveBlocker: { start: vi.fn(() => 7), stop: vi.fn(), isStarted: () => true },
  safeStorage: {
    isEncryptionAvailable: () => true,
    encryptString: (s: string) => Buffer.from(`sealed:${s}`),
    decryptString: (b: Buffer) => {
      const s = b.toString();
      if (!s.startsWith('sealed:')) throw new Error('cannot decrypt');
      return s.slice('sealed:'.length);
    },
  },
  dialog: {
    showErrorBox: vi.fn(),
    /** Answers the first button unless a test says otherwise. */
    showMessageBox: vi.fn(async (_options: Electron.MessageBoxOptions) => ({ response: 0, checkboxChecked: false })),
  },
  Menu: { setApplicationMenu: vi.fn() },
  Notification: FakeNotification,
};
