/** The desktop app: the preload's `window.lanyard` (only screen channels, validated events). */
import type { ScreenBridge } from '../../core/api';
import { stationEventTypes, type StationEvent } from '../../core/events';
import type { Transport } from './transport';

export function ipcTransport(bridge: ScreenBridge): Transport {
  return {
    call: (channel, request) => bridge.invoke(channel, request),
    listen(listener: (e: StationEvent) => void) {
      const offs = stationEventTypes.map((t) => bridge.on(t, listener));
      return () => offs.forEach((off) => off());
    },
    // IPC to the main process does not drop; the station behind it reports its own state.
    linkState: () => 'open',
    onLinkState: () => () => {},
  };
}
