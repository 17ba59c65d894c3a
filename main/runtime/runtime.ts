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
import { restoreStation, type RestoreReport } from '../station/backups';
import { createStation, type Station } from '../station/create-station';
import type { TransportFactory } from '../printing/transport';
import type { StationEvent } from '../../core/events';
import type { Result } from '../../core/result';
import { describeConfig, type RuntimeConfig } from './config';
import { errorFields, openLogFile, type Logger } from './log';

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
  /** The station, its calls logged (channel, outcome, time; never the request). */
  readonly station: Station;
  /** The station's log (`<dataDir>/logs`). */
  readonly logger: Logger;
  stop(): Promise<void>;
}

/** The station's database inside its data folder. */
export const stationDbPath = (config: RuntimeConfig): string => join(config.dataDir, 'station.db');

/**
 * Restores the configured station's database from a backup, with the station stopped (the desktop app's
 * `--restore FILE`; the source tree's CLI has `restore`). A station that syncs waits for HQ to say where its
 * stream stands before it sends again; one that works alone has no stream to recover.
 */
export async function restoreRuntime(config: RuntimeConfig, from: string, at: string): Promise<Result<RestoreReport>> {
  const logFile = await openStationLog(config);
  try {
    const r = await restoreStation({ dbPath: stationDbPath(config), from, at, withHq: config.sync !== null });
    if (r.ok) logFile.logger.info({ restore: r.value }, 'restored from a backup');
    else logFile.logger.warn({ from, code: r.error.code, reason: r.error.message }, 'restore refused');
    return r;
  } finally {
    await logFile.close();
  }
}

/** The station's log in its data folder (`<dataDir>/logs`), created with the folder on a first run. */
function openStationLog(config: RuntimeConfig) {
  mkdirSync(config.dataDir, { recursive: true });
  return openLogFile({
    dir: join(config.dataDir, 'logs'),
    name: 'station',
    config: config.log,
    base: { station: config.stationId },
  });
}

const demoFile = new URL('../../assets/demo-conference.json', import.meta.url);

export async function startRuntime(config: RuntimeConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const logFile = await openStationLog(config);
  const logger = logFile.logger;
  const shellLog = options.log ?? (() => {});
  const log = (line: string) => {
    logger.info(line);
    shellLog(line);
  };
  logger.info({ config: describeConfig(config), pid: process.pid, node: process.versions.node }, 'starting');
  let station: Station;
  try {
    station = await openStation(config, options, logger, log);
  } catch (e) {
    logger.error(errorFields(e), 'the station could not start');
    await logFile.close();
    throw e;
  }
  const logged = withCallLog(station, logger);
  const events = station.events$.subscribe((e) => logEvent(logger, e));
  const backups =
    config.backup.everyMin > 0
      ? setInterval(() => void scheduledBackup(logged, logger), config.backup.everyMin * 60_000)
      : null;
  backups?.unref();
  log(
    `station "${station.stationId}" (${config.mode}) running on ${config.dataDir}${config.sync ? ', syncing with HQ' : ', working alone (no sync configured)'}`,
  );
  let stopping: Promise<void> | null = null;
  return {
    config,
    station: logged,
    logger,
    stop: () =>
      (stopping ??= (async () => {
        if (backups) clearInterval(backups);
        events.unsubscribe();
        try {
          await station.close();
          logger.info('stopped');
        } finally {
          await logFile.close();
        }
      })()),
  };
}

async function openStation(
  config: RuntimeConfig,
  options: RuntimeOptions,
  logger: Logger,
  log: (line: string) => void,
): Promise<Station> {
  const station = await createStation({
    dbPath: stationDbPath(config),
    stationId: config.stationId,
    mode: config.mode,
    printers: config.printers,
    kioskIdleSec: config.kioskIdleSec,
    staffIdleMin: config.staffIdleMin,
    policyOverrides: config.policy,
    ...(config.sync ? { sync: config.sync } : {}),
    backups: { dir: join(config.dataDir, 'backups'), keep: config.backup.keep },
    support: {
      logsDir: join(config.dataDir, 'logs'),
      outDir: join(config.dataDir, 'support'),
      config: describeConfig(config),
    },
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.osOnline$ ? { osOnline$: options.osOnline$ } : {}),
    printing: {
      ...(options.transportFor ? { transportFor: options.transportFor } : {}),
      ...(options.healthPollMs !== undefined ? { healthPollMs: options.healthPollMs } : {}),
      onError: (where, e) => {
        logger.error({ where, ...errorFields(e) }, 'printing failed');
        options.log?.(`printing: ${where}: ${e instanceof Error ? e.message : String(e)}`);
      },
    },
    onInternalError: (channel, e) => {
      logger.error({ channel, ...errorFields(e) }, 'internal error');
      options.log?.(`internal error in ${channel}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    },
  });
  try {
    // The demo's staff line names their PINs: for the person at the terminal, not for the log file.
    await loadConference(station, config, log, options.log ?? (() => {}));
    await station.startPrinting();
  } catch (e) {
    await station.close();
    throw e;
  }
  return station;
}

/**
 * Every call at the boundary, as channel, caller's mode, outcome and time: never the request (PINs, names) or the
 * result. Failures are `info` (a wrong PIN, a refused sale are the day's business), internal errors `error`.
 */
function withCallLog(station: Station, logger: Logger): Station {
  const callUnknown: Station['callUnknown'] = async (caller, channel, request) => {
    const started = performance.now();
    const r = await station.callUnknown(caller, channel, request);
    const fields = {
      channel: typeof channel === 'string' ? channel.slice(0, 60) : typeof channel,
      mode: caller.mode,
      transport: caller.transport,
      ms: Math.round(performance.now() - started),
    };
    if (r.ok) logger.debug(fields, 'call');
    else logger[r.error.code === 'internal' ? 'error' : 'info']({ ...fields, code: r.error.code }, 'call failed');
    return r;
  };
  const callAs = ((caller, channel, request) => callUnknown(caller, channel, request)) as Station['callAs'];
  return { ...station, callUnknown, callAs };
}

/** What staff and support want to find later: connectivity, print outcomes, alerts (ids only). */
function logEvent(logger: Logger, e: StationEvent): void {
  switch (e.type) {
    case 'connectivity':
      logger.info({ state: e.state, reason: e.reason }, 'connectivity');
      return;
    case 'print.job':
      if (e.state === 'printed' || e.state === 'failed' || e.state === 'uncertain')
        logger.info({ jobId: e.jobId, printer: e.printer, state: e.state, registrantId: e.registrantId }, 'print job');
      return;
    case 'outbox.appended':
      logger.debug({ lastSeq: e.lastSeq }, 'outbox appended');
      return;
    case 'hq.contact':
      logger.trace({ hqTime: e.hqTime, messages: e.messages }, 'feed applied');
      return;
    case 'case.opened':
      logger.warn(
        { caseId: e.caseId, saleId: e.saleId, sessionId: e.sessionId, overBy: e.overBy },
        'oversell case opened',
      );
      return;
    default:
      return;
  }
}

async function scheduledBackup(station: Station, logger: Logger): Promise<void> {
  const r = await station.call('backup.create', {});
  if (r.ok)
    logger.info({ file: r.value.file, bytes: r.value.bytes, removed: r.value.removed.length }, 'scheduled backup');
  else logger.error({ code: r.error.code, message: r.error.message }, 'scheduled backup failed');
}

/** First run only: the configured conference file, or the demo moved so that its day 1 is the venue's today. */
async function loadConference(
  station: Station,
  config: RuntimeConfig,
  log: (line: string) => void,
  terminal: (line: string) => void,
): Promise<void> {
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
  log(
    `${shift ? 'Loaded the demo conference' : `Imported ${config.conferenceFile}`}: ${r.value.sessions} sessions, ${r.value.registrants.inserted} registrants, day 1 is ${r.value.startsOn}.`,
  );
  if (config.demo) await addDemoStaff(station, terminal);
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
    throw new Error(
      `conferenceFile: ${String(file)} is not readable JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}
