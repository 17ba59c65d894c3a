/**
 * A station in its own process, for the crash matrix (tests/sync/crash-matrix.test.ts): it opens an existing
 * station database with sync to the emulator, keeps selling and checking in, and syncs, until the test kills it
 * with SIGKILL (or, as a safety net, until `--max-ms` passed).
 *
 *   node --import tsx tests/support/station-child.ts --db FILE --mode flush|apply [--backlog N] [--seed N]
 *        [--batch-size N] [--feed-batch N] [--max-ms N] [--wait-go]
 *
 * The connection string comes in LANYARD_CS (not argv: it holds a key). Every line on stdout is JSON:
 *   {"ev":"ready"}                      the station is open
 *   {"ev":"ack","seq":N}                a command returned ok; every outbox seq up to N is committed
 *   {"ev":"online"}                     (flush mode) the backlog is written and the network is back: flushing
 *   {"ev":"applied","n":K}              K feed messages applied (or found duplicate) so far in this process
 * stdout to a pipe is synchronous on Linux, so a line printed before the kill reaches the test.
 */
import { parseArgs } from 'node:util';
import { BehaviorSubject } from 'rxjs';
import { createStation } from '../../main/station/create-station';
import { outboxStats } from '../../main/store/queues';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    station: { type: 'string', default: 'desk-a' },
    mode: { type: 'string', default: 'flush' },
    backlog: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'batch-size': { type: 'string', default: '20' },
    /** Feed messages per transaction: small, so a kill can land between the receiver's transactions. */
    'feed-batch': { type: 'string', default: '3' },
    'max-ms': { type: 'string', default: '20000' },
    /** Load everything, then wait for a line on stdin before opening the database (the test pre-spawns). */
    'wait-go': { type: 'boolean', default: false },
  },
  strict: true,
});
const connectionString = process.env.LANYARD_CS;
if (!values.db || !connectionString || (values.mode !== 'flush' && values.mode !== 'apply')) {
  console.error('usage: LANYARD_CS=... station-child.ts --db FILE --mode flush|apply [--backlog N]');
  process.exit(2);
}
const say = (line: Record<string, unknown>) => process.stdout.write(JSON.stringify(line) + '\n');

const loadedAt = performance.now();
if (values['wait-go']) {
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (d: Buffer) => d.includes(10) && resolve());
    process.stdin.on('end', () => process.exit(0));
    setTimeout(() => process.exit(0), 120_000).unref(); // never left waiting forever
  });
  process.stdin.pause();
}

const goAt = performance.now();
const os = new BehaviorSubject(values.mode === 'apply');
const station = await createStation({
  dbPath: values.db,
  stationId: values.station,
  sync: {
    connectionString,
    retry: { initialMs: 50, maxMs: 500 },
    batchSize: Number(values['batch-size']),
    feedBatchSize: Number(values['feed-batch']),
    feedFreshMs: 60_000,
    keepSeatsInHand: 0,
  },
  osOnline$: os,
});
let applied = 0;
station.events$.subscribe((e) => {
  if (e.type === 'hq.contact') say({ ev: 'applied', n: (applied += e.messages) });
});
say({
  ev: 'ready',
  loadMs: Math.round(loadedAt),
  openMs: Math.round(performance.now() - goAt),
  waitedMs: Math.round(goAt - loadedAt),
});

// A deterministic walk of desk work: walk-up registration, a seat sold from the allotment, a check-in. The made-up
// names differ by a digit, which the desk's duplicate warning would flag as similar: staff have said "not them".
let step = Number(values.seed) * 1_000_003;
async function oneCommand(): Promise<void> {
  const n = step++;
  let ok: boolean;
  if (n % 3 === 0) {
    ok = (
      await station.call('registrant.registerWalkUp', {
        firstName: 'Walk',
        lastName: `Up ${n}`,
        ticketTypeId: 'full',
        allowDuplicate: true,
      })
    ).ok;
  } else if (n % 3 === 1) {
    const reg = await station.call('registrant.registerWalkUp', {
      firstName: 'Buyer',
      lastName: `${n}`,
      ticketTypeId: 'full',
      allowDuplicate: true,
    });
    ok = reg.ok && (await station.call('sale.sell', { sessionId: 'hall', registrantId: reg.value.id })).ok;
  } else {
    ok = (await station.call('checkin.record', { registrantId: 'r1' })).ok;
  }
  if (!ok) throw new Error(`a desk command failed at step ${n}`);
  say({ ev: 'ack', seq: (await outboxStats(station.db)).lastSeq });
}

const deadline = Date.now() + Number(values['max-ms']);
const backlog = Number(values.backlog);
const startSeq = (await outboxStats(station.db)).lastSeq;
while ((await outboxStats(station.db)).lastSeq - startSeq < backlog && Date.now() < deadline) await oneCommand();
if (values.mode === 'flush') {
  os.next(true);
  say({ ev: 'online', t: Date.now() });
  // Tell the test once the relay has marked its first batch sent: the flush is under way.
  void (async () => {
    while (Date.now() < deadline) {
      const st = await station.call('sync.status', {});
      if (st.ok && st.value.outbox.sentTotal > 0)
        return say({ ev: 'flushing', t: Date.now(), sent: st.value.outbox.sentTotal, depth: st.value.outbox.depth });
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
}
// Keep working while syncing, a little slower than flat out so the relay and the receiver get their turns.
while (Date.now() < deadline) {
  await oneCommand();
  await new Promise((r) => setTimeout(r, 5));
}
await station.close();
process.exit(0);
