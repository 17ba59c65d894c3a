/**
 * Station core benchmarks (issue 2): sale.commit, search.p99, import.rate, station.rss; station.open (issue 15).
 * Baselines are measured in the same run on the same machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { build } from 'esbuild';
import type { ConferenceFile } from '../core/conference';
import { schemaVersion } from '../core/messages';
import { stationHostV8Flags } from '../main/runtime/host-flags';
import { createStation } from '../main/station/create-station';
import { openSqlite } from '../main/store/db';
import { searchRegistrantsNaive } from '../main/store/search';
import { generateConference, mulberry32 } from '../tools/demo-data/generate';
import { shiftConference } from '../core/calendar';
import { benchDay, percentile, round, type Benchmark } from './harness';

const scratch = () => mkdtempSync(join(tmpdir(), 'lanyard-bench-'));

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/**
 * A conference with one big sellable session and `n` registrants holding nothing, each with a pass that may buy a
 * seat on the session's day (a day pass for another day may not, since issue 19).
 */
function sellingConference(n: number): ConferenceFile {
  const day = benchDay();
  const c = shiftConference(generateConference({ registrants: n }), day);
  for (const r of c.registrants) {
    r.sessions = [];
    r.ticketTypeId = 'full';
  }
  c.sessions.push({
    id: 'bench-hall',
    title: 'Bench hall',
    room: 'X',
    startsAt: `${day}T10:00:00Z`,
    endsAt: `${day}T11:00:00Z`,
    capacity: n * 2,
    sellable: true,
  });
  return c;
}

const hqMsg = (type: 'AllotmentGranted', payload: object, conferenceId: string) => ({
  id: randomUUID(),
  type,
  schema: schemaVersion[type],
  conferenceId,
  origin: 'hq',
  seq: 1,
  at: new Date().toISOString(),
  payload,
});

export const benchmarks: Benchmark[] = [
  {
    name: 'sale.commit',
    async run() {
      const N = 5000;
      const dir = scratch();
      try {
        // The first baseline (kept in `detail`): raw better-sqlite3, same pragmas, one row per transaction.
        const raw = openSqlite(join(dir, 'raw.db'));
        raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, session_id TEXT, registrant_id TEXT, body TEXT)');
        const ins = raw.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
        const one = raw.transaction((i: number) => ins.run(`s${i}`, 'bench-hall', `r${i}`, '{"tier":"allotment"}'));
        let t0 = performance.now();
        for (let i = 0; i < N; i++) one(i);
        const oneRowRate = N / ((performance.now() - t0) / 1000);
        raw.close();

        // Two station databases set up alike: the conference, a paid seat (a desk sells them), an allotment of N.
        const conf = sellingConference(N);
        conf.conference.currency = 'EUR';
        conf.sessions.find((x) => x.id === 'bench-hall')!.price = 1500;
        const setUp = async (file: string) => {
          const st = await createStation({ dbPath: join(dir, file), stationId: 'bench' });
          must(await st.call('conference.import', { data: conf }));
          must(await st.call('staff.add', { id: 'sup', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' }));
          must(
            await st.call('staff.add', {
              id: 'desk1',
              name: 'Dee Desk',
              role: 'desk',
              pin: '1357',
              by: { supervisorId: 'sup', pin: '2468' },
            }),
          );
          must(
            await st.call('feed.apply', {
              envelope: hqMsg(
                'AllotmentGranted',
                { allotmentId: 'a1', requestId: null, station: 'station:bench', sessionId: 'bench-hall', seats: N },
                conf.conference.id,
              ),
            }),
          );
          return st;
        };
        await (await setUp('same-rows.db')).close();
        const s = await setUp('station.db');

        // The line's baseline: raw better-sqlite3 on the station's own schema (its tables, indexes, triggers and
        // pragmas) writing exactly the rows a paid sale from an allotment writes, one transaction per sale: the
        // allotment's seat, the sale, the entitlement, the payment, two outbox events and their counter, two audit
        // entries and the chain's head. No reads, no checks, no policy: the floor for these rows under FULL sync.
        const same = openSqlite(join(dir, 'same-rows.db'));
        const st = {
          seat: same.prepare(`UPDATE allotment SET used = used + 1 WHERE id = 'a1'`),
          sale: same.prepare(
            `INSERT INTO sale (id, session_id, registrant_id, tier, status, at_risk, proceed, allotment_id, basis_json, staff_id, created_at, decided_at, released_at, release_reason)
             VALUES (?, 'bench-hall', ?, 'allotment', 'pending', 0, 1, 'a1', ?, 'desk1', ?, NULL, NULL, NULL)`,
          ),
          seatOf: same.prepare(
            `INSERT INTO entitlement (registrant_id, session_id, source, sale_id, created_at) VALUES (?, 'bench-hall', 'sale', ?, ?)`,
          ),
          payment: same.prepare(
            `INSERT INTO payment (id, registrant_id, sale_id, purpose, description, amount, currency, method, reference, reason, staff_id, station, created_at, closed_at, closed_by, close_reason)
             VALUES (?, ?, ?, 'seat', 'Bench hall', 1500, 'EUR', 'cash', NULL, NULL, 'desk1', 'station:bench', ?, NULL, NULL, NULL)`,
          ),
          counter: same.prepare<[], { value: number }>(
            `INSERT INTO counter (name, value) VALUES ('outbox', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
          ),
          outbox: same.prepare(
            'INSERT INTO outbox (seq, id, type, session_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          ),
          audit: same.prepare(
            'INSERT INTO audit_log (seq, at, actor, action, subject, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ),
          head: same.prepare(
            'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
          ),
        };
        const chain = same.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_head').get()!;
        // The same fields and values as the station writes for such a sale (the basis twice: the sale, SeatSold).
        const basisOf = (i: number) => ({
          online: false,
          allotmentRemaining: N - i,
          stalenessMin: 0.0624 + i / 1e6,
          stalenessUnknownReason: null,
          maxStalenessMin: 120,
          capacity: 2 * N,
          sold: 0,
          allotted: 0,
          unallocated: 2 * N,
          remainingRatio: 1,
          minRemainingRatio: 0,
          salesRatePerMin: 0,
          alpha: 0.1,
          z: 1.2815515815449177,
          expectedSalesSinceSync: 0,
          kMax: 4,
          pendingOverdraft: 0,
          overdraftCap: 4,
          failed: [],
        });
        const event = (type: string, sessionId: string | null, at: string, payload: object) => {
          const seq = st.counter.get()!.value;
          const id = randomUUID();
          const body = { id, type, schema: 1, conferenceId: conf.conference.id, origin: 'station:bench', seq, at };
          st.outbox.run(seq, id, type, sessionId, JSON.stringify({ ...body, payload }), at);
        };
        const audit = (at: string, action: string, subject: string, details: object) => {
          const seq = chain.seq + 1;
          const detailsJson = JSON.stringify(details);
          const hash = createHash('sha256')
            .update(JSON.stringify([chain.hash, seq, at, 'desk1', action, subject, detailsJson]))
            .digest('hex');
          st.audit.run(seq, at, 'desk1', action, subject, detailsJson, chain.hash, hash);
          st.head.run(seq, hash);
          Object.assign(chain, { seq, hash });
        };
        const sameRowsSale = same.transaction((registrantId: string, i: number) => {
          const at = new Date().toISOString();
          const saleId = randomUUID();
          const paymentId = randomUUID();
          const basis = basisOf(i);
          st.seat.run();
          st.sale.run(saleId, registrantId, JSON.stringify(basis), at);
          st.seatOf.run(registrantId, saleId, at);
          st.payment.run(paymentId, registrantId, saleId, at);
          event('PaymentRecorded', null, at, {
            paymentId,
            registrantId,
            saleId,
            purpose: 'seat',
            description: 'Bench hall',
            amount: 1500,
            currency: 'EUR',
            method: 'cash',
            reference: null,
            reason: null,
            staffId: 'desk1',
          });
          audit(at, 'payment.take', registrantId, {
            paymentId,
            amount: 1500,
            currency: 'EUR',
            method: 'cash',
            purpose: 'seat',
            summary: '15.00 EUR by cash: Bench hall',
          });
          const sold = { saleId, sessionId: 'bench-hall', registrantId, tier: 'allotment', allotmentId: 'a1', basis };
          event('SeatSold', 'bench-hall', at, sold);
          audit(at, 'sale.sell', saleId, { sessionId: 'bench-hall', registrantId, tier: 'allotment', failed: [] });
        });
        const rowsOf = (db: ReturnType<typeof openSqlite>) =>
          [
            'sale',
            'entitlement',
            'payment',
            'outbox',
            'audit_log',
            // and the staff member named where the station names them
            `sale WHERE staff_id = 'desk1'`,
            `payment WHERE staff_id = 'desk1'`,
            `audit_log WHERE actor = 'desk1'`,
          ].map((t) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n);
        // What the rows hold: the bytes of the JSON a sale writes (its basis, the two events, the audit details).
        const jsonBytesOf = (db: ReturnType<typeof openSqlite>) =>
          [
            ['sale', 'basis_json'],
            ['outbox', 'body'],
            ['audit_log', 'details_json'],
          ].reduce(
            (sum, [t, c]) =>
              sum + (db.prepare(`SELECT coalesce(sum(length(${c})), 0) AS n FROM ${t}`).get() as { n: number }).n,
            0,
          );
        const before = openSqlite(join(dir, 'station.db'));
        const rowsBefore = rowsOf(before);
        const bytesBefore = jsonBytesOf(before);
        before.close();

        // Lanyard: sale.sell from an allotment, paid in cash (policy + sale + entitlement + payment + outbox +
        // audit), one transaction each, through the API contract as a desk calls it. The two take turns in rounds
        // of 250 sales, so that a change in the machine's load (the disk's above all) falls on both alike.
        // Signed in at the desk, as staff sell: the station checks that the staff member still exists on every sale.
        const desk = { transport: 'ipc', mode: 'desk', session: { staffId: 'desk1', role: 'desk' } } as const;
        const time = { same: 0, station: 0, sameCpu: 0, stationCpu: 0 };
        const cpuMs = () => {
          const u = process.cpuUsage();
          return (u.user + u.system) / 1000;
        };
        for (let from = 0; from < N; from += 250) {
          const to = Math.min(N, from + 250);
          let c0 = cpuMs();
          t0 = performance.now();
          for (let i = from; i < to; i++) sameRowsSale(conf.registrants[i]!.id, i);
          time.same += performance.now() - t0;
          time.sameCpu += cpuMs() - c0;
          c0 = cpuMs();
          t0 = performance.now();
          for (let i = from; i < to; i++) {
            const r = await s.callAs(desk, 'sale.sell', {
              sessionId: 'bench-hall',
              registrantId: conf.registrants[i]!.id,
              payment: { method: 'cash' },
            });
            if (!r.ok || r.value.outcome !== 'proceed') throw new Error(`sale ${i} failed: ${JSON.stringify(r)}`);
          }
          time.station += performance.now() - t0;
          time.stationCpu += cpuMs() - c0;
        }
        const sameRowsRate = N / (time.same / 1000);
        const rate = N / (time.station / 1000);
        const sameRows = rowsOf(same);
        const sameBytes = (jsonBytesOf(same) - bytesBefore) / N;
        same.close();
        await s.close();
        const check = openSqlite(join(dir, 'station.db'));
        const stationRows = rowsOf(check);
        const stationBytes = (jsonBytesOf(check) - bytesBefore) / N;
        check.close();
        // The baseline must write what the station wrote: the same number of rows in every table, and as much in them
        // (the basis, the events and the audit details of the same fields; ids and times differ by a few bytes).
        if (stationRows.join() !== sameRows.join() || sameRows[0] !== N)
          throw new Error(
            `the baseline wrote ${sameRows.join('/')} rows, the station ${stationRows.join('/')} (before: ${rowsBefore.join('/')})`,
          );
        if (Math.abs(sameBytes / stationBytes - 1) > 0.05)
          throw new Error(`the baseline wrote ${sameBytes} bytes of JSON a sale, the station ${stationBytes}`);
        const ratio = rate / sameRowsRate;
        return {
          name: 'sale.commit',
          value: round(rate, 1),
          unit: 'sales/s',
          baseline: round(sameRowsRate, 1),
          ratio: round(ratio),
          goal: 'ratio >= 0.6',
          pass: ratio >= 0.6,
          detail: {
            baseline: 'raw better-sqlite3 writing the rows a paid sale writes, station schema',
            rawOneRowPerSec: round(oneRowRate, 1),
            ratioToOneRow: round(rate / oneRowRate),
            // CPU time per sale (ms), the process's own: the station's work beyond the rows shows here first
            cpuMsPerSale: round(time.stationCpu / N, 4),
            cpuMsPerSaleBaseline: round(time.sameCpu / N, 4),
            jsonBytesPerSale: { station: round(stationBytes, 1), baseline: round(sameBytes, 1) },
            rowsPerSale: `${stationRows
              .slice(0, 5)
              .map((n, i) => (n - rowsBefore[i]!) / N)
              .join('/')} (sale/entitlement/payment/outbox/audit)`,
            loadAverage: round(loadavg()[0]!, 2),
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'search.p99',
    async run() {
      const dir = scratch();
      try {
        const conf = generateConference({ registrants: 50_000 });
        const s = await createStation({ dbPath: join(dir, 'station.db'), stationId: 'bench' });
        must(await s.call('conference.import', { data: conf }));
        const queries = mixedQueries(conf, 1000);
        const fts = await timeQueries(queries, (q) => s.call('registrant.search', { query: q, limit: 20 }).then(must));
        const naive = await timeQueries(queries.slice(0, 200), (q) => searchRegistrantsNaive(s.db, q, 20));
        await s.close();
        const p99 = percentile(fts, 99);
        const base = percentile(naive, 99);
        return {
          name: 'search.p99',
          value: round(p99),
          unit: 'ms',
          baseline: round(base),
          ratio: round(p99 / base),
          goal: '<= 5 ms',
          pass: p99 <= 5,
          detail: { p50: round(percentile(fts, 50)), queries: queries.length, registrants: 50_000 },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    // Issue 19: the queries staff mistype (a letter dropped, two swapped, a code without its dash, a transliterated
    // umlaut) go through the near-spelling path; baseline: the same station's exact queries (search.p99's mix).
    name: 'search.fuzzy.p99',
    async run() {
      const dir = scratch();
      try {
        const conf = generateConference({ registrants: 50_000 });
        const s = await createStation({ dbPath: join(dir, 'station.db'), stationId: 'bench' });
        must(await s.call('conference.import', { data: conf }));
        const { queries, want } = fuzzyQueries(conf, 1000);
        const fuzzy = await timeQueries(queries, (q) =>
          s.call('registrant.search', { query: q, limit: 20 }).then(must),
        );
        // Recall (untimed): how often the person meant is among the 20 results.
        let found = 0;
        for (const q of queries) {
          const hits = must(await s.call('registrant.search', { query: q, limit: 20 }));
          if (hits.some(want.get(q)!)) found++;
        }
        const exact = await timeQueries(mixedQueries(conf, 1000), (q) =>
          s.call('registrant.search', { query: q, limit: 20 }).then(must),
        );
        await s.close();
        const p99 = percentile(fuzzy, 99);
        const base = percentile(exact, 99);
        const recall = found / queries.length;
        return {
          name: 'search.fuzzy.p99',
          value: round(p99),
          unit: 'ms',
          baseline: round(base),
          ratio: round(p99 / base),
          goal: '<= 5 ms',
          pass: p99 <= 5,
          detail: {
            p50: round(percentile(fuzzy, 50)),
            queries: queries.length,
            registrants: 50_000,
            recall: round(recall),
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'import.rate',
    async run() {
      const dir = scratch();
      try {
        const conf = generateConference({ registrants: 50_000 });
        const json = JSON.stringify(conf);
        // Baseline: raw prepared inserts of the same rows, one transaction (no validation, no index).
        const raw = openSqlite(join(dir, 'raw.db'));
        raw.exec(
          'CREATE TABLE r (id TEXT PRIMARY KEY, code TEXT, first TEXT, last TEXT, email TEXT, company TEXT, ticket TEXT)',
        );
        const ins = raw.prepare('INSERT INTO r VALUES (?, ?, ?, ?, ?, ?, ?)');
        let t0 = performance.now();
        raw.transaction(() => {
          for (const r of conf.registrants)
            ins.run(r.id, r.confirmationCode, r.firstName, r.lastName, r.email, r.company, r.ticketTypeId);
        })();
        const rawRate = conf.registrants.length / ((performance.now() - t0) / 1000);
        raw.close();

        const s = await createStation({ dbPath: join(dir, 'station.db'), stationId: 'bench' });
        const data = JSON.parse(json) as ConferenceFile;
        t0 = performance.now(); // validation + write, as a desk importing a file
        must(await s.call('conference.import', { data }));
        const rate = conf.registrants.length / ((performance.now() - t0) / 1000);
        await s.close();
        return {
          name: 'import.rate',
          value: round(rate, 0),
          unit: 'registrants/s',
          baseline: round(rawRate, 0),
          ratio: round(rate / rawRate),
          goal: '>= 20000 registrants/s',
          pass: rate >= 20_000,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'station.open',
    async run() {
      // A kiosk restarted mid-queue: a fresh process opens its existing database (50,000 registrants) and answers
      // its first status. Against a fresh process opening the same file with raw better-sqlite3 and one query.
      const RUNS = 7;
      const dir = scratch();
      try {
        const dbPath = join(dir, 'station.db');
        const s = await createStation({ dbPath, stationId: 'bench' });
        must(await s.call('conference.import', { data: generateConference({ registrants: 50_000 }) }));
        await s.close();
        const child = (mode: 'station' | 'raw') => {
          const r = spawnSync(
            process.execPath,
            ['--import', 'tsx', join(import.meta.dirname, 'station-open-child.ts'), mode, dbPath],
            { encoding: 'utf8', timeout: 60_000 },
          );
          if (r.status !== 0) throw new Error(`open child (${mode}) failed: ${r.stderr}`);
          const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
            ms: number;
            checkedMs?: number;
            registrants: number;
            integrity?: boolean;
          };
          if (out.registrants !== 50_000 || out.integrity === false)
            throw new Error(`open child (${mode}): ${r.stdout}`);
          return out;
        };
        const station: number[] = [];
        const checked: number[] = [];
        const raw: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          // Turn about, so both kinds of process meet the same load on the machine.
          const st = child('station');
          station.push(st.ms);
          checked.push(st.checkedMs!);
          raw.push(child('raw').ms);
        }
        const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
        const value = percentile(sorted(station), 50);
        const base = percentile(sorted(raw), 50);
        return {
          name: 'station.open',
          value: round(value, 1),
          unit: 'ms',
          baseline: round(base, 1),
          ratio: round(value / base, 2),
          goal: '<= 150 ms',
          pass: value <= 150,
          detail: {
            registrants: 50_000,
            runs: RUNS,
            station_max_ms: round(Math.max(...station), 1),
            raw_max_ms: round(Math.max(...raw), 1),
            integrity_verdict_p50_ms: round(percentile(sorted(checked), 50), 0),
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'station.rss',
    async run() {
      // Measured in fresh processes, so earlier benchmarks' garbage does not count, and bundled under plain Node as
      // the app runs its station host (main/electron/build.ts: core/ and main/ bundled, npm packages beside it) —
      // not under tsx, whose compiler and module cache alone weigh ~40 MB.
      const dir = scratch();
      try {
        const bundle = join(import.meta.dirname, '..', 'dist', 'bench', 'station-rss-child.mjs'); // in the repo: node_modules resolve
        await build({
          entryPoints: [join(import.meta.dirname, 'station-rss-child.ts')],
          outfile: bundle,
          bundle: true,
          platform: 'node',
          format: 'esm',
          target: 'node20',
          packages: 'external',
          logLevel: 'warning',
        });
        const conf = generateConference({ registrants: 50_000 });
        const input = join(dir, 'conference.json');
        writeFileSync(input, JSON.stringify({ conference: conf, queries: mixedQueries(conf, 1000) }));
        const child = (...args: string[]) => {
          const r = spawnSync(process.execPath, ['--expose-gc', ...stationHostV8Flags, bundle, ...args], {
            encoding: 'utf8',
            timeout: 300_000,
          });
          if (r.status !== 0) throw new Error(`rss child (${args[0]}) failed: ${r.stderr}`);
          return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { rssMb: number };
        };
        const loaded = child('loaded', input);
        const bare = child('bare');
        return {
          name: 'station.rss',
          value: round(loaded.rssMb, 1),
          unit: 'MB',
          baseline: round(bare.rssMb, 1),
          ratio: round(loaded.rssMb / bare.rssMb),
          goal: '<= 180 MB',
          pass: loaded.rssMb <= 180,
          detail: {
            registrants: 50_000,
            searches: 1000,
            above_bare_mb: round(loaded.rssMb - bare.rssMb, 1),
            process: 'bundled station code under plain Node (as the app)',
          },
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

/** Names, name prefixes, two-word queries in either order, emails and codes — what desk staff type. */
export function mixedQueries(conf: ConferenceFile, n: number): string[] {
  const rnd = mulberry32(7);
  const pick = () => conf.registrants[Math.floor(rnd() * conf.registrants.length)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = pick();
    const kind = i % 6;
    if (kind === 0) out.push(r.lastName || r.firstName);
    else if (kind === 1) out.push((r.firstName || r.lastName).slice(0, 3));
    else if (kind === 2) out.push(`${r.lastName} ${r.firstName}`.trim());
    else if (kind === 3) out.push(`${r.firstName.slice(0, 2)} ${r.lastName.slice(0, 4)}`.trim());
    else if (kind === 4) out.push(r.email.split('@')[0]!);
    else out.push(r.confirmationCode);
  }
  return out;
}

/**
 * Mistyped queries for `search.fuzzy.p99`, each with what a right answer is: the person (a code), or anyone of
 * that name (a name alone: with 50,000 registrants, "Silva" is many people, and any of them is a fair hit).
 */
export function fuzzyQueries(
  conf: ConferenceFile,
  n: number,
): { queries: string[]; want: Map<string, (hit: { id: string; firstName: string; lastName: string }) => boolean> } {
  const rnd = mulberry32(19);
  const want = new Map<string, (hit: { id: string; firstName: string; lastName: string }) => boolean>();
  const queries: string[] = [];
  const typo = (w: string, kind: number): string => {
    if (w.length < 5) return w;
    const i = 1 + Math.floor(rnd() * (w.length - 3));
    return kind === 0 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + w[i + 1]! + w[i]! + w.slice(i + 2); // a letter dropped, or two swapped
  };
  while (queries.length < n) {
    const r = conf.registrants[Math.floor(rnd() * conf.registrants.length)]!;
    const kind = queries.length % 4;
    const q =
      kind === 0
        ? typo(r.lastName, 0)
        : kind === 1
          ? `${r.firstName} ${typo(r.lastName, 1)}`
          : kind === 2
            ? r.confirmationCode.replace(/[^A-Za-z0-9]/g, '').toLowerCase()
            : r.lastName.normalize('NFD').replace(/\p{M}/gu, '').replace(/'/g, '');
    if (!q || q.length < 4) continue;
    if (want.has(q)) continue;
    queries.push(q);
    want.set(
      q,
      kind === 2
        ? (h) => h.id === r.id
        : kind === 1
          ? (h) => h.lastName === r.lastName && h.firstName === r.firstName
          : (h) => h.lastName === r.lastName,
    );
  }
  return { queries, want };
}

async function timeQueries(queries: string[], run: (q: string) => Promise<unknown>): Promise<number[]> {
  for (const q of queries.slice(0, 20)) await run(q); // warm the page cache and statement paths
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await run(q);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}
