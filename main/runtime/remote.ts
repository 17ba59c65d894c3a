/**
 * The shell's side of a hosted station (host.ts): calls go over the pipe with an id, results and events come back.
 * It offers what an in-process station offers the shells (`StationEndpoint`), so the WebSocket server and the
 * Electron bridge do not know where the station runs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Subject, type Observable } from 'rxjs';
import type { Caller } from '../../core/access';
import type { StationSettings } from '../../core/api';
import type { StationEvent } from '../../core/events';
import { err, type Result } from '../../core/result';
import type { SendResult } from '../printing/transport';
import type { RestoreReport } from '../station/backups';
import type { StationEndpoint } from '../station/create-station';
import type { RuntimeConfig } from './config';
import type { FromHost, Port, ToHost } from './host-protocol';
import { stationHostV8Flags } from './host-flags';

export interface HostedStation extends StationEndpoint {
  readonly settings: StationSettings;
  setOsOnline(online: boolean): void;
  /** Stops the station (bounded: the process is killed if it does not stop in time). */
  stop(): Promise<void>;
  /** Resolves when the host process has gone, for whatever reason, with why. */
  readonly exited: Promise<string>;
}

export interface HostLink extends Port<ToHost, FromHost> {
  onExit(listener: (why: string) => void): void;
  kill(): void;
}

export interface HostOptions {
  healthPollMs?: number;
  log?: (line: string) => void;
  /** Prints a picture on an operating-system printer (the desktop app); without it such jobs fail. */
  printSystem?: (job: { printer: string; png: Uint8Array; widthDots: number; dpi: number }) => Promise<SendResult>;
  /** Seals a connection string the console saves (the desktop app's safeStorage); without it it is kept as given. */
  sealSecret?: (plain: string) => { encrypted: string };
  /** How long a stop may take before the process is killed. */
  stopTimeoutMs?: number;
  /** How long the station may take to start (a first run imports the demo conference). */
  startTimeoutMs?: number;
}

export function connectHost(link: HostLink, config: RuntimeConfig, o: HostOptions = {}): Promise<HostedStation> {
  const log = o.log ?? (() => {});
  const events = new Subject<StationEvent>();
  const pending = new Map<number, (r: Result<unknown>) => void>();
  let nextId = 1;
  let gone: string | null = null;
  let resolveExited!: (why: string) => void;
  const exited = new Promise<string>((r) => (resolveExited = r));

  return new Promise<HostedStation>((resolve, reject) => {
    const startTimer = setTimeout(() => {
      reject(new Error(`the station did not start within ${(o.startTimeoutMs ?? 120_000) / 1000} s`));
      link.kill();
    }, o.startTimeoutMs ?? 120_000);
    link.onExit((why) => {
      gone = why;
      clearTimeout(startTimer);
      for (const [, f] of pending)
        f({ ok: false, error: { code: 'internal', message: `The station stopped (${why}); nothing more was saved.` } });
      pending.clear();
      events.complete();
      reject(new Error(`the station stopped before it was ready (${why})`));
      resolveExited(why);
    });
    link.onMessage((m) => {
      switch (m.t) {
        case 'ready': {
          clearTimeout(startTimer);
          resolve(hosted(m.settings));
          return;
        }
        case 'failed':
          clearTimeout(startTimer);
          reject(new Error(m.message));
          return;
        case 'result':
          pending.get(m.id)?.(m.result);
          pending.delete(m.id);
          return;
        case 'event':
          events.next(m.event);
          return;
        case 'log':
          log(m.line);
          return;
        case 'print': {
          const job = { printer: m.printer, png: m.png, widthDots: m.widthDots, dpi: m.dpi };
          const printed = o.printSystem
            ? o.printSystem(job).catch((e: unknown): SendResult => ({
                outcome: 'uncertain',
                words: `the print system failed: ${String(e)}`,
                before: null,
                after: null,
              }))
            : Promise.resolve<SendResult>({
                outcome: 'failed',
                words: 'only the desktop app can print to operating-system printers',
                before: null,
                after: null,
              });
          void printed.then((result) => gone === null && link.send({ t: 'printed', id: m.id, result }));
          return;
        }
        case 'seal': {
          let answer: ToHost;
          try {
            answer = { t: 'sealed', id: m.id, encrypted: o.sealSecret!(m.plain).encrypted, error: null };
          } catch (e) {
            answer = { t: 'sealed', id: m.id, encrypted: null, error: e instanceof Error ? e.message : String(e) };
          }
          if (gone === null) link.send(answer);
          return;
        }
        case 'stopped':
        case 'restored':
          return;
      }
    });
    link.send({
      t: 'start',
      config,
      ...(o.healthPollMs !== undefined ? { healthPollMs: o.healthPollMs } : {}),
      ...(o.sealSecret ? { sealSecrets: true } : {}),
    });
  });

  function hosted(settings: StationSettings): HostedStation {
    let stopping: Promise<void> | null = null;
    return {
      settings,
      events$: events.asObservable() as Observable<StationEvent>,
      callUnknown(caller: Caller, channel: unknown, request: unknown): Promise<Result<unknown>> {
        if (gone !== null)
          return Promise.resolve({ ok: false, error: { code: 'internal', message: `The station stopped (${gone}).` } });
        const id = nextId++;
        return new Promise((resolve) => {
          pending.set(id, resolve);
          link.send({ t: 'call', id, caller, channel, request });
        });
      },
      setOsOnline: (online) => gone === null && link.send({ t: 'osOnline', online }),
      exited,
      stop: () =>
        (stopping ??= (async () => {
          if (gone !== null) return;
          link.send({ t: 'stop' });
          const timer = setTimeout(() => link.kill(), o.stopTimeoutMs ?? 15_000);
          await exited;
          clearTimeout(timer);
        })()),
    };
  }
}

const hostModule = fileURLToPath(new URL('./host.ts', import.meta.url));

/**
 * The TypeScript loader the child needs: this process's own when it runs under tsx (`npm run start:web`), else
 * tsx's (a test runner that compiles in-process).
 */
function loaderArgs(): string[] {
  const own = process.execArgv.filter(
    (a, i, all) => a.includes('tsx') || (a.startsWith('--') && (all[i + 1] ?? '').includes('tsx')),
  );
  if (own.some((a) => a.includes('tsx'))) return own;
  return ['--import', import.meta.resolve('tsx')];
}

/** Forks the host as a Node child process (the browser mode). */
/**
 * Restores the configured station's database from a backup in a host process of its own (the station's code and
 * SQLite stay out of the shell), and resolves with the host's answer. The station must not be running.
 */
export function restoreWithHost(
  link: HostLink,
  config: RuntimeConfig,
  from: string,
  at: string,
  log: (line: string) => void = () => {},
): Promise<Result<RestoreReport>> {
  return new Promise((resolve) => {
    let answered = false;
    link.onMessage((m) => {
      if (m.t === 'log') log(m.line);
      if (m.t !== 'restored') return;
      answered = true;
      resolve(m.result);
    });
    link.onExit((why) => {
      if (!answered)
        resolve(err('internal', `The restore stopped before it answered (${why}); see the station's log.`));
    });
    link.send({ t: 'restore', config, from, at });
  });
}

export function forkNodeHost(env: NodeJS.ProcessEnv = process.env): HostLink {
  const child: ChildProcess = fork(hostModule, ['--lanyard-station-host'], {
    serialization: 'advanced',
    env,
    execArgv: [...stationHostV8Flags, ...loaderArgs()],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exitListeners: ((why: string) => void)[] = [];
  let exitWhy: string | null = null;
  child.on('exit', (code, signal) => {
    exitWhy = signal ? `killed by ${signal}` : `exit code ${code}`;
    for (const f of exitListeners) f(exitWhy);
  });
  child.on('error', (e) => {
    if (exitWhy === null) log(`station host: ${e.message}`);
  });
  const log = (l: string) => process.stderr.write(`${l}\n`);
  return {
    send: (m) => {
      if (child.connected) child.send(m);
    },
    onMessage: (f) => child.on('message', (m) => f(m as FromHost)),
    onExit: (f) => {
      if (exitWhy !== null) f(exitWhy);
      else exitListeners.push(f);
    },
    kill: () => child.kill('SIGKILL'),
  };
}
