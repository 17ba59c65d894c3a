/**
 * Three real stations, 500 random sales each (and a few releases), while their links drop and come back at
 * random for LANYARD_SOAK_SECONDS (default 120). Afterwards every station and HQ agree on every session's numbers,
 * HQ's sold count is the seats held by confirmed (and not yet resolved oversold) sales, every oversold sale has
 * exactly one case, and no allotment sale was ever oversold.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { startWorld, until, type World } from '../../tools/demo/world';
import { rawAll } from '../support/db-snapshot';
import { addDays } from '../../core/calendar';
import { conferenceDay, dayAt, tempDir } from '../support/fixtures';

const SECONDS = Number(process.env.LANYARD_SOAK_SECONDS ?? 120);
const SALES = 500;
// A fixed default so CI runs are comparable; LANYARD_SOAK_SEED explores others (368702 once found a release
// appended by a feed verdict that never woke the relay).
const SEED = Number(process.env.LANYARD_SOAK_SEED ?? 446781);
const STATIONS = ['desk-a', 'desk-b', 'desk-c'];

function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sessions from nearly full to roomy; seats already held by registrants h*; buyers per station b-<station>-*. */
const sessions: [id: string, capacity: number, held: number][] = [
  ['p1', 30, 24],
  ['p2', 60, 40],
  ['w1', 150, 60],
  ['t1', 400, 120],
  ['t2', 700, 100],
];
function conference(): ConferenceFile {
  // Two days from the fixtures' conference day (tomorrow by the real clock): HQ compares session starts with now.
  const days = [conferenceDay(), addDays(conferenceDay(), 1)] as const;
  const registrants: ConferenceFile['registrants'] = [];
  let h = 0;
  for (const [id, , held] of sessions)
    for (let i = 0; i < held; i++)
      registrants.push({
        id: `h${h}`,
        confirmationCode: `H-${h++}`,
        firstName: 'Holder',
        lastName: id,
        email: '',
        company: '',
        ticketTypeId: 'full',
        sessions: [id],
      });
  for (const st of STATIONS)
    for (let i = 0; i < 200; i++)
      registrants.push({
        id: `b-${st}-${i}`,
        confirmationCode: `B-${st}-${i}`,
        firstName: 'Buyer',
        lastName: `${st} ${i}`,
        email: '',
        company: '',
        ticketTypeId: 'full',
        sessions: [],
      });
  return {
    format: 'lanyard.conference/1',
    conference: { id: 'soak-conf', name: 'Soak Conf', timezone: 'UTC', startsOn: days[0], endsOn: days[1] },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      ...sessions.map(([id, capacity], i) => ({
        id,
        title: `Session ${id}`,
        room: `R${i}`,
        startsAt: dayAt(`1${i}:00`, days[i % 2]),
        endsAt: dayAt(`1${i}:45`, days[i % 2]),
        capacity,
        sellable: true,
      })),
      {
        id: 'k',
        title: 'Keynote',
        room: 'Hall',
        startsAt: dayAt('09:00'),
        endsAt: dayAt('10:00'),
        capacity: 1000,
        sellable: false,
      },
    ],
    registrants,
  };
}

let t: ReturnType<typeof tempDir>;
let world: World | null = null;
afterEach(async () => {
  await world?.stop();
  world = null;
  t?.cleanup();
});

type SaleRow = { id: string; session_id: string; tier: string; status: string };

describe(`three stations, ${SALES} random sales each, random partitions for ${SECONDS} s (seed ${SEED})`, () => {
  it(
    'converges: same numbers everywhere, sold = seats held, one case per oversold sale, no allotment sale oversold',
    { timeout: (SECONDS + 150) * 1000 },
    async () => {
      t = tempDir('lanyard-soak-');
      const random = rng(SEED);
      world = await startWorld({
        dir: t.dir,
        conference: conference(),
        stations: STATIONS.map((id) => ({ id, keepSeatsInHand: 2 })),
        hq: { allotmentShare: 0.25 },
        verdictTimeoutMs: 1000,
      });
      const w = world;
      await until(async () => await w.agree(), 20_000, 'initial sync');
      const deadline = Date.now() + SECONDS * 1000;
      const outcomes: Record<string, number> = {};
      const count = (k: string) => (outcomes[k] = (outcomes[k] ?? 0) + 1);
      let partitions = 0;

      const chaos = STATIONS.map(async (id) => {
        const ws = w.stations[id]!;
        while (Date.now() < deadline) {
          await sleep(2000 + random() * 5000);
          if (Date.now() >= deadline) break;
          ws.dropLink();
          partitions++;
          await sleep(800 + random() * 5000);
          ws.restoreLink();
        }
        ws.restoreLink();
      });

      const selling = STATIONS.map(async (id) => {
        const s = w.stations[id]!.station;
        const start = Date.now();
        const mine: string[] = [];
        const bought = new Set<string>();
        for (let i = 0; i < SALES; i++) {
          const due = start + (i * SECONDS * 1000) / SALES;
          if (due > Date.now()) await sleep(due - Date.now());
          if (mine.length > 0 && random() < 0.03) {
            const saleId = mine.splice(Math.floor(random() * mine.length), 1)[0]!;
            const r = await s.call('sale.release', { saleId, reason: 'changed their mind' });
            count(r.ok ? 'release' : `release:${r.error.code}`);
            continue;
          }
          let sessionId = '';
          let registrantId = '';
          for (let tries = 0; tries < 20; tries++) {
            sessionId = sessions[Math.floor(random() * sessions.length)]![0];
            registrantId = `b-${id}-${Math.floor(random() * 200)}`;
            if (!bought.has(`${registrantId}/${sessionId}`)) break;
          }
          bought.add(`${registrantId}/${sessionId}`);
          const r = await s.call('sale.sell', { sessionId, registrantId });
          if (r.ok) {
            count(`${r.value.outcome}:${r.value.sale?.tier ?? '-'}`);
            if (r.value.sale && r.value.outcome !== 'refused') mine.push(r.value.sale.id);
          } else count(r.error.code);
        }
      });
      await Promise.all([...selling, ...chaos]);
      for (const ws of Object.values(w.stations)) ws.restoreLink();

      // Settle: outboxes empty, nothing pending at any desk, everyone holds HQ's numbers.
      const db = (id: string) => join(t.dir, `${id}.db`);
      const one = <T>(id: string, sql: string) => rawAll<T>(db(id), sql);
      const settled = async () =>
        STATIONS.every(
          (id) =>
            one<{ n: number }>(id, `SELECT count(*) n FROM outbox_status WHERE sent_at IS NULL`)[0]!.n === 0 &&
            one<{ n: number }>(id, `SELECT count(*) n FROM sale WHERE status = 'pending'`)[0]!.n === 0,
        ) && (await w.agree());
      await until(settled, 90_000, `convergence (seed ${SEED}, outcomes ${JSON.stringify(outcomes)})`).catch(
        async (e: unknown) => {
          // Say where it is stuck: each desk's sync state, what is unsent or pending, and whose numbers differ.
          const n = await w.numbers();
          const where = await Promise.all(
            STATIONS.map(async (id) => {
              const st = await w.stations[id]!.station.call('sync.status', {});
              const differs = Object.entries(n.stations[id] ?? {}).filter(
                ([k, v]) => JSON.stringify(v) !== JSON.stringify(n.hq?.[k]),
              );
              return {
                id,
                sync: st.ok
                  ? {
                      state: st.value.state,
                      reason: st.value.reason,
                      outbox: st.value.outbox.depth,
                      lastError: st.value.lastError,
                    }
                  : st.error,
                pending: one(id, `SELECT id, session_id, tier FROM sale WHERE status = 'pending'`),
                differs: differs.map(([k, v]) => ({ session: k, station: v, hq: n.hq?.[k] })),
              };
            }),
          );
          throw new Error(`${(e as Error).message}\n${JSON.stringify({ hq: w.hq?.stats() ?? null, where }, null, 1)}`);
        },
      );
      await w.hq!.idle();
      expect(await w.agree()).toBe(true);

      const v = await w.hq!.ledger.view();
      const hqSale = new Map(v.sales.map((s) => [s.id, s]));
      const stationSales = STATIONS.flatMap((id) =>
        one<SaleRow>(id, `SELECT id, session_id, tier, status FROM sale`).map((s) => ({
          ...s,
          station: `station:${id}`,
        })),
      );
      const context = `seed ${SEED}; outcomes ${JSON.stringify(outcomes)}; partitions ${partitions}`;

      // Every sale a desk made was decided at HQ exactly once, and both sides agree on its fate.
      expect(v.sales.length, context).toBe(stationSales.length);
      for (const s of stationSales) {
        const h = hqSale.get(s.id);
        expect(h, `${s.id} at HQ`).toBeDefined();
        const fate = `${h!.verdict}/${h!.held}`;
        const want = {
          confirmed: ['confirmed/1'],
          oversold: ['oversold/1'],
          refused: ['oversold/0'],
          released: ['confirmed/0', 'oversold/0'],
        }[s.status as 'confirmed'];
        expect(want, `${s.id}: station ${s.status}, HQ ${fate}`).toContain(fate);
      }
      // HQ's sold = seats held before the event + sales that hold a seat (confirmed, or oversold and not resolved).
      for (const sess of v.sessions.filter((x) => x.id !== 'k')) {
        const holding = stationSales.filter(
          (s) => s.session_id === sess.id && (s.status === 'confirmed' || s.status === 'oversold'),
        ).length;
        expect(sess.sold, `${sess.id}: ${context}`).toBe(sess.baseSold + holding);
        expect(sess.sold).toBe(sess.baseSold + v.sales.filter((s) => s.session_id === sess.id && s.held === 1).length);
      }
      // One case per oversold sale, at HQ, and at the desk for every sale the person walked away with.
      const oversold = v.sales.filter((s) => s.verdict === 'oversold');
      expect(v.cases.map((c) => c.sale_id).sort()).toEqual(oversold.map((s) => s.id).sort());
      // Every station holds every case of the conference, open or closed as at HQ. A desk's own sale with a case is
      // oversold (the person walked away with it), released (given up before HQ's verdict arrived) or refused (on the
      // spot, before it was handed out: HQ closed the case as a refusal), and HQ called it oversold.
      const hqCases = new Map(v.cases.map((c) => [c.sale_id, c.status]));
      for (const id of STATIONS) {
        const all = one<{ sale_id: string; status: string }>(id, `SELECT sale_id, status FROM reconciliation_case`);
        expect(new Map(all.map((c) => [c.sale_id, c.status])), `${id}: cases as at HQ`).toEqual(hqCases);
        const cases = one<{ sale_id: string; status: string }>(
          id,
          `SELECT c.sale_id, s.status FROM reconciliation_case c JOIN sale s ON s.id = c.sale_id`,
        );
        const walkedAway = one<{ id: string }>(id, `SELECT id FROM sale WHERE status = 'oversold'`).map((s) => s.id);
        expect(
          walkedAway.filter((sale) => !cases.some((c) => c.sale_id === sale)),
          `${id}: oversold sales without a case`,
        ).toEqual([]);
        for (const c of cases) {
          expect(['oversold', 'released', 'refused'], `${id}: case for ${c.sale_id}`).toContain(c.status);
          expect(hqSale.get(c.sale_id)?.verdict, `${id}: case for ${c.sale_id}`).toBe('oversold');
        }
      }
      // No allotment sale was ever oversold.
      expect(v.sales.filter((s) => s.tier === 'allotment' && s.verdict !== 'confirmed')).toEqual([]);
      expect(
        stationSales.filter((s) => s.tier === 'allotment' && (s.status === 'oversold' || s.status === 'refused')),
      ).toEqual([]);
      // One verdict per sale on the feed; nothing dead-lettered, nothing left waiting.
      const verdicts = [
        ...(await w.hq!.ledger.feedOfType('SaleConfirmed')),
        ...(await w.hq!.ledger.feedOfType('SaleOversold')),
      ].map((m) => (m.payload as { saleId: string }).saleId);
      expect(verdicts.length).toBe(new Set(verdicts).size);
      expect(new Set(verdicts).size).toBe(v.sales.length);
      expect(v.deadLetters).toEqual([]);
      expect(v.parked).toEqual([]);
      const sent = STATIONS.reduce(
        (n, id) => n + (one<{ value: number }>(id, `SELECT value FROM counter WHERE name = 'outbox'`)[0]?.value ?? 0),
        0,
      );
      expect(v.inbox).toEqual({ applied: sent, rejected: 0 });

      // The run exercised what it claims to.
      expect(partitions, context).toBeGreaterThan(0);
      expect(stationSales.filter((s) => s.tier === 'allotment').length, context).toBeGreaterThan(0);
      expect(Object.values(outcomes).reduce((a, b) => a + b, 0)).toBe(SALES * STATIONS.length);
      console.log(
        `soak: ${context}; sales ${stationSales.length}, oversold ${oversold.length}, cases ${v.cases.length}`,
      );
    },
  );
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}
