/**
 * Entry of the utility process that hosts the station (bundled to dist/electron/station-host.mjs). It does not
 * import `electron`: the parent port is on `process`.
 */
import type { FromHost, ToHost } from '../runtime/host-protocol';
import { serveHost } from '../runtime/host';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort) {
  serveHost(
    {
      send: (m: FromHost) => parentPort.postMessage(m),
      onMessage: (f) => parentPort.on('message', (e) => f(e.data as ToHost)),
    },
    (code) => process.exit(code),
  );
}
