/**
 * The browser mode's server: loopback only, the renderer's files with a CSP, and the contract over a WebSocket that
 * refuses other origins, a missing or wrong token, and a foreign Host; every malformed message gets a typed error
 * and writes nothing (a seeded random barrage, checked with a database digest).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Station } from '../../main/station/create-station';
import { parseMessage, startWebServer, type WebServer } from '../../main/web/server';
import { dbDigest } from '../support/db-snapshot';
import { FakeClock, must, openStation, smallConference, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let s: Station;
let server: WebServer;
const db = () => join(t.dir, 'desk-a.db');

beforeAll(async () => {
  t = tempDir();
  const dist = join(t.dir, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Lanyard</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'export {}');
  writeFileSync(join(t.dir, 'secret.txt'), 'top secret');
  s = await openStation(t.dir, { clock: new FakeClock(), mode: 'kiosk', printers: [`folder:${t.dir}/prints`] });
  must(await s.call('conference.import', { data: smallConference() }));
  server = await startWebServer({ endpoint: s, mode: 'kiosk', idleMs: 60_000, rendererDir: dist });
});
afterAll(async () => {
  await server.close();
  await s.close();
  t.cleanup();
});

function get(
  path: string,
  host = `127.0.0.1:${server.port}`,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(o: { origin?: string; token?: string | null; host?: string } = {}): Promise<WebSocket> {
  const token = o.token === undefined ? server.token : o.token;
  const ws = new WebSocket(
    `ws://127.0.0.1:${server.port}/station${token === null ? '' : `?token=${encodeURIComponent(token)}`}`,
    {
      origin: o.origin ?? `http://127.0.0.1:${server.port}`,
      ...(o.host ? { headers: { host: o.host } } : {}),
    },
  );
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

let nextId = 1;
function ask(
  ws: WebSocket,
  channel: unknown,
  req: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const f = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { id?: number; result?: never };
      if (m.id === id) {
        ws.off('message', f);
        resolve(m.result!);
      }
    };
    ws.on('message', f);
    ws.send(JSON.stringify({ id, channel, request: req }));
  });
}

describe('serving the screens', () => {
  it('listens on the loopback interface only, with a per-run token in the address to open', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(40);
  });

  it('serves the renderer with a strict CSP, and nothing outside it', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain(`connect-src ws://127.0.0.1:${server.port}`);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await get('/assets/app.js')).status).toBe(200);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const r = await get(p);
      expect(r.status, p).not.toBe(200);
      expect(r.body).not.toContain('top secret');
    }
  });

  it('refuses a foreign Host (DNS rebinding)', async () => {
    expect((await get('/', 'evil.example')).status).toBe(421);
    await expect(connect({ host: 'evil.example' })).rejects.toThrow(/403/);
  });
});

describe('the WebSocket', () => {
  it.each([
    ['another origin', { origin: 'http://evil.example' }, /403/],
    ['no origin match (other port)', { origin: 'http://127.0.0.1:1' }, /403/],
    ['a missing token', { token: null }, /401/],
    ['a wrong token', { token: 'x'.repeat(43) }, /401/],
    ['a token of another length', { token: 'short' }, /401/],
  ] as const)('refuses %s', async (_what, o, status) => {
    await expect(connect(o)).rejects.toThrow(status);
  });

  it('answers the contract as this station’s mode, with typed errors for malformed messages', async () => {
    const ws = await connect();
    expect(await ask(ws, 'registrant.search', { query: 'jose' })).toMatchObject({
      ok: true,
      value: [{ id: 'r1', email: 'j•••@example.com' }],
    });
    expect(await ask(ws, 'sale.sell', { sessionId: 'panel', registrantId: 'r2' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await ask(ws, 'feed.apply', { envelope: {} })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    ws.send('not json');
    ws.send(JSON.stringify([1, 2]));
    ws.send(JSON.stringify({ id: 'x', channel: 'station.status' }));
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await vi.waitFor(() => expect(replies).toHaveLength(4), { timeout: 5000 });
    for (const r of replies)
      expect(r).toMatchObject({ id: null, result: { ok: false, error: { code: 'invalid_input' } } });
    ws.close();
  });

  it('pushes only the events a kiosk hears', async () => {
    const ws = await connect();
    const got: { event?: { type: string } }[] = [];
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    await new Promise((r) => setTimeout(r, 50));
    must(await s.call('staff.add', { id: 'sup', name: 'Sam', role: 'supervisor', pin: '2468' }));
    must(
      await s.callAs({ transport: 'internal', mode: 'desk', session: null }, 'sale.sell', {
        sessionId: 'workshop',
        registrantId: 'r2',
        override: { supervisorId: 'sup', pin: '2468' },
      }),
    );
    await vi.waitFor(() => expect(got.map((m) => m.event?.type)).toContain('outbox.appended'), { timeout: 5000 });
    const types = got.map((m) => m.event?.type);
    expect(types).not.toContain('availability.changed');
    expect(types).not.toContain('sale.decided');
    ws.close();
  });

  it('random junk over the socket: never internal, never a write', async () => {
    const ws = await connect();
    let seed = 20261203;
    const r = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const names = [
      'registrant.search',
      'registrant.get',
      'badge.print',
      'badge.preview',
      'print.confirm',
      'staff.signIn',
      'sale.sell',
      'conference.import',
      'station.status',
      'nope',
      '__proto__',
    ];
    const values = [
      null,
      0,
      -1,
      1e308,
      '',
      'r1',
      'x'.repeat(2000),
      [],
      {},
      { $gt: 1 },
      true,
      "'; DROP TABLE registrant;--",
    ];
    const before = dbDigest(db());
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const req: Record<string, unknown> = {};
      for (const k of [
        'id',
        'registrantId',
        'query',
        'printer',
        'reason',
        'jobId',
        'printed',
        'staffId',
        'pin',
        'limit',
        'data',
      ])
        if (r() < 0.3) req[k] = values[Math.floor(r() * values.length)];
      const res = await ask(
        ws,
        names[Math.floor(r() * names.length)],
        r() < 0.1 ? values[Math.floor(r() * values.length)] : req,
      );
      if (!res.ok) {
        errors++;
        expect(res.error!.code).not.toBe('internal');
      }
    }
    expect(errors).toBeGreaterThan(200);
    expect(dbDigest(db())).toBe(before);
    ws.close();
  });
});

describe('messages', () => {
  it.each([
    [null, null],
    ['{', null],
    ['"x"', null],
    ['{"id":-1,"channel":"a"}', null],
    ['{"id":1.5,"channel":"a"}', null],
    ['{"id":3,"channel":5}', 3],
  ])('%j is refused with id %j', (text, id) => {
    const m = parseMessage(text);
    expect(m).toMatchObject({ id, error: { ok: false, error: { code: 'invalid_input' } } });
  });
});
