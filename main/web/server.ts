/**
 * The browser mode (DESIGN §12): the built renderer over HTTP and the station's contract over a WebSocket, on the
 * loopback interface only, with a token made for this run. It is the Electron main process's analogue: one screen
 * per connection, each with its own staff session; the station runs in its own process behind it.
 *
 * Refused: a Host header other than this server's (DNS rebinding), a WebSocket from another origin, without the
 * token or with a wrong one. Every message is `{id, channel, request}` → `{id, result}`; events arrive as
 * `{event}`, only those the station's mode hears.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { StationMode } from '../../core/access';
import { hears } from '../../core/events';
import type { Result } from '../../core/result';
import { openConnection } from '../runtime/connection';
import type { StationEndpoint } from '../station/create-station';

export interface WebServerOptions {
  endpoint: StationEndpoint;
  mode: StationMode;
  /** A staff session ends after this long without a call. */
  idleMs: number;
  /** The built renderer (renderer/dist). */
  rendererDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Default: 32 random bytes, new every run. */
  token?: string;
  log?: (line: string) => void;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** What to open in a browser: the page, with the token in the fragment (never sent to a server). */
  readonly url: string;
  connections(): number;
  close(): Promise<void>;
}

/** Largest message a screen may send (a CSV import from the supervisor's screen). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "font-src 'self'",
    `connect-src ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self' blob:",
  ].join('; ');
}

export async function startWebServer(o: WebServerOptions): Promise<WebServer> {
  const log = o.log ?? (() => {});
  const token = o.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const root = normalize(o.rendererDir);
  let port = 0;
  const hosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const headers = () => ({
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy':
      o.mode === 'door' ? 'camera=(self), microphone=(), geolocation=()' : 'camera=(), microphone=(), geolocation=()',
  });

  const http = createServer((req, res) => void serveFile(req, res));
  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hosts().has(req.headers.host ?? '')) return end(res, 421, 'wrong host');
    if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'method not allowed');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return end(res, 400, 'bad path');
    }
    if (path.includes('\0')) return end(res, 400, 'bad path');
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return end(res, 404, 'not found');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        ...headers(),
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      end(res, 404, 'not found');
    }
  }
  function end(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(text);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, why: string) => {
      log(`refused a WebSocket: ${why}`);
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
      );
      socket.destroy();
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return refuse(403, 'bad URL');
    }
    if (url.pathname !== '/station') return refuse(403, `path ${url.pathname.slice(0, 60)}`);
    if (!hosts().has(req.headers.host ?? '')) return refuse(403, `host ${String(req.headers.host).slice(0, 60)}`);
    if (!origins().has(req.headers.origin ?? ''))
      return refuse(403, `origin ${String(req.headers.origin).slice(0, 60)}`);
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== tokenBytes.length || !timingSafeEqual(given, tokenBytes))
      return refuse(401, 'missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });

  function accept(ws: WebSocket): void {
    sockets.add(ws);
    const connection = openConnection(o.endpoint, { transport: 'ws', mode: o.mode, idleMs: o.idleMs });
    const send = (m: unknown) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const events = o.endpoint.events$.subscribe((event) => {
      if (hears(o.mode, event)) send({ event });
    });
    ws.on('message', (data, isBinary) => {
      const m = parseMessage(isBinary ? null : data.toString());
      if ('error' in m) return send({ id: m.id, result: m.error });
      void connection.call(m.channel, m.request).then((result) => send({ id: m.id, result }));
    });
    ws.on('close', () => {
      sockets.delete(ws);
      events.unsubscribe();
      connection.close();
    });
    ws.on('error', () => ws.terminate());
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (http.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    connections: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },
  };
}

type Parsed = { id: number; channel: unknown; request: unknown } | { id: number | null; error: Result<never> };

/** A message from a screen: `{id, channel, request}`; anything else gets a typed error (with its id when it had one). */
export function parseMessage(text: string | null): Parsed {
  const bad = (id: number | null, message: string): Parsed => ({
    id,
    error: { ok: false, error: { code: 'invalid_input', message } },
  });
  if (text === null) return bad(null, 'Messages are JSON text.');
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return bad(null, 'The message is not valid JSON.');
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m))
    return bad(null, 'A message is an object {id, channel, request}.');
  const { id, channel, request } = m as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
    return bad(null, 'A message needs a whole-number id.');
  if (typeof channel !== 'string') return bad(id, 'A message needs a channel name.');
  return { id, channel, request };
}
