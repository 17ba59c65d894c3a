/**
 * The station in its own process. Electron's main process is also the browser's UI thread, and the browser mode's
 * server answers every screen: a 50,000-row import or a badge render inside a write transaction would freeze
 * them (main/README.md has the figures). So the shell forks this host, which runs the runtime and answers
 * calls; the shell keeps the windows, the connections and their staff sessions.
 *
 * Run as a child: `fork(host.ts)` under Node (browser mode), `utilityProcess.fork(station-host.js)` in Electron.
 */
import { BehaviorSubject } from 'rxjs';
import { createTransport } from '../printing/create-transport';
import type { PrinterTransport, SendResult, TransportFactory } from '../printing/transport';
import { err } from '../../core/result';
import type { FromHost, Port, ToHost } from './host-protocol';
import { restoreRuntime, startRuntime, type Runtime } from './runtime';

export function serveHost(port: Port<FromHost, ToHost>, exit: (code: number) => void): void {
  let runtime: Runtime | null = null;
  let stopping = false;
  const osOnline$ = new BehaviorSubject(true);
  const printing = new Map<number, (r: SendResult) => void>();
  let nextPrint = 1;
  const log = (line: string) => port.send({ t: 'log', line });

  /** Operating-system printers: the picture goes to the shell, which prints it and says what happened. */
  const systemPrinter = (uri: string, widthDots: number, dpi: number): PrinterTransport => ({
    description: `system ${uri}`,
    status: async () => ({
      state: 'unknown',
      words: 'the operating system does not report this printer’s paper or cover',
      paperLow: false,
    }),
    send: async (job, beginSending) => {
      if (!(await beginSending()))
        return { outcome: 'failed', words: 'cancelled before sending', before: null, after: null };
      const id = nextPrint++;
      return new Promise<SendResult>((resolve) => {
        printing.set(id, resolve);
        port.send({ t: 'print', id, printer: uri, png: job, widthDots, dpi });
      });
    },
  });
  const transportFor: TransportFactory = (p) =>
    p.transport.kind === 'system' ? systemPrinter(p.uri, p.media.widthDots, p.media.dpi) : createTransport(p);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const [, resolve] of printing)
      resolve({
        outcome: 'uncertain',
        words: 'the station stopped while the job was printing',
        before: null,
        after: null,
      });
    printing.clear();
    await runtime?.stop().catch((e: unknown) => log(`stop: ${String(e)}`));
    port.send({ t: 'stopped' });
    exit(0);
  };

  port.onMessage((m) => {
    switch (m.t) {
      case 'start':
        if (runtime) return;
        startRuntime(m.config, {
          osOnline$,
          transportFor,
          log,
          ...(m.healthPollMs !== undefined ? { healthPollMs: m.healthPollMs } : {}),
        })
          .then(async (r) => {
            runtime = r;
            r.station.events$.subscribe((event) => port.send({ t: 'event', event }));
            const settings = await r.station.call('station.settings', {});
            if (!settings.ok) throw new Error(settings.error.message);
            port.send({ t: 'ready', settings: settings.value });
          })
          .catch((e: unknown) => {
            port.send({ t: 'failed', message: e instanceof Error ? e.message : String(e) });
            exit(1);
          });
        return;
      case 'restore':
        if (runtime) return;
        restoreRuntime(m.config, m.from, m.at)
          .catch((e: unknown) => err('internal', e instanceof Error ? e.message : String(e)))
          .then((result) => {
            port.send({ t: 'restored', result });
            exit(result.ok ? 0 : 1);
          });
        return;
      case 'call': {
        if (!runtime || stopping) {
          port.send({
            t: 'result',
            id: m.id,
            result: { ok: false, error: { code: 'internal', message: 'The station is not running.' } },
          });
          return;
        }
        void runtime.station
          .callUnknown(m.caller, m.channel, m.request)
          .then((result) => port.send({ t: 'result', id: m.id, result }));
        return;
      }
      case 'osOnline':
        osOnline$.next(m.online);
        return;
      case 'printed':
        printing.get(m.id)?.(m.result);
        printing.delete(m.id);
        return;
      case 'stop':
        void stop();
        return;
    }
  });
}

// As a Node child process (browser mode): the parent's IPC channel is the port.
if (process.send && process.argv.includes('--lanyard-station-host')) {
  let onParent: ((m: ToHost) => void) | null = null;
  serveHost(
    {
      send: (m) => {
        if (process.connected) process.send!(m);
      },
      onMessage: (f) => {
        onParent = f;
        process.on('message', (m) => f(m as ToHost));
      },
    },
    (code) => {
      process.exitCode = code;
      if (process.connected) process.disconnect();
    },
  );
  // The parent is gone (killed, crashed): stop cleanly rather than linger.
  process.on('disconnect', () => onParent?.({ t: 'stop' }));
}
