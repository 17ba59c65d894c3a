/**
 * HQ killed (SIGKILL, a real child process: `hq/cli.ts`) while two real stations keep selling, then restarted:
 * nothing is lost and nothing is applied twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConferenceFile } from '../../core/conference';
import { Ledger } from '../../hq/ledger';
import { openHqDb } from '../../hq/store/db';
import { startWorld, until, type World } from '../../tools/demo/world';
import { rawAll } from '../support/db-snapshot';
import { conferenceDay, dayAt, tempDir } from '../support/fixtures';

const root = fileURLToPath(new URL('../../', import.meta.url));
let t: ReturnType<typeof tempDir>;
let world: World | null = null;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await world?.stop();
  world = null;
  t?.cleanup();
});

function spawnHq(configFile: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/cli.ts', '--config', configFile], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    ready: until(() => out.includes('HQ listening'), 20_000, 'HQ child listening'),
  };
}

function conference(): ConferenceFile {
  const registrants: ConferenceFile['registrants'] = [];
  for (let i = 0; i < 30; i++)
    registrants.push({
      id: `h${i}`,
      confirmationCode: `H-${i}`,
      firstName: 'Holder',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: ['hall'],
    });
  for (let i = 0; i < 240; i++)
    registrants.push({
      id: `g${i}`,
      confirmationCode: `G-${i}`,
      firstName: 'Guest',
      lastName: `${i}`,
      email: '',
      company: '',
      ticketTypeId: 'full',
      sessions: [],
    });
  return {
    format: 'lanyard.conference/1',
    conference: {
      id: 'restart-conf',
      name: 'Restart Conf',
      timezone: 'UTC',
      startsOn: conferenceDay(),
      endsOn: conferenceDay(),
    },
    ticketTypes: [{ id: 'full', name: 'Full', badgeTemplate: 'standard' }],
    sessions: [
      {
        id: 'hall',
        title: 'Big hall talk',
        room: 'Hall',
        startsAt: dayAt('14:00'),
        endsAt: dayAt('15:00'),
        capacity: 1000,
        sellable: true,
      },
    ],
    registrants,
  };
}

describe('HQ killed and restarted mid-stream', () => {
  it('loses nothing and applies nothing twice', { timeout: 90_000 }, async () => {
    t = tempDir('lanyard-restart-');
    world = await startWorld({
      dir: t.dir,
      conference: conference(),
      stations: [{ id: 'desk-a' }, { id: 'desk-b' }],
      startHq: false,
      lockDuration: 'PT2S',
      verdictTimeoutMs: 400,
    });
    const first = spawnHq(world.hqConfigFile);
    await first.ready;
    const stations = Object.values(world.stations);
    await until(
      async () => {
        for (const s of stations) {
          const st = await s.station.call('sync.status', {});
          if (!st.ok || st.value.state !== 'online') return false;
        }
        return true;
      },
      20_000,
      'desks online',
    );
    const dbOf = (id: string) => join(t.dir, `${id}.db`);
    const decided = () =>
      stations.reduce(
        (n, s) => n + rawAll<{ n: number }>(dbOf(s.id), `SELECT count(*) n FROM sale WHERE status = 'confirmed'`)[0]!.n,
        0,
      );

    // Both desks sell continuously, 120 guests each.
    const outcomes: Record<string, number> = {};
    const selling = stations.map(async (s, k) => {
      for (let i = k; i < 240; i += 2) {
        const r = await s.station.call('sale.sell', { sessionId: 'hall', registrantId: `g${i}` });
        const key = r.ok ? r.value.outcome : r.error.code;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    });
    await until(() => decided() >= 40, 30_000, '40 sales decided');
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = decided();
    await new Promise((r) => setTimeout(r, 1500)); // the desks keep selling without HQ
    const second = spawnHq(world.hqConfigFile);
    await second.ready;
    await Promise.all(selling);

    const sales = () =>
      stations.flatMap((s) => rawAll<{ id: string; status: string }>(dbOf(s.id), `SELECT id, status FROM sale`));
    await until(() => sales().every((s) => s.status !== 'pending'), 30_000, 'every sale decided');
    await until(
      () =>
        stations.every(
          (s) =>
            rawAll<{ n: number }>(dbOf(s.id), `SELECT count(*) n FROM outbox_status WHERE sent_at IS NULL`)[0]!.n === 0,
        ),
      10_000,
      'outboxes flushed',
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(sales().length); // killed mid-stream
    const opened = await openHqDb(join(t.dir, 'hq.db'));
    try {
      const v = await new Ledger(
        opened.db,
        {
          allotmentShare: 0.5,
          reclaimAfterMinutes: 120,
          recallBeforeStartMinutes: 10,
          salesRateWindowMinutes: 15,
          snapshotChunkSize: 100,
        },
        opened.writer,
      ).view();
      const stationSales = sales();
      // Nothing lost: every sale a desk recorded was decided at HQ, once; every event was applied, once.
      expect(stationSales.every((s) => s.status === 'confirmed')).toBe(true);
      expect(v.sales.map((s) => s.id).sort()).toEqual(stationSales.map((s) => s.id).sort());
      const sent = stations.reduce(
        (n, s) =>
          n + rawAll<{ value: number }>(dbOf(s.id), `SELECT value FROM counter WHERE name = 'outbox'`)[0]!.value,
        0,
      );
      expect(v.inbox).toEqual({ applied: sent, rejected: 0 });
      expect(v.deadLetters).toEqual([]);
      expect(v.sessions[0]).toMatchObject({ capacity: 1000, sold: 30 + stationSales.length });
      const opened2 = rawAll<{ type: string; n: number }>(
        join(t.dir, 'hq.db'),
        `SELECT type, count(*) n FROM feed_outbox WHERE type IN ('SaleConfirmed', 'SaleOversold') GROUP BY type`,
      );
      expect(opened2).toEqual([{ type: 'SaleConfirmed', n: stationSales.length }]);
      // And each desk applied each of its verdicts once.
      for (const s of stations) {
        const own = rawAll<{ n: number }>(dbOf(s.id), `SELECT count(*) n FROM sale`)[0]!.n;
        const applied = rawAll<{ n: number }>(
          dbOf(s.id),
          `SELECT count(*) n FROM inbox WHERE type = 'SaleConfirmed' AND status = 'applied'`,
        )[0]!.n;
        expect(applied).toBe(own);
      }
      const hall = v.sessions[0]!;
      await until(
        async () => {
          const n = await world!.numbers();
          return Object.values(n.stations).every((x) => x.hall?.sold === hall.sold && x.hall.version === hall.version);
        },
        10_000,
        'stations hold HQ’s final numbers',
      );
    } finally {
      await opened.close();
    }
    // While HQ was down the desks went on: some sales proceeded on their own authority or waited for HQ.
    expect((outcomes.proceed ?? 0) + (outcomes.awaiting ?? 0)).toBeGreaterThan(0);
  });
});
