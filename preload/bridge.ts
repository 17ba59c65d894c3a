/**
 * What the Electron preload exposes to the page, written against a minimal view of `ipcRenderer` so it is tested
 * without Electron: `invoke(channel, request)` for the channels a screen may call (core/api.ts), `on(event,
 * listener)` for the station's events (core/events.ts). Any other channel is refused here, before it reaches the
 * main process; events are validated before the page sees them; the page never gets an IPC event object.
 */
import { screenChannels, type ScreenBridge } from '../core/api';
import { parseStationEvent, stationEventTypes } from '../core/events';

export const CALL = 'lanyard:call';
export const EVENT = 'lanyard:event';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type LanyardBridge = ScreenBridge;

const allowed: ReadonlySet<string> = new Set(screenChannels);
const events: ReadonlySet<string> = new Set(stationEventTypes);

export function createBridge(ipc: IpcRendererLike): LanyardBridge {
  return {
    async invoke(channel, request) {
      if (typeof channel !== 'string' || !allowed.has(channel)) {
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: `"${String(channel).slice(0, 80)}" is not a command this screen may use.`,
          },
        };
      }
      // Structured clone is what crosses anyway; anything it cannot carry (functions, DOM nodes) fails here.
      try {
        return (await ipc.invoke(CALL, channel, request)) as Awaited<ReturnType<ScreenBridge['invoke']>>;
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'invalid_input',
            message: `The request could not be sent: ${e instanceof Error ? e.message : String(e)}`,
          },
        };
      }
    },
    on(event, listener) {
      if (typeof event !== 'string' || !events.has(event))
        throw new TypeError(`Unknown station event "${String(event).slice(0, 80)}".`);
      if (typeof listener !== 'function') throw new TypeError('on(event, listener) needs a function.');
      const f = (_e: unknown, raw: unknown) => {
        const e = parseStationEvent(raw);
        if (e && e.type === event) listener(e);
      };
      ipc.on(EVENT, f);
      return () => void ipc.removeListener(EVENT, f);
    },
  };
}
