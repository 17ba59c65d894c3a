/**
 * Debian's Chromium and a station's WebSocket, for the browser tests (tests/e2e) and the screens' benchmarks (bench/):
 * one way to launch the browser and one client for the socket the renderer talks to.
 */
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';

/** Chromium with a fresh profile (playwright makes a temporary user-data-dir) and nothing running in the background. */
export async function launchBrowser(cameraFile?: string): Promise<Browser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ];
  if (cameraFile)
    args.push(
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${cameraFile}`,
    );
  return chromium.launch({ executablePath: '/usr/bin/chromium', args, timeout: 60_000 });
}

export interface StationSocket {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(channel: string, request: unknown): Promise<{ ok: boolean; value?: any; error?: any }>;
  close(): void;
}

/** A screen's-eye client over the station's WebSocket (to set the stage without clicking, or to time the transport). */
export async function stationSocket(s: { port: number; token: string }): Promise<StationSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/station?token=${encodeURIComponent(s.token)}`, {
    origin: `http://127.0.0.1:${s.port}`,
  });
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  let id = 0;
  return {
    call(channel, request) {
      const mine = ++id;
      return new Promise((resolve) => {
        const f = (d: WebSocket.RawData) => {
          const m = JSON.parse(d.toString());
          if (m.id !== mine) return;
          ws.off('message', f);
          resolve(m.result);
        };
        ws.on('message', f);
        ws.send(JSON.stringify({ id: mine, channel, request }));
      });
    },
    close: () => ws.close(),
  };
}

/** The port and token of a station's address as `runWeb` prints it (http://127.0.0.1:PORT/#token=TOKEN). */
export function socketOf(url: string): { port: number; token: string } {
  const u = new URL(url);
  return { port: Number(u.port), token: decodeURIComponent(u.hash.replace('#token=', '')) };
}
