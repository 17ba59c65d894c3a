/**
 * HQ's health endpoint: `GET /health` on 127.0.0.1 only (a process supervisor, Docker's HEALTHCHECK or an operator
 * on the machine asks; nothing from the network can), answering JSON:
 *
 *   up               the process answers and its database reads
 *   lastEventApplied per origin: the last seq applied in order, when, and when HQ last heard from it
 *   lag              events parked behind a gap (per origin: how many, which seq they wait for, since when), station
 *                    events received but not yet committed, and the feed outbox not yet published (depth, oldest)
 *   bus              counters and the last bus error (key redacted)
 *
 * A database that cannot be read answers 503 with `up: false`. Anything but GET/HEAD /health is refused.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HqDb } from './store/db';
import {
  originProgress,
  parkedByOrigin,
  unsentFeedSummary,
  type OriginProgress,
  type ParkedSummary,
} from './store/health-store';

export interface HealthReport {
  up: true;
  service: 'lanyard-hq';
  now: string;
  startedAt: string;
  uptimeSeconds: number;
  lastEventApplied: { at: string | null; byOrigin: OriginProgress[] };
  lag: {
    parked: { count: number; oldestParkedAt: string | null; byOrigin: ParkedSummary[] };
    /** Station events taken from the bus and waiting for their transaction. */
    receivedNotCommitted: number;
    feedOutbox: { unsent: number; oldestCreatedAt: string | null; oldestAgeSeconds: number | null };
  };
  bus: { received: number; applied: number; deadLettered: number; published: number; lastError: string | null };
}

export interface HealthSource {
  db: HqDb;
  startedAt: number;
  now: () => number;
  pending: () => number;
  stats: () => { received: number; applied: number; deadLettered: number; published: number; lastError: string | null };
}

export async function healthReport(src: HealthSource): Promise<HealthReport> {
  const [origins, parked, feed] = await Promise.all([
    originProgress(src.db),
    parkedByOrigin(src.db),
    unsentFeedSummary(src.db),
  ]);
  const now = src.now();
  const latest =
    origins
      .map((o) => o.appliedAt)
      .filter((a): a is string => a !== null)
      .sort()
      .at(-1) ?? null;
  const s = src.stats();
  return {
    up: true,
    service: 'lanyard-hq',
    now: new Date(now).toISOString(),
    startedAt: new Date(src.startedAt).toISOString(),
    uptimeSeconds: Math.max(0, Math.round((now - src.startedAt) / 1000)),
    lastEventApplied: { at: latest, byOrigin: origins },
    lag: {
      parked: {
        count: parked.reduce((n, p) => n + p.count, 0),
        oldestParkedAt: parked.map((p) => p.oldestParkedAt).sort()[0] ?? null,
        byOrigin: parked,
      },
      receivedNotCommitted: src.pending(),
      feedOutbox: {
        ...feed,
        oldestAgeSeconds: feed.oldestCreatedAt
          ? Math.max(0, Math.round((now - Date.parse(feed.oldestCreatedAt)) / 1000))
          : null,
      },
    },
    bus: {
      received: s.received,
      applied: s.applied,
      deadLettered: s.deadLettered,
      published: s.published,
      lastError: s.lastError,
    },
  };
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0: any free port). Rejects if the port is taken. */
export async function startHealthServer(port: number, report: () => Promise<HealthReport>): Promise<HealthServer> {
  const send = (
    res: ServerResponse,
    status: number,
    body: unknown,
    head = false,
    extra: Record<string, string> = {},
  ) => {
    const text = `${JSON.stringify(body, null, 2)}\n`;
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
      ...extra,
    });
    res.end(head ? undefined : text);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/health') return send(res, 404, { error: 'not found: the health endpoint is GET /health' });
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, { error: `${req.method} not allowed` }, false, { allow: 'GET, HEAD' });
    report().then(
      (r) => send(res, 200, r, req.method === 'HEAD'),
      (e: unknown) =>
        send(
          res,
          503,
          {
            up: false,
            service: 'lanyard-hq',
            error: `the ledger cannot be read: ${e instanceof Error ? e.message : String(e)}`,
          },
          req.method === 'HEAD',
        ),
    );
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
