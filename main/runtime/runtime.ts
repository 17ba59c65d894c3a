/**
 * The station runtime (DESIGN §12): one composition that runs a station from its configuration — the station and
 * its database, the sync engine with the allotment keeper (when a connection is given), the print queue — and
 * stops them in reverse order. The Electron shell and the browser mode run it the same way (in its own process:
 * see host.ts); tests run it in-process.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import type { ConferenceFile } from '../../core/conference';
import type { Clock } from '../../core/staleness';
import { createStation, type Station } from '../station/create-station';
import type { TransportFactory } from '../printing/transport';
import type { RuntimeConfig } from './config';

export interface RuntimeOptions {
  clock?: Clock;
  /** The operating system's network signal (the desktop app feeds Electron's). */
  osOnline$?: Observable<boolean>;
  /** Printer transports (the desktop app adds operating-system printers). */
  transportFor?: TransportFactory;
  /** Printer health polling interval (ms); 0 turns it off. */
  healthPollMs?: number;
  log?: (line: string) => void;
}

export interface Runtime {
  readonly config: RuntimeConfig;
  readonly station: Station;
  stop(): Promise<void>;
}

const demoFile = new URL('../../assets/demo-conference.json', import.meta.url);

export async function startRuntime(config: RuntimeConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => {});
  mkdirSync(config.dataDir, { recursive: true });
  const station = await createStation({
    dbPath: join(config.dataDir, 'station.db'),
    stationId: config.stationId,
    mode: config.mode,
    printers: config.printers,
    kioskIdleSec: config.kioskIdleSec,
    staffIdleMin: config.staffIdleMin,
    policyOverrides: config.policy,
    ...(config.sync ? { sync: config.sync } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.osOnline$ ? { osOnline$: options.osOnline$ } : {}),
    printing: {
      ...(options.transportFor ? { transportFor: options.transportFor } : {}),
      ...(options.healthPollMs !== undefined ? { healthPollMs: options.healthPollMs } : {}),
      onError: (where, e) => log(`printing: ${where}: ${e instanceof Error ? e.message : String(e)}`),
    },
    onInternalError: (channel, e) => log(`internal error in ${channel}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });
  try {
    await loadConference(station, config, log);
    await station.startPrinting();
  } catch (e) {
    await station.close();
    throw e;
  }
  log(`station "${station.stationId}" (${config.mode}) running on ${config.dataDir}${config.sync ? ', syncing with HQ' : ', working alone (no sync configured)'}`);
  let stopping: Promise<void> | null = null;
  return {
    config,
    station,
    stop: () => (stopping ??= station.close()),
  };
}

/** First run only: the configured conference file, or the demo moved so that its day 1 is the venue's today. */
async function loadConference(station: Station, config: RuntimeConfig, log: (line: string) => void): Promise<void> {
  const status = await station.call('station.status', {});
  if (!status.ok) throw new Error(status.error.message);
  if (status.value.conference) return;
  let data: ConferenceFile;
  let shift = false;
  if (config.conferenceFile) {
    if (!existsSync(config.conferenceFile)) throw new Error(`conferenceFile: ${config.conferenceFile} does not exist`);
    data = readJson(config.conferenceFile);
  } else if (config.demo) {
    data = readJson(demoFile);
    shift = true;
  } else {
    log('no conference yet: it arrives with HQ’s snapshot once the station is online (or import one)');
    return;
  }
  const r = await station.call('conference.import', { data, ...(shift ? { shiftTo: 'today' as const } : {}) });
  if (!r.ok) throw new Error(`the conference could not be imported: ${r.error.message}`);
  log(`${shift ? 'Loaded the demo conference' : `Imported ${config.conferenceFile}`}: ${r.value.sessions} sessions, ${r.value.registrants.inserted} registrants, day 1 is ${r.value.startsOn}.`);
  if (config.demo) await addDemoStaff(station, log);
}

/** The demo's staff, so that its screens can be tried at once (a real station's staff are added with staff-add). */
export const demoStaff = [
  { id: 'sam', name: 'Sam Supervisor', role: 'supervisor', pin: '2468' },
  { id: 'dee', name: 'Dee Desk', role: 'desk', pin: '1357' },
] as const;

async function addDemoStaff(station: Station, log: (line: string) => void): Promise<void> {
  const existing = await station.call('staff.list', {});
  if (!existing.ok || existing.value.length > 0) return;
  const [sup, desk] = demoStaff;
  const a = await station.call('staff.add', { ...sup });
  const b = await station.call('staff.add', { ...desk, by: { supervisorId: sup.id, pin: sup.pin } });
  const failed = !a.ok ? a : !b.ok ? b : null;
  if (failed && !failed.ok) throw new Error(`the demo staff could not be added: ${failed.error.message}`);
  log(`Demo staff: ${sup.name} (supervisor, PIN ${sup.pin}) and ${desk.name} (desk, PIN ${desk.pin}).`);
}

function readJson(file: string | URL): ConferenceFile {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ConferenceFile;
  } catch (e) {
    throw new Error(`conferenceFile: ${String(file)} is not readable JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}
