/**
 * `npm run demo [-- --out DIR]`: the seed's scenario, played for real. Starts the Service Bus emulator, the HQ
 * ledger and two headless stations (desk A behind a fault proxy), and narrates. Act 1, a panel no desk keeps seats
 * for: A and B in sync with one seat left, A's link drops, B sells the last seat, A sells it too on its overdraft
 * rule (as the seed's rule would), A reconnects, HQ's verdict, the reconciliation case on every station, the numbers
 * everyone ends up with, and a supervisor reverses the oversold seat. Act 2, Lanyard's default on a second panel:
 * A's allotment keeper holds the last seat in hand; A's link drops; B's buyer is turned away (HQ asks A for the
 * seat, A is away); A sells the seat from its hand at no risk; nothing is oversold.
 *
 * With `--out DIR` the databases stay in DIR (desk-a.db, desk-b.db, hq.db, plus conference.json and
 * hq.config.json) for the station command line and the browser mode. Bad arguments exit with code 2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultGrant } from '../../core/allotment-sizing';
import type { Sale } from '../../core/api';
import type { Result } from '../../core/result';
import { describeEvent } from '../../hq/describe';
import type { LedgerEvent } from '../../hq/ledger';
import type { Station } from '../../main/station/create-station';
import { demoConferenceWithSeedPanel } from './conferences';
import { startWorld, until, type World } from './world';

const usage = 'usage: npm run demo [-- --out DIR] [--no-color]';
const SESSION = 'seed-panel';
const HAND = 'hand-panel';

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
  const who: Record<string, (s: string) => string> = {
    hq: (s) => c('35', s),
    'desk-a': (s) => c('36', s),
    'desk-b': (s) => c('33', s),
    link: (s) => c('31', s),
    all: (s) => c('1', s),
  };
  const t0 = Date.now();
  const line = (actor: string, text: string) => {
    const at = `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
    console.log(`${c('2', at)}  ${(who[actor] ?? ((s: string) => s))(actor.padEnd(6))}  ${text}`);
  };
  const dir = args.out ?? mkdtempSync(join(tmpdir(), 'lanyard-demo-'));
  const conference = demoConferenceWithSeedPanel();
  const names = new Map(conference.registrants.map((r) => [r.id, `${r.firstName} ${r.lastName}`.trim()]));
  // Full-pass holders: the panels are on day 1, and a day pass for another day may not buy a seat in them.
  const buyers = conference.registrants
    .filter((r) => r.ticketTypeId === 'full' && !r.sessions.includes(SESSION) && !r.sessions.includes(HAND))
    .slice(0, 4);
  const [forB, forA, forB2, forA2] = [buyers[0]!, buyers[1]!, buyers[2]!, buyers[3]!];

  console.log(c('1', 'Lanyard — the seed’s last seat, played for real'));
  const panelSession = conference.sessions.find((s) => s.id === SESSION)!;
  const venueTime = (iso: string) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: conference.conference.timezone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  console.log(
    `${conference.conference.name}, ${conference.conference.startsOn} to ${conference.conference.endsOn} (the demo is moved so that day 1 is today, ${conference.conference.timezone}).`,
  );
  const handSession = conference.sessions.find((s) => s.id === HAND)!;
  console.log(
    `Two panels at ${venueTime(panelSession.startsAt)}, 10 seats each, 9 held. Act 1, "${panelSession.title}": no desk keeps seats in hand`,
  );
  console.log(
    `for it, so an offline desk decides by its overdraft rule alone (as the seed's rule would). Act 2, "${handSession.title}":`,
  );
  console.log(`Lanyard's default — desk A's allotment keeper holds seats in hand.\n`);

  const hqEvents = (e: LedgerEvent) => {
    if (['verdict', 'case.opened', 'case.resolved', 'badge.revoked', 'dead-letter', 'sale.waiting'].includes(e.type))
      line('hq', describeEvent(e)!);
  };
  let world: World | null = null;
  try {
    // Both desks run the adaptive allotment keeper (the stations' default); A keeps seats for act 2's panel only and
    // B for none, so that the story is the same every time.
    world = await startWorld({
      dir,
      conference,
      stations: [
        { id: 'desk-a', keepSeatsInHand: 'adaptive', keepSessions: [HAND] },
        { id: 'desk-b', keepSeatsInHand: 'adaptive', keepSessions: [] },
      ],
      hq: { allotmentShare: defaultGrant.allotmentShare }, // HQ's default grant rule (the test worlds use a larger share)
      hqOptions: { onEvent: hqEvents },
    });
    line(
      'hq',
      `ledger up: ${conference.sessions.length} sessions seeded from the conference file; emulator on 127.0.0.1:${world.bus.port}`,
    );
    const A = world.stations['desk-a']!;
    const B = world.stations['desk-b']!;
    for (const ws of [A, B]) {
      ws.station.events$.subscribe((e) => {
        if (e.type === 'sale.decided' && (e.sessionId === SESSION || e.sessionId === HAND))
          line(ws.id, `HQ's verdict on sale …${e.saleId.slice(-8)} arrived: ${e.status.toUpperCase()}`);
      });
      // What staff would see as toasts: the case on every station, its resolution, the extra chair or the refund.
      ws.station.notifications$.subscribe((n) => line(ws.id, `🔔 [${n.audience}] ${n.title} — ${n.message}`));
    }
    const status = async (s: Station) => (await s.call('sync.status', {})) as { ok: true; value: { state: string } };
    const panel = async (s: Station, id = SESSION) => {
      const r = await s.call('sessions.list', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value.find((x) => x.id === id)!.availability;
    };
    await until(
      async () =>
        (await world!.agree()) &&
        (await status(A.station)).value.state === 'online' &&
        (await status(B.station)).value.state === 'online',
      20_000,
      'stations in sync',
    );
    for (const ws of [A, B]) {
      const a = await panel(ws.station);
      line(
        ws.id,
        `online and in sync: ${a.sold}/${a.capacity} sold, ${a.capacity - a.sold - a.allotted} seat left (version ${a.version})`,
      );
    }

    A.dropLink();
    line('link', `✂ desk A's network drops (connections reset, reconnects refused)`);
    await until(async () => (await status(A.station)).value.state !== 'online', 10_000, 'A offline');
    line('desk-a', `knows it is ${(await status(A.station)).value.state}`);

    const t1 = Date.now();
    const sb = await B.station.call('sale.sell', { sessionId: SESSION, registrantId: forB.id });
    if (!sb.ok) throw new Error(sb.error.message);
    line(
      'desk-b',
      `sold the last seat to ${names.get(forB.id)} — online, ${sb.value.outcome} by HQ in ${Date.now() - t1} ms`,
    );
    await until(async () => (await panel(B.station)).sold === 10, 5000, 'B sees the session full');
    line('desk-b', `now shows ${(await panel(B.station)).sold}/10 sold: full`);

    const pv = await A.station.call('sale.preview', { sessionId: SESSION, registrantId: forA.id });
    if (!pv.ok) throw new Error(pv.error.message);
    const b = pv.value.basis;
    line(
      'desk-a',
      `${names.get(forA.id)} wants a seat. A still sees ${b.sold}/${b.capacity} sold; last sync ${b.stalenessMin?.toFixed(1)} min ago (≤ ${b.maxStalenessMin}), ${b.unallocated} of ${b.capacity} left = ${Math.round((b.remainingRatio ?? 0) * 100)}% (≥ ${b.minRemainingRatio * 100}%), k_max ${b.kMax}`,
    );
    const sa = await A.station.call('sale.sell', { sessionId: SESSION, registrantId: forA.id });
    if (!sa.ok) throw new Error(sa.error.message);
    const aSale = sa.value.sale as Sale;
    line(
      'desk-a',
      `sold it offline: tier ${aSale.tier}, ${aSale.atRisk ? 'at risk until HQ decides' : 'no risk'} — the badge can print`,
    );

    await new Promise((r) => setTimeout(r, 800));
    A.restoreLink();
    line('link', `desk A's network is back`);
    await until(
      async () => {
        const r = await A.station.call('cases.list', { status: 'open' });
        return r.ok && r.value.length === 1;
      },
      30_000,
      'the case at A',
    );
    await until(() => world!.agree(), 10_000, 'everyone agrees');

    const n = await world.numbers();
    const fmt = (x: { capacity: number; sold: number; allotted: number; version: number }) =>
      `${x.sold}/${x.capacity} sold, ${x.allotted} allotted, v${x.version}`;
    line(
      'all',
      `numbers for ${SESSION}: HQ ${fmt(n.hq![SESSION]!)} | desk A ${fmt(n.stations['desk-a']![SESSION]!)} | desk B ${fmt(n.stations['desk-b']![SESSION]!)} — they agree`,
    );
    const oversold = await world.hq!.ledger.feedOfType('SaleOversold');
    line(
      'all',
      `SaleOversold messages: ${oversold.length} (desk A's); desk B's sale stands; the case is open on both desks`,
    );

    // ---- last act: a supervisor resolves the case (reverse), and every station agrees ----
    console.log('');
    const sam = { supervisorId: 'sam', pin: '2468' };
    for (const ws of [A, B])
      must(
        await ws.station.call('staff.add', { id: 'sam', name: 'Sam (supervisor)', role: 'supervisor', pin: sam.pin }),
      );
    const [kase] = must(await B.station.call('cases.list', { status: 'open' }));
    line(
      'desk-b',
      `supervisor console: ${names.get(kase!.registrantId)}'s seat, sold at desk A (${kase!.tier}), due at ${venueTime(kase!.dueAt!)} (${Math.round(kase!.minutesLeft!)} min left); untouched, HQ would ${kase!.defaultAction} it`,
    );
    const resolved = must(
      await B.station.call('cases.resolve', {
        caseId: kase!.id,
        action: 'reverse',
        supervisor: sam,
        note: 'apologised at the desk; refund by card',
      }),
    );
    line(
      'desk-b',
      `Sam reverses it with a PIN (audited, sent to HQ): ${resolved.outcome.toUpperCase()} — ${resolved.message}`,
    );
    await until(
      async () => {
        const both = await Promise.all(
          [A, B].map(async (ws) => must(await ws.station.call('cases.list', { status: 'all' }))[0]?.status),
        );
        return both.every((x) => x === 'resolved') && (await world!.agree());
      },
      15_000,
      'every station applies the reversal',
    );
    const after = await world.numbers();
    line(
      'all',
      `numbers for ${SESSION}: HQ ${fmt(after.hq![SESSION]!)} | desk A ${fmt(after.stations['desk-a']![SESSION]!)} | desk B ${fmt(after.stations['desk-b']![SESSION]!)} — back to full, nobody over, and they agree`,
    );
    for (const ws of [A, B]) {
      const [c] = must(await ws.station.call('cases.list', { status: 'all' }));
      const seats = must(await ws.station.call('registrant.get', { id: forA.id })).sessions.filter(
        (x) => x.sessionId === SESSION,
      ).length;
      const contacts = must(await ws.station.call('reports.export', { report: 'contacts' }));
      line(
        ws.id,
        `case ${c!.resolution} by ${c!.resolvedBy} (“${c!.note}”); ${names.get(forA.id)} holds ${seats} seat(s) in the panel; contact/refund list: ${contacts.rows} row(s)`,
      );
    }

    // ---- act 2: Lanyard's default — a seat in hand ----
    console.log('');
    console.log(c('1', `Act 2 — "${handSession.title}", Lanyard's default`));
    await until(
      async () => (await panel(A.station, HAND)).allotmentRemaining === 1,
      20_000,
      'A holds the last seat in hand',
    );
    await until(() => world!.agree(), 10_000, 'everyone agrees');
    const h = await panel(A.station, HAND);
    line(
      'desk-a',
      `its keeper asked HQ for seats in hand and holds the last one: ${h.sold}/${h.capacity} sold, ${h.allotted} in A's hands, ${h.capacity - h.sold - h.allotted} in the pool`,
    );
    A.dropLink();
    line('link', `✂ desk A's network drops again`);
    await until(async () => (await status(A.station)).value.state !== 'online', 10_000, 'A offline');
    const sb2 = must(await B.station.call('sale.sell', { sessionId: HAND, registrantId: forB2.id }));
    line('desk-b', `${names.get(forB2.id)} wants a seat: ${sb2.outcome.toUpperCase()} — ${sb2.message}`);
    if (sb2.outcome === 'awaiting')
      line(
        'desk-b',
        `staff cancel it: ${must(await B.station.call('sale.release', { saleId: sb2.sale!.id, reason: 'no seat' })).status}`,
      );
    const sa2 = must(await A.station.call('sale.sell', { sessionId: HAND, registrantId: forA2.id }));
    line(
      'desk-a',
      `${names.get(forA2.id)} gets the seat from A's hand, offline: tier ${sa2.sale!.tier}, ${sa2.sale!.atRisk ? 'at risk' : 'no risk'} — the badge can print`,
    );
    await new Promise((r) => setTimeout(r, 500));
    A.restoreLink();
    line('link', `desk A's network is back`);
    // Waited for at HQ itself: on a loaded machine HQ counts B's turned-away sale as sold (oversold) for a moment,
    // so "10/10 sold" on A's screen does not mean A's sale has arrived.
    const saleAtHq = async () =>
      (await world!.hq!.ledger.view()).sales.find((x) => x.session_id === HAND && x.station === 'station:desk-a');
    await until(async () => (await saleAtHq()) !== undefined, 30_000, 'A’s sale at HQ');
    await until(() => world!.agree(), 10_000, 'everyone agrees');
    const end = await world.numbers();
    line(
      'all',
      `numbers for ${HAND}: HQ ${fmt(end.hq![HAND]!)} | desk A ${fmt(end.stations['desk-a']![HAND]!)} | desk B ${fmt(end.stations['desk-b']![HAND]!)} — full, nobody over, and they agree`,
    );
    const fromHand = (await saleAtHq())!;
    line(
      'all',
      `desk A's sale from its hand: ${fromHand.verdict.toUpperCase()} (a seat in hand never oversells); desk B's buyer was turned away while A held the seat — the price of holding it`,
    );

    if (args.out) {
      console.log(
        `\nDatabases left in ${dir}: desk-a.db, desk-b.db, hq.db (and conference.json, hq.config.json). For example:`,
      );
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
