/**
 * The broker goes away under a flushing station (issue 4):
 *   - the emulator in durable mode, as a child process, is killed with SIGKILL in the middle of a flush of a few
 *     thousand outbox rows and restarted on the same port and data directory;
 *   - a link that flaps through the fault proxy (250 ms up / 250 ms down, LANYARD_SOAK_SECONDS, default 60) under
 *     continuous sales, with HQ publishing its feed all along.
 * Both must converge: the outbox ends fully sent, HQ sees every seq exactly once and in order, and every feed
 * message is applied once.
 */
import { BehaviorSubject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Station } from '../../main/station/create-station';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { startFaultProxy, type FaultProxy } from '../../tools/net-fault-proxy/proxy';
import { fakeHq, lanyardTopology, waitFor } from '../support/bus';
import { rawAll } from '../support/db-snapshot';
import { dayAt, must, openStation, smallConference, tempDir } from '../support/fixtures';
import { HqRecorder, kill9, sleep, startEmulatorProcess, strictlyIncreasing, type Child } from '../support/sync-faults';

const SOAK_SECONDS = Number(process.env.LANYARD_SOAK_SECONDS ?? 60);
const ME = 'station:desk-a';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function conference() {
  const c = smallConference();
  c.sessions.push({
    id: 'hall',
    title: 'Big hall',
    room: 'H',
    startsAt: dayAt('13:00'),
    endsAt: dayAt('14:00'),
    capacity: 100_000,
    sellable: true,
  });
  return c;
}

/** Desk work: a walk-up bought a hall seat (two events), or a check-in (one). The names differ by a digit only: not duplicates. */
async function deskWork(station: Station, n: number): Promise<void> {
  if (n % 4 === 0) {
    const r = must(
      await station.call('registrant.registerWalkUp', {
        firstName: 'Walk',
        lastName: `Up ${n}`,
        ticketTypeId: 'full',
        allowDuplicate: true,
      }),
    );
    must(await station.call('sale.sell', { sessionId: 'hall', registrantId: r.id }));
  } else {
    must(await station.call('checkin.record', { registrantId: 'r1' }));
  }
}

async function prepare(station: Station, feedGrant: ReturnType<typeof fakeHq>['feed']): Promise<void> {
  must(await station.call('conference.import', { data: conference() }));
  must(
    await station.call('feed.apply', {
      envelope: feedGrant('AllotmentGranted', {
        allotmentId: 'a-hall',
        requestId: null,
        station: ME,
        sessionId: 'hall',
        seats: 100_000,
      }),
    }),
  );
}

function ranges(xs: number[]): string {
  const out: string[] = [];
  let start = xs[0];
  for (let i = 1; i <= xs.length; i++) {
    if (i === xs.length || xs[i] !== xs[i - 1]! + 1) {
      out.push(`${start}-${xs[i - 1]}`);
      start = xs[i];
    }
  }
  return out.join(' ');
}

/** The outbox is fully sent and HQ has every row exactly once, in seq order. */
async function expectConverged(dbPath: string, hq: HqRecorder): Promise<number> {
  const outbox = rawAll<{ seq: number; id: string; sent_at: string | null }>(
    dbPath,
    'SELECT seq, id, sent_at FROM outbox_status ORDER BY seq',
  );
  expect(outbox.filter((r) => r.sent_at === null)).toEqual([]);
  expect(outbox.map((r) => r.seq)).toEqual(Array.from({ length: outbox.length }, (_, i) => i + 1));
  try {
    await waitFor(() => outbox.every((r) => hq.copies.has(r.id)), 30_000, 'HQ to receive every outbox row');
  } catch (e) {
    const missing = outbox.filter((r) => !hq.copies.has(r.id)).map((r) => r.seq);
    throw new Error(
      `${(e as Error).message}: ${missing.length} of ${outbox.length} missing, seqs ${missing.slice(0, 20).join(',')}...${missing.slice(-5).join(',')}; HQ has ${hq.copies.size}: ${ranges(hq.order.get(ME) ?? [])}`,
    );
  }
  expect(hq.duplicates()).toEqual([]);
  expect(new Set(hq.copies.keys())).toEqual(new Set(outbox.map((r) => r.id)));
  const order = hq.order.get(ME) ?? [];
  expect(order).toHaveLength(outbox.length);
  expect(strictlyIncreasing(order)).toBe(true);
  return outbox.length;
}

describe('broker restart and a flapping link', () => {
  it(
    'the durable emulator is SIGKILLed mid-flush of thousands of rows and restarted: no loss, no duplicates',
    { timeout: 120_000 },
    async () => {
      const t = tempDir('lanyard-brk-');
      cleanups.push(() => t.cleanup());
      let em: { child: Child; port: number; connectionString: string } = await startEmulatorProcess({
        dir: t.dir,
        stations: ['desk-a'],
      });
      cleanups.push(() => kill9(em.child));
      const dbPath = `${t.dir}/desk-a.db`;
      const os = new BehaviorSubject(false);
      const station = await openStation(t.dir, {
        sync: {
          connectionString: em.connectionString,
          retry: { initialMs: 50, maxMs: 500 },
          batchSize: 100,
          keepSeatsInHand: 0,
        },
        osOnline$: os,
      });
      cleanups.push(() => station.close());
      const hqFeed = fakeHq(em.connectionString);
      await prepare(station, hqFeed.feed);
      await hqFeed.close();

      // A few thousand rows written offline.
      for (let n = 0; n < 2400; n++) await deskWork(station, n);
      const backlog = must(await station.call('sync.status', {})).outbox.depth;
      expect(backlog).toBeGreaterThanOrEqual(3000);

      os.next(true);
      await waitFor(
        async () => must(await station.call('sync.status', {})).outbox.sentTotal >= 600,
        30_000,
        'the flush to be under way',
      );
      await kill9(em.child);
      const atKill = must(await station.call('sync.status', {}));
      expect(atKill.outbox.depth).toBeGreaterThan(0); // really in the middle of it

      // Desk work goes on while the broker is down.
      for (let n = 0; n < 40; n++) await deskWork(station, 10_000 + n);
      await sleep(300);
      em = await startEmulatorProcess({ dir: t.dir, stations: ['desk-a'], port: em.port });

      await waitFor(
        async () => must(await station.call('sync.status', {})).outbox.depth === 0,
        60_000,
        'the outbox to drain after the restart',
      );
      const hq = new HqRecorder(em.connectionString);
      cleanups.push(() => hq.close());
      hq.start();
      const rows = await expectConverged(dbPath, hq);
      expect(rows).toBeGreaterThan(backlog);
      console.log(
        `[broker-restart] ${JSON.stringify({ rows, backlog, sentBeforeKill: atKill.outbox.sentTotal, unsentAtKill: atKill.outbox.depth })}`,
      );
    },
  );

  it(
    `a link flapping 250 ms up / 250 ms down for ${SOAK_SECONDS} s under continuous sales converges with no loss and no duplicates`,
    { timeout: (SOAK_SECONDS + 90) * 1000 },
    async () => {
      const t = tempDir('lanyard-flap-');
      cleanups.push(() => t.cleanup());
      // A message delivered on a connection that the flap then cut stays locked until its lock expires (as on the
      // real service): a short lock keeps the convergence after the heal short.
      const bus: RunningEmulator = await startEmulator({
        config: lanyardTopology(['desk-a'], { lockDuration: 'PT5S' }),
        port: 0,
      });
      cleanups.push(() => bus.stop());
      const proxy: FaultProxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: bus.port });
      cleanups.push(() => proxy.close());
      const viaProxy = bus.connectionString.replace(`:${bus.port};`, `:${proxy.port};`);
      expect(viaProxy).not.toBe(bus.connectionString);

      const dbPath = `${t.dir}/desk-a.db`;
      const os = new BehaviorSubject(true);
      const station = await openStation(t.dir, {
        sync: { connectionString: viaProxy, retry: { initialMs: 50, maxMs: 1000 }, keepSeatsInHand: 0 },
        osOnline$: os,
      });
      cleanups.push(() => station.close());
      const hqSide = fakeHq(bus.connectionString);
      cleanups.push(() => hqSide.close());
      await prepare(station, hqSide.feed);
      const hq = new HqRecorder(bus.connectionString);
      cleanups.push(() => hq.close());
      // HQ confirms every sale, so a desk selling online gets its verdict when the link is up.
      const published: string[] = [];
      hq.onEnvelope = async (env) => {
        if (env.type !== 'SeatSold') return;
        const verdict = hqSide.feed('SaleConfirmed', {
          saleId: env.payload.saleId as string,
          sessionId: env.payload.sessionId as string,
        });
        published.push(verdict.id);
        await hqSide.publish(verdict);
      };
      hq.start();

      let downPhases = 0;
      const flapWatch = proxy.state$.subscribe((p) => {
        if (p.flap?.phase === 'down') downPhases++;
      });
      cleanups.push(() => flapWatch.unsubscribe());
      proxy.flap({ upMs: 250, downMs: 250, mode: 'cut', cycles: SOAK_SECONDS * 2 });
      const soakEnd = Date.now() + SOAK_SECONDS * 1000;
      let version = 0;
      let commands = 0;
      const samples: { depth: number; sent: number }[] = [];
      // HQ keeps talking (direct to the broker): availability with rising versions and heartbeats.
      const hqTalk = (async () => {
        while (Date.now() < soakEnd) {
          const a = hqSide.feed('SeatAvailability', {
            sessionId: 'workshop',
            capacity: 100,
            sold: ++version % 100,
            allotted: 0,
            version,
            salesRatePerMin: 1,
          });
          const h = hqSide.feed('Heartbeat', { hqTime: new Date().toISOString() });
          await hqSide.publish(a, h);
          published.push(a.id, h.id);
          await sleep(250);
        }
      })();
      // The desk keeps selling.
      const desk = (async () => {
        while (Date.now() < soakEnd) {
          await deskWork(station, commands++);
          if (commands % 50 === 0) {
            const st = must(await station.call('sync.status', {}));
            samples.push({ depth: st.outbox.depth, sent: st.outbox.sentTotal });
          }
          await sleep(10);
        }
      })();
      // And the door scanner keeps checking people in.
      const door = (async () => {
        while (Date.now() < soakEnd) {
          must(await station.call('checkin.record', { registrantId: 'r2' }));
          commands++;
          await sleep(25);
        }
      })();
      await Promise.all([hqTalk, desk, door]);
      const atEnd = must(await station.call('sync.status', {}));
      proxy.heal();
      const healedAt = Date.now();

      await waitFor(
        async () => {
          const st = must(await station.call('sync.status', {}));
          if (process.env.LANYARD_DEBUG)
            console.log(
              Date.now() - healedAt,
              st.state,
              st.reason,
              st.outbox.depth,
              st.inbox.applied,
              published.length + 1,
              st.lastError,
            );
          return (
            st.outbox.depth === 0 &&
            st.inbox.applied === published.length + 1 &&
            hq.copies.size === rawAll<{ n: number }>(dbPath, 'SELECT count(*) AS n FROM outbox')[0]!.n
          );
        },
        60_000,
        'the station to converge after the link healed',
      );
      const convergeMs = Date.now() - healedAt;
      const rows = await expectConverged(dbPath, hq);
      // Every sale got HQ's verdict.
      await waitFor(
        () => rawAll<{ n: number }>(dbPath, `SELECT count(*) AS n FROM sale WHERE status != 'confirmed'`)[0]!.n === 0,
        15_000,
        'every sale confirmed',
      );
      const sales = rawAll<{ n: number }>(dbPath, 'SELECT count(*) AS n FROM sale')[0]!.n;

      // Feed: each message applied once; availability is the newest version.
      const inbox = rawAll<{ id: string; status: string }>(dbPath, `SELECT id, status FROM inbox WHERE origin = 'hq'`);
      expect(new Set(inbox.map((r) => r.id)).size).toBe(inbox.length);
      expect(inbox.filter((r) => r.status === 'quarantined')).toEqual([]);
      expect(new Set(published).size).toBe(published.length);
      for (const id of published) expect(inbox.some((r) => r.id === id)).toBe(true);
      const s = must(await station.call('sessions.list', {})).find((x) => x.id === 'workshop')!;
      expect(s.availability).toMatchObject({ version, sold: version % 100 });

      // The link really flapped for the whole soak. How much got through during it depends on whether the SDK can
      // connect, authenticate, attach and send inside a 250 ms window, which a loaded 2-core CI machine sometimes
      // cannot; so progress during the flap is reported, not asserted. No loss and no duplicates are asserted above.
      const st = proxy.stats();
      // (Timers drift on a loaded machine: the 120 cycles of 500 ms take a little longer than the soak's 60 s.)
      expect(downPhases).toBeGreaterThanOrEqual(Math.floor(SOAK_SECONDS * 2 * 0.8));
      console.log(
        `[flap] ${JSON.stringify({ seconds: SOAK_SECONDS, commands, sales, rows, sentDuringSoak: atEnd.outbox.sentTotal, unsentAtHeal: atEnd.outbox.depth, feedPublished: published.length, convergeMs, proxy: st, maxDepth: Math.max(...samples.map((x) => x.depth)) })}`,
      );
    },
  );
});
