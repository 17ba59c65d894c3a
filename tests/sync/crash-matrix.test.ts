/**
 * The crash matrix (issue 4): a station in its own process sells and checks in without pause and syncs to the
 * emulator; the test kills it with SIGKILL at seeded random moments, while it flushes its outbox and while it
 * applies HQ's feed, then restarts it on the same database file. After every kill and at the end:
 *   - nothing committed is lost: every acknowledged command's outbox row is there, seqs are gap-free, and every
 *     row marked sent is at the broker; at the end every row reached HQ;
 *   - nothing is sent twice: HQ sees each envelope id as exactly one broker message (re-sends after a crash
 *     between send and mark are dropped by duplicate detection), in seq order;
 *   - nothing is applied twice: the inbox holds each feed id once, and the station's state equals a clean replay
 *     of the applied messages (availability = newest version, allotments = grants, registrants = upserts).
 * Durations: LANYARD_CRASH_FLUSH_KILLS / LANYARD_CRASH_APPLY_KILLS (default 30 / 25), seed LANYARD_CRASH_SEED.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ServiceBusClient } from '@azure/service-bus';
import { BehaviorSubject } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaVersion, type MessageType, type Payload } from '../../core/messages';
import { intBetween, mulberry32 } from '../../tools/simulator/prng';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { fastRetry, lanyardTopology, waitFor } from '../support/bus';
import { dayAt, must, openStation, smallConference, tempDir } from '../support/fixtures';
import {
  HqRecorder,
  kill9,
  sleep,
  spawnJsonChild,
  stationChildScript,
  strictlyIncreasing,
  type Child,
} from '../support/sync-faults';

const FLUSH_KILLS = Number(process.env.LANYARD_CRASH_FLUSH_KILLS ?? 30);
const APPLY_KILLS = Number(process.env.LANYARD_CRASH_APPLY_KILLS ?? 25);
const SEED = Number(process.env.LANYARD_CRASH_SEED ?? 20261201);
const ME = 'station:desk-a';

let t: ReturnType<typeof tempDir>;
let bus: RunningEmulator;
let hq: HqRecorder;
let feedClient: ServiceBusClient;
const dbPath = () => join(t.dir, 'desk-a.db');
/** Every child spawned, so a failing run leaves no process behind. */
const live = new Set<Child>();

beforeAll(async () => {
  t = tempDir('lanyard-crash-');
  // Short locks: a message locked by a killed station comes back in 2 s, not 30; a generous delivery count, so
  // repeated kills cannot push a good message into the dead-letter queue.
  bus = await startEmulator({
    config: lanyardTopology(['desk-a'], { lockDuration: 'PT2S', maxDeliveryCount: 50 }),
    port: 0,
  });
  hq = new HqRecorder(bus.connectionString);
  hq.start();
  feedClient = new ServiceBusClient(bus.connectionString, fastRetry);
});
afterAll(async () => {
  for (const c of live) await kill9(c);
  await hq?.close();
  await feedClient?.close();
  await bus?.stop();
  t?.cleanup();
});

/** What HQ has published, and what a clean replay of it must leave on the station. */
class FeedModel {
  envelopes = new Map<string, { type: string; payload: Record<string, unknown> }>();
  private seq = 0;
  availVersion = 0;
  soldFor = (version: number) => (version * 7) % 90;
  grants = new Set<string>();

  make<T extends MessageType>(type: T, payload: Payload<T>) {
    const env = {
      id: randomUUID(),
      type,
      schema: schemaVersion[type],
      conferenceId: 'conf-1',
      origin: 'hq',
      seq: ++this.seq,
      at: new Date().toISOString(),
      payload,
    };
    this.envelopes.set(env.id, { type, payload: payload as Record<string, unknown> });
    return env;
  }

  /** A burst of HQ traffic: availability (versions out of order), grants (ours and another desk's), heartbeats, registrants. */
  burst(rng: { next(): number }, n: number): object[] {
    const out: object[] = [];
    for (let i = 0; i < n; i++) {
      const k = intBetween(rng, 0, 9);
      if (k <= 3) {
        const version = ++this.availVersion;
        out.push(
          this.make('SeatAvailability', {
            sessionId: 'workshop',
            capacity: 100,
            sold: this.soldFor(version),
            allotted: 0,
            version,
            salesRatePerMin: 0.5,
          }),
        );
      } else if (k <= 5) {
        const id = `g-${this.seq + 1}`;
        const mine = k === 4;
        if (mine) this.grants.add(id);
        out.push(
          this.make('AllotmentGranted', {
            allotmentId: id,
            requestId: null,
            station: mine ? ME : 'station:desk-b',
            sessionId: 'workshop',
            seats: intBetween(rng, 1, 5),
          }),
        );
      } else if (k <= 7) {
        out.push(this.make('Heartbeat', { hqTime: new Date().toISOString() }));
      } else {
        const id = `hq-${this.seq + 1}`;
        out.push(
          this.make('RegistrantUpserted', {
            registrant: {
              id,
              confirmationCode: `HQ-${this.seq + 1}`,
              firstName: 'From',
              lastName: 'HQ',
              email: '',
              company: 'Elsewhere',
              ticketTypeId: 'full',
              sessions: [],
            },
          }),
        );
      }
    }
    // Versions arrive out of order; the station must keep the newest.
    for (let i = out.length - 1; i > 0; i--) {
      const j = intBetween(rng, 0, i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}

async function publish(envelopes: object[]): Promise<void> {
  const sender = feedClient.createSender('station-feed');
  try {
    let batch = await sender.createMessageBatch();
    for (const e of envelopes) {
      // Each publish is a new bus message: a re-published envelope is a redelivery the inbox must recognise.
      const msg = { body: Buffer.from(JSON.stringify(e)), contentType: 'application/json', messageId: randomUUID() };
      if (!batch.tryAddMessage(msg)) {
        await sender.sendMessages(batch);
        batch = await sender.createMessageBatch();
        batch.tryAddMessage(msg);
      }
    }
    if (batch.count) await sender.sendMessages(batch);
  } finally {
    await sender.close();
  }
}

function withDb<T>(fn: (db: Database.Database) => T): T {
  // Read-write on purpose: after a SIGKILL the WAL index may need recovery, which a read-only handle cannot do.
  const db = new Database(dbPath());
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

interface DbView {
  outbox: { seq: number; id: string; sent: boolean }[];
  counter: number;
  inbox: { id: string; type: string; origin: string; status: string; body: string }[];
  avail: { version: number; sold: number };
  allotments: string[];
  hqRegistrants: string[];
}

function readDb(): DbView {
  return withDb((db) => ({
    outbox: (
      db.prepare('SELECT seq, id, sent_at FROM outbox_status ORDER BY seq').all() as {
        seq: number;
        id: string;
        sent_at: string | null;
      }[]
    ).map((r) => ({ seq: r.seq, id: r.id, sent: r.sent_at !== null })),
    counter:
      (db.prepare(`SELECT value FROM counter WHERE name = 'outbox'`).get() as { value: number } | undefined)?.value ??
      0,
    inbox: db.prepare('SELECT id, type, origin, status, body FROM inbox').all() as DbView['inbox'],
    avail: db.prepare(`SELECT version, sold FROM availability WHERE session_id = 'workshop'`).get() as DbView['avail'],
    allotments: (
      db.prepare(`SELECT id FROM allotment WHERE session_id = 'workshop' ORDER BY id`).all() as { id: string }[]
    ).map((r) => r.id),
    hqRegistrants: (
      db.prepare(`SELECT id FROM registrant WHERE id LIKE 'hq-%' ORDER BY id`).all() as { id: string }[]
    ).map((r) => r.id),
  }));
}

/** The invariants that must hold after any kill. */
async function checkInvariants(feed: FeedModel, ackedSeq: number): Promise<DbView> {
  const v = readDb();
  // Committed means kept: gap-free seqs 1..N, the counter agrees, and every acknowledged command is there.
  expect(v.outbox.map((r) => r.seq)).toEqual(Array.from({ length: v.outbox.length }, (_, i) => i + 1));
  expect(v.counter).toBe(v.outbox.length);
  expect(v.outbox.length).toBeGreaterThanOrEqual(ackedSeq);
  // Marked sent means accepted by the broker (the mark happens only after the send resolved).
  const sent = v.outbox.filter((r) => r.sent);
  await waitFor(() => sent.every((r) => hq.copies.has(r.id)), 10_000, 'HQ to receive every row marked sent');
  expect(hq.duplicates()).toEqual([]);
  // Applied once: every inbox row is a published feed message (ids are the primary key), and the state is a
  // clean replay of exactly those rows.
  const fromHq = v.inbox.filter((r) => r.origin === 'hq');
  expect(v.inbox.filter((r) => r.status === 'quarantined')).toEqual([]);
  for (const r of fromHq) expect(feed.envelopes.has(r.id)).toBe(true);
  const applied = fromHq.map((r) => feed.envelopes.get(r.id)!);
  const versions = applied.filter((e) => e.type === 'SeatAvailability').map((e) => e.payload.version as number);
  const newest = Math.max(0, ...versions);
  expect(v.avail.version).toBe(newest);
  if (newest > 0) expect(v.avail.sold).toBe(feed.soldFor(newest));
  const granted = applied
    .filter((e) => e.type === 'AllotmentGranted' && e.payload.station === ME && e.payload.sessionId === 'workshop')
    .map((e) => e.payload.allotmentId as string);
  expect(v.allotments).toEqual([...granted].sort());
  const upserted = applied
    .filter((e) => e.type === 'RegistrantUpserted')
    .map((e) => (e.payload.registrant as { id: string }).id);
  expect(v.hqRegistrants).toEqual([...upserted].sort());
  return v;
}

describe('crash matrix: SIGKILL while flushing and while applying', () => {
  it(
    `survives ${FLUSH_KILLS} kills during flush and ${APPLY_KILLS} during apply with no loss and no double apply`,
    { timeout: 300_000 },
    async () => {
      const rng = mulberry32(SEED);
      const feed = new FeedModel();

      // The station's database: the conference, and a large allotment on the hall so offline sales always proceed.
      {
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
        const s = await openStation(t.dir);
        must(await s.call('conference.import', { data: c }));
        must(
          await s.call('feed.apply', {
            envelope: feed.make('AllotmentGranted', {
              allotmentId: 'a-hall',
              requestId: null,
              station: ME,
              sessionId: 'hall',
              seats: 100_000,
            }),
          }),
        );
        await s.close();
      }

      const schedule: ('flush' | 'apply')[] = [
        ...Array<'flush'>(FLUSH_KILLS).fill('flush'),
        ...Array<'apply'>(APPLY_KILLS).fill('apply'),
      ];
      for (let i = schedule.length - 1; i > 0; i--) {
        const j = intBetween(rng, 0, i);
        [schedule[i], schedule[j]] = [schedule[j]!, schedule[i]!];
      }

      const tally = {
        startupMs: 0,
        flushKills: 0,
        applyKills: 0,
        killedMidFlush: 0,
        sentButUnmarked: 0,
        killedMidApply: 0,
        republished: 0,
      };
      const started = Date.now();
      let before = readDb();
      // Each child is spawned one round ahead and waits for "go": loading the code (tsx) overlaps the round before.
      const spawnFor = (n: number): Child =>
        spawnJsonChild(
          [
            stationChildScript,
            '--db',
            dbPath(),
            '--mode',
            schedule[n]!,
            '--backlog',
            String(backlogs[n]!),
            '--batch-size',
            '10',
            '--seed',
            String(n + 1),
            '--wait-go',
          ],
          { LANYARD_CS: bus.connectionString },
          { stdin: true },
        );
      const backlogs = schedule.map((m) => (m === 'flush' ? intBetween(rng, 60, 200) : 0));
      let upNext: Child | null = spawnFor(0);
      live.add(upNext);
      for (const [n, mode] of schedule.entries()) {
        if (mode === 'apply') {
          const burst = feed.burst(rng, intBetween(rng, 20, 80));
          // Now and then HQ sends an old message again (a new bus message, same envelope id).
          const ids = [...feed.envelopes.keys()];
          for (let k = intBetween(rng, 0, 3); k > 0; k--) {
            const id = ids[intBetween(rng, 0, ids.length - 1)]!;
            const old = feed.envelopes.get(id)!;
            burst.push({
              id,
              type: old.type,
              schema: 1,
              conferenceId: 'conf-1',
              origin: 'hq',
              seq: 1,
              at: new Date().toISOString(),
              payload: old.payload,
            });
            tally.republished++;
          }
          await publish(burst);
        }
        const child: Child = upNext!;
        const goAt = Date.now();
        child.send('go');
        upNext = n + 1 < schedule.length ? spawnFor(n + 1) : null;
        if (upNext) live.add(upNext);
        try {
          await child.next((l) => l.ev === 'ready', 30_000, 'the station to open');
          tally.startupMs += Date.now() - goAt;
          await child.next(
            (l) => l.ev === (mode === 'flush' ? 'flushing' : 'applied'),
            20_000,
            mode === 'flush' ? 'the flush to start' : 'the first apply',
          );
          // A flush is killed within 40 ms of its first batch marked, while the backlog still drains: since a batch is
          // marked by moving one number, 60–200 rows go in well under 300 ms, and kills 20–300 ms in missed it.
          await sleep(mode === 'flush' ? intBetween(rng, 0, 40) : intBetween(rng, 20, 300));
        } finally {
          await kill9(child);
        }
        const acked = Math.max(0, ...child.lines.filter((l) => l.ev === 'ack').map((l) => l.seq as number));
        const after = await checkInvariants(feed, acked);

        if (mode === 'flush') {
          tally.flushKills++;
          const sentBefore = before.outbox.filter((r) => r.sent).length;
          const unsentAfter = after.outbox.filter((r) => !r.sent);
          if (after.outbox.filter((r) => r.sent).length > sentBefore && unsentAfter.length > 0) tally.killedMidFlush++;
          // Sent, then killed before the mark: the next start re-sends these, and duplicate detection must drop them.
          if (unsentAfter.some((r) => hq.copies.has(r.id))) tally.sentButUnmarked++;
        } else {
          tally.applyKills++;
          const hqBefore = before.inbox.filter((r) => r.origin === 'hq').length;
          const hqAfter = after.inbox.filter((r) => r.origin === 'hq').length;
          if (hqAfter > hqBefore && hqAfter < feed.envelopes.size) tally.killedMidApply++;
        }
        before = after;
      }
      const killPhaseMs = Date.now() - started;
      if (upNext) await kill9(upNext);

      // Final run, in process: everything converges.
      const os = new BehaviorSubject(true);
      const station = await openStation(t.dir, {
        sync: { connectionString: bus.connectionString, retry: { initialMs: 50, maxMs: 500 }, keepSeatsInHand: 0 },
        osOnline$: os,
      });
      try {
        await waitFor(
          async () => {
            const st = must(await station.call('sync.status', {}));
            return st.outbox.depth === 0 && st.inbox.applied === feed.envelopes.size;
          },
          30_000,
          'the station to converge',
        );
      } finally {
        await station.close();
      }
      const end = await checkInvariants(feed, 0);
      await waitFor(() => end.outbox.every((r) => hq.copies.has(r.id)), 15_000, 'HQ to receive every outbox row');

      // No loss: the outbox and what HQ received are the same set; no duplicates; in seq order.
      expect(end.outbox.every((r) => r.sent)).toBe(true);
      expect(new Set(hq.copies.keys())).toEqual(new Set(end.outbox.map((r) => r.id)));
      expect(hq.duplicates()).toEqual([]);
      const order = hq.order.get(ME) ?? [];
      expect(order).toHaveLength(end.outbox.length);
      expect(strictlyIncreasing(order)).toBe(true);
      // No double apply: one inbox row per distinct published feed message; the state is the full replay.
      const fromHq = end.inbox.filter((r) => r.origin === 'hq');
      expect(fromHq).toHaveLength(feed.envelopes.size);
      expect(end.avail).toEqual({ version: feed.availVersion, sold: feed.soldFor(feed.availVersion) });
      expect(end.allotments).toEqual([...feed.grants].sort());
      // Nothing was pushed into the dead-letter queue by the kills.
      const dlq = feedClient.createReceiver('station-feed', 'station-desk-a', { subQueueType: 'deadLetter' });
      expect(await dlq.peekMessages(10)).toEqual([]);
      await dlq.close();

      console.log(
        `[crash-matrix] ${JSON.stringify({ ...tally, outboxRows: end.outbox.length, feedMessages: feed.envelopes.size, killPhaseMs, totalMs: Date.now() - started })}`,
      );
      expect(tally.flushKills + tally.applyKills).toBe(FLUSH_KILLS + APPLY_KILLS);
      // Most kills must land inside the work they are aimed at, or the matrix tests little.
      expect(tally.killedMidFlush).toBeGreaterThanOrEqual(Math.ceil(FLUSH_KILLS / 2));
      expect(tally.killedMidApply).toBeGreaterThanOrEqual(Math.ceil(APPLY_KILLS / 2));
    },
  );
});
