/**
 * HQ benchmarks (issue 5).
 * - hq.apply: station events (SeatSold) applied per second by the ledger, in the service's batches of 100, against
 *   raw better-sqlite3 writing the same rows (inbox, sale, verdict and availability feed rows, counters) with
 *   prepared statements in the same transactions, same pragmas, same schema. Goal ratio >= 0.3.
 * - sale.confirm: an online sale at a real station → SeatSold through the emulator → HQ → verdict back at the
 *   station; p50 and p99 in ms. Goal p99 <= 250 ms.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConferenceFile } from '../core/conference';
import { schemaVersion } from '../core/messages';
import { Ledger } from '../hq/ledger';
import { openHqDb } from '../hq/store/db';
import { startWorld } from '../tools/demo/world';
import { benchDay, percentile, round, type Benchmark } from './harness';

const scratch = () => mkdtempSync(join(tmpdir(), 'lanyard-hq-bench-'));

function conference(sessions: number, registrants: number): ConferenceFile {
  const day = benchDay();
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'bench-conf', name: 'Bench', timezone: 'UTC', startsOn: day, endsOn: day },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: Array.from({ length: sessions }, (_, i) => ({
      id: `s${i}`,
      title: `Session ${i}`,
      room: 'R',
      startsAt: `${day}T14:00:00Z`,
      endsAt: `${day}T15:00:00Z`,
      capacity: 100_000,
      sellable: true,
    })),
    registrants: Array.from({ length: registrants }, (_, i) => ({
      id: `r${i}`,
      confirmationCode: `C-${i}`,
      firstName: 'Guest',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    })),
  };
}

const basis = {
  online: true,
  allotmentRemaining: 0,
  stalenessMin: 0,
  stalenessUnknownReason: null,
  maxStalenessMin: 60,
  capacity: 100000,
  sold: 0,
  allotted: 0,
  unallocated: 100000,
  remainingRatio: 1,
  minRemainingRatio: 0.1,
  salesRatePerMin: 0,
  alpha: 0.05,
  z: 1.64,
  expectedSalesSinceSync: 0,
  kMax: 2,
  pendingOverdraft: 0,
  overdraftCap: 2,
  failed: [],
};

const ledgerOptions = {
  allotmentShare: 0.25,
  reclaimAfterMinutes: 120,
  recallBeforeStartMinutes: 10,
  salesRateWindowMinutes: 15,
  snapshotChunkSize: 250,
};

const N = 4000;
const BATCH = 100;
const STATIONS = 4;
const SESSIONS = 10;

function stationEvents() {
  const seq = new Map<number, number>();
  return Array.from({ length: N }, (_, i) => {
    const st = i % STATIONS;
    const s = (seq.get(st) ?? 0) + 1;
    seq.set(st, s);
    const env = {
      id: randomUUID(),
      type: 'SeatSold',
      schema: schemaVersion.SeatSold,
      conferenceId: 'bench-conf',
      origin: `station:desk-${st}`,
      seq: s,
      at: new Date().toISOString(),
      payload: {
        saleId: randomUUID(),
        sessionId: `s${i % SESSIONS}`,
        registrantId: `r${i % 1000}`,
        tier: 'online',
        allotmentId: null,
        basis,
      },
    };
    return { messageId: env.id, body: JSON.stringify(env), env };
  });
}
type Events = ReturnType<typeof stationEvents>;

/** Events per second through the ledger (first batch is warm-up). */
async function ledgerRound(file: string, events: Events): Promise<number> {
  const opened = await openHqDb(file);
  try {
    const ledger = new Ledger(opened.db, ledgerOptions, opened.writer);
    await ledger.seed(conference(SESSIONS, 1000));
    await ledger.applyBatch(events.slice(0, BATCH));
    const t0 = performance.now();
    for (let i = BATCH; i < N; i += BATCH) {
      const out = await ledger.applyBatch(events.slice(i, i + BATCH));
      if (out.some((d) => d.action !== 'complete')) throw new Error('an event was not applied');
    }
    const rate = (N - BATCH) / ((performance.now() - t0) / 1000);
    const applied = (await ledger.view()).inbox.applied;
    if (applied !== N) throw new Error(`ledger applied ${applied} of ${N}`);
    return rate;
  } finally {
    await opened.close();
  }
}

/** The same rows with raw prepared statements, same schema and pragmas, same transactions. */
async function rawRound(file: string, events: Events): Promise<number> {
  const base = await openHqDb(file);
  await new Ledger(base.db, ledgerOptions, base.writer).seed(conference(SESSIONS, 1000));
  await base.close();
  const raw = new Database(file);
  try {
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    const insInbox = raw.prepare(
      `INSERT INTO inbox (id, origin, seq, type, status, note, applied_at) VALUES (?, ?, ?, 'SeatSold', 'applied', NULL, ?)`,
    );
    const insStation = raw.prepare(
      `INSERT INTO station (origin, next_seq, first_seen_at) VALUES (?, ?, ?) ON CONFLICT (origin) DO UPDATE SET next_seq = excluded.next_seq, last_event_at = excluded.first_seen_at`,
    );
    const insSale = raw.prepare(
      `INSERT INTO sale (id, session_id, station, registrant_id, tier, allotment_id, charged_allotment_id, event_id, verdict, over_by, held, decided_at) VALUES (?, ?, ?, ?, 'online', NULL, NULL, ?, 'confirmed', NULL, 1, ?)`,
    );
    const updSession = raw.prepare(`UPDATE session SET sold = sold + 1, rate = ?, rate_at = ? WHERE id = ?`);
    const updVersion = raw.prepare(`UPDATE session SET version = version + 1 WHERE id = ?`);
    const insFeed = raw.prepare(
      `INSERT INTO feed_outbox (seq, id, type, session_id, station, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    let feedSeq = 0;
    const batch = raw.transaction((items: Events) => {
      const at = new Date().toISOString();
      const touched = new Set<string>();
      for (const { env } of items) {
        insInbox.run(env.id, env.origin, env.seq, at);
        insSale.run(env.payload.saleId, env.payload.sessionId, env.origin, env.payload.registrantId, env.id, at);
        updSession.run(0.1, Date.now(), env.payload.sessionId);
        insFeed.run(
          ++feedSeq,
          randomUUID(),
          'SaleConfirmed',
          env.payload.sessionId,
          env.origin,
          JSON.stringify({ saleId: env.payload.saleId, sessionId: env.payload.sessionId }),
          at,
        );
        insStation.run(env.origin, env.seq + 1, at);
        touched.add(env.payload.sessionId);
      }
      for (const s of touched) {
        updVersion.run(s);
        insFeed.run(++feedSeq, randomUUID(), 'SeatAvailability', s, null, JSON.stringify({ sessionId: s }), at);
      }
    });
    batch(events.slice(0, BATCH));
    const t0 = performance.now();
    for (let i = BATCH; i < N; i += BATCH) batch(events.slice(i, i + BATCH));
    return (N - BATCH) / ((performance.now() - t0) / 1000);
  } finally {
    raw.close();
  }
}

/** Three interleaved rounds of each on fresh files; medians (a shared 2-core machine is noisy). */
async function applyBench(): Promise<{ ledger: number; raw: number; events: number }> {
  const dir = scratch();
  try {
    const ledger: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < 3; round++) {
      const events = stationEvents();
      ledger.push(await ledgerRound(join(dir, `hq-${round}.db`), events));
      raw.push(await rawRound(join(dir, `raw-${round}.db`), events));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    return { ledger: median(ledger), raw: median(raw), events: N };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function confirmBench(): Promise<{ p50: number; p99: number; n: number }> {
  const N = 300;
  const dir = scratch();
  const world = await startWorld({
    dir,
    conference: conference(1, N + 20),
    stations: [{ id: 'desk-a' }],
    hq: { heartbeatSeconds: 1 },
  });
  try {
    const s = world.stations['desk-a']!.station;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const st = await s.call('sync.status', {});
      if (st.ok && st.value.state === 'online') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    for (let i = 0; i < 20; i++) await s.call('sale.sell', { sessionId: 's0', registrantId: `r${N + i}` }); // warm-up
    const ms: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = await s.call('sale.sell', { sessionId: 's0', registrantId: `r${i}` });
      const dt = performance.now() - t0;
      if (!r.ok || r.value.outcome !== 'confirmed')
        throw new Error(`sale ${i} was not confirmed online: ${JSON.stringify(r).slice(0, 200)}`);
      ms.push(dt);
    }
    ms.sort((a, b) => a - b);
    return { p50: percentile(ms, 50), p99: percentile(ms, 99), n: N };
  } finally {
    await world.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'hq.apply',
    async run() {
      const r = await applyBench();
      const ratio = r.ledger / r.raw;
      return {
        name: 'hq.apply',
        value: round(r.ledger, 0),
        unit: 'events/s',
        baseline: round(r.raw, 0),
        ratio: round(ratio, 3),
        goal: 'ratio >= 0.3',
        pass: ratio >= 0.3,
        detail: { events: r.events, batch: 100, baseline: 'raw better-sqlite3, same rows, same transactions' },
      };
    },
  },
  {
    name: 'sale.confirm',
    async run() {
      const r = await confirmBench();
      return {
        name: 'sale.confirm',
        value: round(r.p99, 1),
        unit: 'ms (p99)',
        baseline: null,
        ratio: null,
        goal: 'p99 <= 250 ms',
        pass: r.p99 <= 250,
        detail: {
          p50_ms: round(r.p50, 1),
          p99_ms: round(r.p99, 1),
          sales: r.n,
          path: 'station → emulator → HQ → emulator → station',
        },
      };
    },
  },
];
