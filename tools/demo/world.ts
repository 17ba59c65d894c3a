/**
 * A whole Lanyard installation on one machine, for scenario tests and the demo: the Service Bus emulator, the HQ
 * ledger, and headless stations, each station behind its own net fault proxy (so its link can drop).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BehaviorSubject } from 'rxjs';
import type { SessionView } from '../../core/api';
import type { ConferenceFile } from '../../core/conference';
import type { Clock } from '../../core/staleness';
import { parseHqConfig, type HqConfigInput } from '../../hq/config';
import { startHq, type HqOptions, type HqService } from '../../hq/service';
import { createStation, type Station } from '../../main/station/create-station';
import { startFaultProxy, type FaultProxy } from '../net-fault-proxy/proxy';
import { startEmulator, type RunningEmulator } from '../servicebus-emulator/index';
import { hqConnectionString, lanyardTopology, stationConnectionString } from '../servicebus-emulator/lanyard-topology';

export interface StationSpec {
  id: string;
  /** The allotment keeper: 'adaptive' (the stations' default), a fixed number, or 0 (off; the default here). */
  keepSeatsInHand?: number | 'adaptive';
  /** The station's clock (tests drive time with it); the system clock by default. */
  clock?: Clock;
  /** Sessions the keeper keeps seats for (default: every sellable session). */
  keepSessions?: string[];
  /** The keeper gives seats back this long before a session starts (default 30). */
  returnBeforeStartMin?: number;
  /** Do not import the conference (a late joiner waiting for HQ's snapshot). */
  noImport?: boolean;
}

export interface WorldStation {
  id: string;
  station: Station;
  proxy: FaultProxy;
  /** The link drops: connections are reset and new ones refused. */
  dropLink(): void;
  restoreLink(): void;
  linkUp(): boolean;
}

export interface SessionNumbers {
  capacity: number;
  sold: number;
  allotted: number;
  version: number;
}

export interface World {
  bus: RunningEmulator;
  hq: HqService | null;
  hqConfigFile: string;
  stations: Record<string, WorldStation>;
  dir: string;
  startHq(options?: HqOptions): Promise<HqService>;
  stopHq(): Promise<void>;
  /** Every session's numbers at HQ (null without a running HQ) and at each station. */
  numbers(): Promise<{
    hq: Record<string, SessionNumbers> | null;
    stations: Record<string, Record<string, SessionNumbers>>;
  }>;
  /** True when HQ and every station hold the same numbers for every session. */
  agree(): Promise<boolean>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  dir: string;
  conference: ConferenceFile;
  stations: StationSpec[];
  hq?: Partial<HqConfigInput>;
  /** Start HQ in this process (default) or leave it to the caller (e.g. a child process). */
  startHq?: boolean;
  hqOptions?: HqOptions;
  lockDuration?: string;
  /** Station sync tuning on top of the defaults below. */
  verdictTimeoutMs?: number;
}

export async function startWorld(o: WorldOptions): Promise<World> {
  mkdirSync(o.dir, { recursive: true });
  const bus = await startEmulator({
    config: lanyardTopology(
      o.stations.map((s) => s.id),
      { lockDuration: o.lockDuration ?? 'PT5S' },
    ),
    port: 0,
  });
  const conferenceFile = join(o.dir, 'conference.json');
  writeFileSync(conferenceFile, JSON.stringify(o.conference));
  const hqConfigFile = join(o.dir, 'hq.config.json');
  writeFileSync(
    hqConfigFile,
    // HQ and each station connect with their own least-privilege keys, as they would to a real namespace.
    JSON.stringify(
      {
        connectionString: hqConnectionString(bus),
        dbPath: 'hq.db',
        conferenceFile: 'conference.json',
        heartbeatSeconds: 1,
        housekeepingSeconds: 0.5,
        allotmentShare: 0.5,
        ...o.hq,
      },
      null,
      2,
    ),
  );
  const world: World = {
    bus,
    hq: null,
    hqConfigFile,
    stations: {},
    dir: o.dir,
    async startHq(options = o.hqOptions ?? {}) {
      const config = parseHqConfig(JSON.parse(readFileSync(hqConfigFile, 'utf8')), o.dir);
      world.hq = await startHq(config, options);
      return world.hq;
    },
    async stopHq() {
      await world.hq?.stop();
      world.hq = null;
    },
    async numbers() {
      const pick = (a: { capacity: number; sold: number; allotted: number; version: number }): SessionNumbers => ({
        capacity: a.capacity,
        sold: a.sold,
        allotted: a.allotted,
        version: a.version,
      });
      const hq = world.hq
        ? Object.fromEntries((await world.hq.ledger.view()).sessions.map((s) => [s.id, pick(s)]))
        : null;
      const stations: Record<string, Record<string, SessionNumbers>> = {};
      for (const [id, ws] of Object.entries(world.stations)) {
        const r = await ws.station.call('sessions.list', {});
        stations[id] = r.ok ? Object.fromEntries(r.value.map((s: SessionView) => [s.id, pick(s.availability)])) : {};
      }
      return { hq, stations };
    },
    async agree() {
      const n = await world.numbers();
      if (!n.hq || Object.keys(n.hq).length === 0) return false;
      const want = JSON.stringify(sortKeys(n.hq));
      return Object.values(n.stations).every((s) => JSON.stringify(sortKeys(s)) === want);
    },
    async stop() {
      for (const ws of Object.values(world.stations)) await ws.station.close();
      await world.stopHq();
      for (const ws of Object.values(world.stations)) await ws.proxy.close();
      await bus.stop();
    },
  };
  try {
    if (o.startHq !== false) await world.startHq();
    for (const spec of o.stations) {
      const proxy = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: bus.port });
      const os = new BehaviorSubject(false);
      const station = await createStation({
        dbPath: join(o.dir, `${spec.id}.db`),
        stationId: spec.id,
        ...(spec.clock ? { clock: spec.clock } : {}),
        osOnline$: os,
        sync: {
          connectionString: stationConnectionString(bus, spec.id).replace(`:${bus.port};`, `:${proxy.port};`),
          retry: { initialMs: 100, maxMs: 1000 },
          feedFreshMs: 5000,
          keepSeatsInHand: spec.keepSeatsInHand ?? 0,
          allotmentKeeper: {
            checkEveryMs: 300,
            requestTimeoutMs: 3000,
            ...(spec.keepSessions ? { sessions: spec.keepSessions } : {}),
            ...(spec.returnBeforeStartMin !== undefined ? { returnBeforeStartMin: spec.returnBeforeStartMin } : {}),
          },
        },
      });
      // Import before the link comes up, so the first availability from HQ finds the sessions.
      if (!spec.noImport) {
        const conf = structuredClone(o.conference);
        if (o.verdictTimeoutMs !== undefined)
          conf.conference.policy = { ...conf.conference.policy, verdictTimeoutMs: o.verdictTimeoutMs };
        const r = await station.call('conference.import', { data: conf });
        if (!r.ok) throw new Error(`import at ${spec.id}: ${r.error.message}`);
      }
      os.next(true);
      let up = true;
      world.stations[spec.id] = {
        id: spec.id,
        station,
        proxy,
        dropLink() {
          up = false;
          proxy.refuse(true);
          proxy.cut();
        },
        restoreLink() {
          up = true;
          proxy.heal();
        },
        linkUp: () => up,
      };
    }
  } catch (e) {
    await world.stop().catch(() => {});
    throw e;
  }
  return world;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
