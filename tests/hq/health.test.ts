/**
 * HQ's health endpoint over real HTTP on 127.0.0.1, with HQ on the emulator and a station played with the raw SDK:
 * what was applied per origin, what waits behind a gap, and the feed outbox that cannot be published while the bus is
 * down. Off unless configured; a taken port fails HQ's start with a clear message.
 */
import { createServer } from 'node:net';
import type { ServiceBusClient } from '@azure/service-bus';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHealthServer, type HealthReport } from '../../hq/health';
import type { HqService } from '../../hq/service';
import type { RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startBus, waitFor } from '../support/bus';
import { smallConference, tempDir } from '../support/fixtures';
import { busClient, rawStation, startTestHq } from './support';

let t: ReturnType<typeof tempDir>;
let bus: RunningEmulator;
let client: ServiceBusClient;
let hq: HqService | null;

beforeEach(async () => {
  t = tempDir('lanyard-health-');
  bus = await startBus(['desk-a']);
  client = busClient(bus.connectionString);
  hq = null;
});
afterEach(async () => {
  await hq?.stop();
  await client.close();
  await bus.stop();
  t.cleanup();
});

const url = (path = '/health') => `http://127.0.0.1:${hq!.healthPort}${path}`;
async function health(): Promise<HealthReport> {
  const res = await fetch(url());
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as HealthReport;
}
const registered = (id: string) => ({
  registrant: {
    id,
    confirmationCode: `W-${id}`,
    firstName: 'Walk',
    lastName: 'Up',
    email: '',
    company: '',
    ticketTypeId: 'full',
    sessions: [],
  },
});

describe('HQ health endpoint', () => {
  it('reports up, the last event applied per origin, events parked behind a gap, and the feed outbox', async () => {
    const before = new Date().toISOString();
    hq = await startTestHq(t.dir, bus.connectionString, smallConference(), { healthPort: 0 });
    expect(hq.healthPort).toBeGreaterThan(0);
    await hq.idle();

    const fresh = await health();
    expect(fresh).toMatchObject({ up: true, service: 'lanyard-hq', lastEventApplied: { at: null, byOrigin: [] } });
    expect(fresh.lag).toMatchObject({
      parked: { count: 0, oldestParkedAt: null, byOrigin: [] },
      feedOutbox: { unsent: 0, oldestCreatedAt: null, oldestAgeSeconds: null },
    });
    expect(fresh.startedAt >= before).toBe(true);

    // seq 1 applied, seq 3 parked: seq 2 has not arrived.
    const a = rawStation(client, 'desk-a', 'conf-1');
    const e1 = a.event('RegistrantRegistered', registered('w1'));
    const e2 = a.event('RegistrantRegistered', registered('w2'));
    const e3 = a.event('RegistrantRegistered', registered('w3'));
    await a.send(e1, e3);
    await waitFor(async () => (await health()).lag.parked.count === 1, 10_000, 'seq 3 parked');
    const gap = await health();
    expect(gap.lastEventApplied.byOrigin).toEqual([
      { origin: 'station:desk-a', seq: 1, appliedAt: expect.any(String), lastHeardAt: expect.any(String) },
    ]);
    expect(gap.lastEventApplied.at).toBe(gap.lastEventApplied.byOrigin[0]!.appliedAt);
    expect(gap.lastEventApplied.at! >= before && gap.lastEventApplied.at! <= gap.now).toBe(true);
    expect(gap.lag.parked).toEqual({
      count: 1,
      oldestParkedAt: expect.any(String),
      byOrigin: [{ origin: 'station:desk-a', count: 1, waitingForSeq: 2, oldestParkedAt: expect.any(String) }],
    });
    expect(gap.bus.received).toBe(2);

    // The gap fills: both apply, nothing waits.
    await a.send(e2);
    await waitFor(async () => (await health()).lastEventApplied.byOrigin[0]?.seq === 3, 10_000, 'seq 3 applied');
    const filled = await health();
    expect(filled.lag.parked).toEqual({ count: 0, oldestParkedAt: null, byOrigin: [] });
    expect(filled.lastEventApplied.at! >= gap.lastEventApplied.at!).toBe(true);

    // The bus goes away: what HQ has to say piles up in its feed outbox, and the endpoint still answers.
    await hq.idle();
    await bus.stop();
    await hq.ledger.heartbeat();
    await hq.ledger.heartbeat();
    const down = await health();
    expect(down.up).toBe(true);
    expect(down.lag.feedOutbox.unsent).toBeGreaterThanOrEqual(2); // and HQ's own heartbeats, once a second here
    expect(down.lag.feedOutbox.oldestCreatedAt! <= down.now).toBe(true);
    expect(down.lag.feedOutbox.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('answers HEAD, and refuses other paths and methods', async () => {
    hq = await startTestHq(t.dir, bus.connectionString, smallConference(), { healthPort: 0 });
    const head = await fetch(url(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(url('/'))).status).toBe(404);
    expect((await fetch(url('/health/../admin'))).status).toBe(404);
    const post = await fetch(url(), { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    // Bound to 127.0.0.1 itself: Linux answers all of 127/8, so a server on 0.0.0.0 would take this one too.
    await expect(
      fetch(`http://127.0.0.2:${hq.healthPort}/health`, { signal: AbortSignal.timeout(2000) }),
    ).rejects.toThrow();
  });

  it('answers 503 with up: false when the ledger cannot be read', async () => {
    const server = await startHealthServer(0, () =>
      Promise.reject(new Error('SQLITE_CORRUPT: database disk image is malformed')),
    );
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        up: false,
        service: 'lanyard-hq',
        error: 'the ledger cannot be read: SQLITE_CORRUPT: database disk image is malformed',
      });
    } finally {
      await server.close();
    }
  });

  it('is off unless configured', async () => {
    hq = await startTestHq(t.dir, bus.connectionString, smallConference());
    expect(hq.healthPort).toBeNull();
  });

  it('fails HQ start with a clear message when the port is taken, and leaves nothing running', async () => {
    const squatter = createServer();
    await new Promise<void>((r) => squatter.listen(0, '127.0.0.1', r));
    const port = (squatter.address() as { port: number }).port;
    try {
      await expect(startTestHq(t.dir, bus.connectionString, smallConference(), { healthPort: port })).rejects.toThrow(
        new RegExp(`the health endpoint cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE`),
      );
      // Its database was closed: a second HQ opens it and starts.
      hq = await startTestHq(t.dir, bus.connectionString, smallConference(), { healthPort: 0 });
      expect((await health()).up).toBe(true);
    } finally {
      squatter.close();
    }
  });

  it('rejects a bad port in the configuration, naming the field', async () => {
    await expect(startTestHq(t.dir, bus.connectionString, smallConference(), { healthPort: 70000 })).rejects.toThrow(
      /invalid HQ configuration: healthPort/,
    );
  });
});
