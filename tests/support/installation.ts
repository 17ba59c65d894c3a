/**
 * A venue's back office on this machine for runtime and e2e tests: the Service Bus emulator with Lanyard's
 * topology, the HQ ledger, and a net fault proxy per station so each station's link can be cut on its own.
 * Stations are started by the test (a browser-mode server...) with `syncFor(id)`, or headless with `headlessStation`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StationMode } from '../../core/access';
import type { ConferenceFile } from '../../core/conference';
import { parseHqConfig } from '../../hq/config';
import { parseRuntimeConfig } from '../../main/runtime/config';
import { startRuntime, type Runtime } from '../../main/runtime/runtime';
import { startHq, type HqService } from '../../hq/service';
import { startFaultProxy, type FaultProxy } from '../../tools/net-fault-proxy/proxy';
import { startEmulator, type RunningEmulator } from '../../tools/servicebus-emulator/index';
import { lanyardTopology } from '../../tools/servicebus-emulator/lanyard-topology';

export interface Installation {
  bus: RunningEmulator;
  hq: HqService;
  proxies: Record<string, FaultProxy>;
  /** A station's sync configuration: through its own fault proxy, with short retries and feed freshness. */
  syncFor(stationId: string, extra?: Record<string, unknown>): Record<string, unknown>;
  cut(stationId: string): void;
  heal(stationId: string): void;
  stop(): Promise<void>;
}

export async function startInstallation(o: {
  dir: string;
  conference: ConferenceFile;
  stations: string[];
  heartbeatSeconds?: number;
}): Promise<Installation> {
  mkdirSync(o.dir, { recursive: true });
  const bus = await startEmulator({ config: lanyardTopology(o.stations, { lockDuration: 'PT5S' }), port: 0 });
  const proxies: Record<string, FaultProxy> = {};
  let hq: HqService | null = null;
  try {
    writeFileSync(join(o.dir, 'conference.json'), JSON.stringify(o.conference));
    const config = parseHqConfig(
      {
        connectionString: bus.connectionString,
        dbPath: 'hq.db',
        conferenceFile: 'conference.json',
        heartbeatSeconds: o.heartbeatSeconds ?? 1,
        housekeepingSeconds: 0.5,
        allotmentShare: 0.5,
      },
      o.dir,
    );
    hq = await startHq(config);
    for (const id of o.stations) proxies[id] = await startFaultProxy({ targetHost: '127.0.0.1', targetPort: bus.port });
  } catch (e) {
    await hq?.stop();
    for (const p of Object.values(proxies)) await p.close();
    await bus.stop();
    throw e;
  }
  const running = hq;
  return {
    bus,
    hq: running,
    proxies,
    syncFor: (id, extra = {}) => ({
      connectionString: bus.connectionString.replace(`:${bus.port};`, `:${proxies[id]!.port};`),
      retry: { initialMs: 100, maxMs: 1000 },
      feedFreshMs: 5000,
      ...extra,
    }),
    cut(id) {
      proxies[id]!.refuse(true);
      proxies[id]!.cut();
    },
    heal(id) {
      proxies[id]!.heal();
    },
    async stop() {
      await running.stop();
      for (const p of Object.values(proxies)) await p.close();
      await bus.stop();
    },
  };
}

/**
 * A station without a screen, as the app runs one (its runtime), in `dir`/`stationId` on `dir`/conference.json:
 * the other desks and doors of a test that watches one station's screens.
 */
export async function headlessStation(
  dir: string,
  stationId: string,
  mode: StationMode,
  sync: Record<string, unknown>,
): Promise<Runtime> {
  const parsed = parseRuntimeConfig(
    { stationId, mode, dataDir: join(dir, stationId), conferenceFile: join(dir, 'conference.json'), sync },
    { baseDir: dir, defaultDataDir: dir },
  );
  if (!parsed.ok) throw new Error(parsed.errors.join('; '));
  return startRuntime(parsed.config, { healthPollMs: 0 });
}
