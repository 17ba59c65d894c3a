/**
 * IPC between the app's windows and the station: sender first, then the caller's rights and the payload (the
 * station's boundary validates both against the contract before any handler runs). A message from a web contents
 * that is not one of the app's windows, or from a frame that is not its main frame on the app's own page, is
 * refused — whatever it asks.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { StationMode } from '../../core/access';
import { hears, type StationEvent } from '../../core/events';
import type { Result } from '../../core/result';
import { openConnection, type Connection } from '../runtime/connection';
import type { StationEndpoint } from '../station/create-station';
import { isAppUrl, type Log } from './security';

export const CALL = 'lanyard:call';
export const EVENT = 'lanyard:event';

export interface StationIpc {
  /** A window of the app: its calls are answered, the events its mode hears are sent to it. */
  attach(contents: WebContents): void;
  /** The station's events, to every attached window whose mode hears them. */
  broadcast(event: StationEvent): void;
  dispose(): void;
}

export function serveIpc(
  ipcMain: IpcMain,
  endpoint: Pick<StationEndpoint, 'callUnknown'>,
  o: { mode: StationMode; idleMs: number; log: Log },
): StationIpc {
  const windows = new Map<number, { contents: WebContents; connection: Connection }>();

  const refuse = (why: string): Result<never> => ({ ok: false, error: { code: 'forbidden', message: why } });

  ipcMain.handle(CALL, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown) => {
    const w = windows.get(event.sender.id);
    if (!w || w.contents !== event.sender) {
      o.log(`refused a call from a web contents that is not a Lanyard window (${String(channel).slice(0, 60)})`);
      return refuse('Not a Lanyard window.');
    }
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url)) {
      o.log(`refused a call from a frame outside the app (${frame?.url?.slice(0, 120) ?? 'gone'})`);
      return refuse('Not the Lanyard page.');
    }
    return w.connection.call(channel, request);
  });

  return {
    attach(contents) {
      const connection = openConnection(endpoint, { transport: 'ipc', mode: o.mode, idleMs: o.idleMs });
      windows.set(contents.id, { contents, connection });
      contents.once('destroyed', () => {
        connection.close();
        windows.delete(contents.id);
      });
    },
    broadcast(event) {
      if (!hears(o.mode, event)) return;
      for (const { contents } of windows.values()) if (!contents.isDestroyed()) contents.send(EVENT, event);
    },
    dispose() {
      ipcMain.removeHandler(CALL);
      for (const { connection } of windows.values()) connection.close();
      windows.clear();
    },
  };
}
