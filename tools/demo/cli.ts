/**
 * `npm run demo [-- --out DIR]`: the seed's scenario, played for real. Starts the Service Bus emulator, the HQ
 * ledger and two headless stations (desk A behind a fault proxy), and narrates: A and B in sync with one seat
 * left, A's link drops, B sells the last seat, A sells it too under the seed's rule, A reconnects, HQ's verdict,
 * the reconciliation case on every station, the numbers everyone ends up with — and, last, a supervisor reverses
 * the oversold seat and every station agrees.
 *
 * With `--out DIR` the databases stay in DIR (desk-a.db, desk-b.db, hq.db, plus conference.json and
 * hq.config.json) for the station command line and the browser mode. Bad arguments exit with code 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Sale } from '../../core/api';
import type { Result } from '../../core/result';
import { describeEvent } from '../../hq/describe';
import type { LedgerEvent } from '../../hq/ledger';
import type { Station } from '../../main/station/create-station';
import { demoConferenceWithSeedPanel } from './conferences';
import { startWorld, until, type World } from './world';

const usage = 'usage: npm run demo [-- --out DIR] [--no-color]';
const SESSION = 'seed-panel';

function parseArgs(argv: string[]): { out: string | null; color: boolean } {
  let out: string | null = null;
  let color = process.stdout.isTTY === true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) fail('--out needs a directory');
      out = resolve(v);
    } else if (a.startsWith('--out=')) out = resolve(a.slice(6));
    else if (a === '--no-color') color = false;
    else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown argument "${a}"`);
  }
  return { out, color };
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function fail(message: string): never {
  console.error(`demo: ${message}\n${usage}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const c = (code: string, s: string) => (args.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const who: Record<string, (s: string) => string> = { hq: (s) => c('35', s), 'desk-a': (s) => c('36', s), 'desk-b': (s) => c('33', s), link: (s) => c('31', s), all: (s) => c('1', s) };
  const t0 = Date.now();
  const line = (actor: string, text: string) => {
    const at = `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
    console.log(`${c('2', at)}  ${(who[actor] ?? ((s: string) => s))(actor.padEnd(6))}  ${text}`);
  };
  const dir = args.out ?? mkdtempSync(join(tmpdir(), 'lanyard-demo-'));
  const conference = demoConferenceWithSeedPanel();
  const names = new Map(conference.registrants.map((r) => [r.id, `${r.firstName} ${r.lastName}`.trim()]));
  const buyers = conference.registrants.filter((r) => !r.sessions.includes(SESSION)).slice(0, 2);
  const [forB, forA] = [buyers[0]!, buyers[1]!];

  console.log(c('1', 'Lanyard — the seed’s last seat, played for real'));
  const panelSession = conference.sessions.find((s) => s.id === SESSION)!;
  const venueTime = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: conference.conference.timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
  console.log(`${conference.conference.name}, ${conference.conference.startsOn} to ${conference.conference.endsOn} (the demo is moved so that day 1 is today, ${conference.conference.timezone}).`);
  console.log(`"${panelSession.title}" at ${venueTime(panelSession.startsAt)}: 10 seats, 9 held. Rule for offline sales: synced within the hour and ≥ 10% of seats left.\n`);

  const hqEvents = (e: LedgerEvent) => {
    if (['verdict', 'case.opened', 'case.resolved', 'badge.revoked', 'dead-letter'].includes(e.type)) line('hq', describeEvent(e)!);
  };
  let world: World | null = null;
  try {
    world = await startWorld({ dir, conference, stations: [{ id: 'desk-a' }, { id: 'desk-b' }], hqOptions: { onEvent: hqEvents } });
    line('hq', `ledger up: ${conference.sessions.length} sessions seeded from the conference file; emulator on 127.0.0.1:${world.bus.port}`);
    const A = world.stations['desk-a']!;
    const B = world.stations['desk-b']!;
    for (const ws of [A, B]) {
      ws.station.events$.subscribe((e) => {
        if (e.type === 'sale.decided' && e.sessionId === SESSION) line(ws.id, `HQ's verdict on sale …${e.saleId.slice(-8)} arrived: ${e.status.toUpperCase()}`);
      });
      // What staff would see as toasts: the case on every station, its resolution, the extra chair or the refund.
      ws.station.notifications$.subscribe((n) => line(ws.id, `🔔 [${n.audience}] ${n.title} — ${n.message}`));
    }
    const status = async (s: Station) => (await s.call('sync.status', {})) as { ok: true; value: { state: string } };
    const panel = async (s: Station) => {
      const r = await s.call('sessions.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.find((x) => x.id === SESSION)!.availability;
    };
    await until(async () => (await world!.agree()) && (await status(A.station)).value.state === 'online' && (await status(B.station)).value.state === 'online', 20_000, 'stations in sync');
    for (const ws of [A, B]) {
      const a = await panel(ws.station);
      line(ws.id, `online and in sync: ${a.sold}/${a.capacity} sold, ${a.capacity - a.sold - a.allotted} seat left (version ${a.version})`);
    }

    A.dropLink();
    line('link', `✂ desk A's network drops (connections reset, reconnects refused)`);
    await until(async () => (await status(A.station)).value.state !== 'online', 10_000, 'A offline');
    line('desk-a', `knows it is ${(await status(A.station)).value.state}`);

    const t1 = Date.now();
    const sb = await B.station.call('sale.sell', { sessionId: SESSION, registrantId: forB.id });
    if (!sb.ok) throw new Error(sb.error.message);
    line('desk-b', `sold the last seat to ${names.get(forB.id)} — online, ${sb.value.outcome} by HQ in ${Date.now() - t1} ms`);
    await until(async () => (await panel(B.station)).sold === 10, 5000, 'B sees the session full');
    line('desk-b', `now shows ${(await panel(B.station)).sold}/10 sold: full`);

    const pv = await A.station.call('sale.preview', { sessionId: SESSION, registrantId: forA.id });
    if (!pv.ok) throw new Error(pv.error.message);
    const b = pv.value.basis;
    line('desk-a', `${names.get(forA.id)} wants a seat. A still sees ${b.sold}/${b.capacity} sold; last sync ${b.stalenessMin?.toFixed(1)} min ago (≤ ${b.maxStalenessMin}), ${b.unallocated} of ${b.capacity} left = ${Math.round((b.remainingRatio ?? 0) * 100)}% (≥ ${b.minRemainingRatio * 100}%), k_max ${b.kMax}`);
    const sa = await A.station.call('sale.sell', { sessionId: SESSION, registrantId: forA.id });
    if (!sa.ok) throw new Error(sa.error.message);
    const aSale = sa.value.sale as Sale;
    line('desk-a', `sold it offline: tier ${aSale.tier}, ${aSale.atRisk ? 'at risk until HQ decides' : 'no risk'} — the badge can print`);

    await new Promise((r) => setTimeout(r, 800));
    A.restoreLink();
    line('link', `desk A's network is back`);
    await until(async () => {
      const r = await A.station.call('cases.list', { status: 'open' });
      return r.ok && r.value.length === 1;
    }, 30_000, 'the case at A');
    await until(() => world!.agree(), 10_000, 'everyone agrees');

    const n = await world.numbers();
    const fmt = (x: { capacity: number; sold: number; allotted: number; version: number }) => `${x.sold}/${x.capacity} sold, ${x.allotted} allotted, v${x.version}`;
    line('all', `numbers for ${SESSION}: HQ ${fmt(n.hq![SESSION]!)} | desk A ${fmt(n.stations['desk-a']![SESSION]!)} | desk B ${fmt(n.stations['desk-b']![SESSION]!)} — they agree`);
    const oversold = await world.hq!.ledger.feedOfType('SaleOversold');
    line('all', `SaleOversold messages: ${oversold.length} (desk A's); desk B's sale stands; the case is open on both desks`);

    // ---- last act: a supervisor resolves the case (reverse), and every station agrees ----
    console.log('');
    const sam = { supervisorId: 'sam', pin: '2468' };
    for (const ws of [A, B]) must(await ws.station.call('staff.add', { id: 'sam', name: 'Sam (supervisor)', role: 'supervisor', pin: sam.pin }));
    const [kase] = must(await B.station.call('cases.list', { status: 'open' }));
    line('desk-b', `supervisor console: ${names.get(kase!.registrantId)}'s seat, sold at desk A (${kase!.tier}), due at ${venueTime(kase!.dueAt!)} (${Math.round(kase!.minutesLeft!)} min left); untouched, HQ would ${kase!.defaultAction} it`);
    const resolved = must(await B.station.call('cases.resolve', { caseId: kase!.id, action: 'reverse', supervisor: sam, note: 'apologised at the desk; refund by card' }));
    line('desk-b', `Sam reverses it with a PIN (audited, sent to HQ): ${resolved.outcome.toUpperCase()} — ${resolved.message}`);
    await until(async () => {
      const both = await Promise.all([A, B].map(async (ws) => must(await ws.station.call('cases.list', { status: 'all' }))[0]?.status));
      return both.every((x) => x === 'resolved') && (await world!.agree());
    }, 15_000, 'every station applies the reversal');
    const after = await world.numbers();
    line('all', `numbers for ${SESSION}: HQ ${fmt(after.hq![SESSION]!)} | desk A ${fmt(after.stations['desk-a']![SESSION]!)} | desk B ${fmt(after.stations['desk-b']![SESSION]!)} — back to full, nobody over, and they agree`);
    for (const ws of [A, B]) {
      const [c] = must(await ws.station.call('cases.list', { status: 'all' }));
      const seats = must(await ws.station.call('registrant.get', { id: forA.id })).sessions.filter((x) => x.sessionId === SESSION).length;
      const contacts = must(await ws.station.call('reports.export', { report: 'contacts' }));
      line(ws.id, `case ${c!.resolution} by ${c!.resolvedBy} (“${c!.note}”); ${names.get(forA.id)} holds ${seats} seat(s) in the panel; contact/refund list: ${contacts.rows} row(s)`);
    }
    if (args.out) {
      console.log(`\nDatabases left in ${dir}: desk-a.db, desk-b.db, hq.db (and conference.json, hq.config.json). For example:`);
      console.log(`  npm run -s station -- --db ${join(dir, 'desk-a.db')} cases --all`);
      console.log(`  npm run -s station -- --db ${join(dir, 'desk-b.db')} export contacts --out contacts.csv`);
    }
  } finally {
    await world?.stop();
    if (!args.out) rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`demo failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
