/**
 * The composition root of a station: opens its database, wires the handlers of the API contract, and exposes the
 * API plus the few things the sync engine and the shells (Electron, WebSocket, CLI) need. The world — clock,
 * connectivity — is passed in, so the same station runs headless, in tests and inside Electron.
 */
import { dirname, join } from 'node:path';
import { filter, type Observable } from 'rxjs';
import {
  sellingModes,
  type Channel,
  type RequestOf,
  type ResultOf,
  type StationApi,
  type StationSettings,
} from '../../core/api';
import { internalCaller, type Caller, type StationMode } from '../../core/access';
import type { SalePolicyParams } from '../../core/conference';
import type { StationEvent } from '../../core/events';
import { StationId } from '../../core/ids';
import type { Result } from '../../core/result';
import type { Clock } from '../../core/staleness';
import { feedWriter } from '../store/feed';
import { registrantWriter } from '../store/catalog';
import { auditWriter } from '../store/audit';
import { outboxWriter } from '../store/queues';
import { saleWriter } from '../store/sales';
import { staffReader } from '../store/staff';
import { paymentWriter } from '../store/money';
import { databaseFailure, openStationDb, StationDbError, type OpenedDb } from '../store/db';
import {
  fullIntegrityCheck,
  pageCount,
  quickCheck,
  quickCheckInWorker,
  refuseWrites,
  type IntegrityVerdict,
} from '../store/integrity';
import { getValue, outboxSeqs, setValue } from '../store/queues';
import { systemClock } from './clock';
import {
  BUSY_MESSAGE,
  damagedMessage,
  VerdictWaiters,
  type StationContext,
  type SettingsStore,
  type StationIntegrity,
} from './context';
import { createStationEvents } from './events';
import { allotmentHandlers } from './handlers/allotments';
import { caseHandlers } from './handlers/cases';
import { moneyHandlers } from './handlers/money';
import { registrationHandlers } from './handlers/registrations';
import { withRegistrantRefs } from './registrant-refs';
import { ensureSearchIndex, registrantRefResolver } from '../store/search';
import { reportHandlers } from './handlers/reports';
import { catalogHandlers } from './handlers/catalog';
import { feedHandlers, quarantineFeedMessage } from './handlers/feed';
import { printingService, type PrintingOptions } from './handlers/printing';
import { salesHandlers } from './handlers/sales';
import { staffHandlers } from './handlers/staff';
import { statusHandlers } from './handlers/status';
import { syncHandlers } from './handlers/sync';
import { supervisorHandlers, watchLink } from './handlers/supervisor';
import { SyncWatch } from './sync-watch';
import { parseSyncConfig } from '../sync/config';
import { serve, type Handlers } from './serve';
import { backupHandlers, type BackupOptions } from './backups';
import { supportHandlers, type SupportOptions } from './support-bundle';
import type { Db } from '../store/db';

export interface StationOptions {
  dbPath: string;
  /** Required for a new database; must match the stored one for an existing database. */
  stationId?: string;
  clock?: Clock;
  /**
   * Service Bus sync (validated; see main/sync/config.ts). Without it the station is headless and offline, unless
   * `isOnline` says otherwise (tests).
   */
  sync?: unknown;
  /** The operating system's network signal, for the connectivity state machine (Electron feeds it). */
  osOnline$?: Observable<boolean>;
  /** Overrides "connected and the feed is current" (tests of the online tier without a bus). */
  isOnline?: () => boolean;
  onInternalError?: (channel: string, e: unknown) => void;
  /** Badge printing: printer transports, templates, health polling (defaults: Lanyard's own transports). */
  printing?: PrintingOptions;
  /** The mode whose screens this station serves (default desk); in-process calls act in it. */
  mode?: StationMode;
  /** Printers the screens may use, the first being the default (validated printer URIs). */
  printers?: string[];
  kioskIdleSec?: number;
  staffIdleMin?: number;
  /** This station's adjustments to the conference's sale policy. */
  policyOverrides?: Partial<SalePolicyParams>;
  /** How long a write waits for another program's lock before failing with `busy` (default 5 s). */
  busyTimeoutMs?: number;
  /**
   * Databases up to this many pages (4 KiB each) are checked at open on the station's connection; larger ones in a
   * worker thread while the station already answers (default 1,000 pages, ~25 ms of quick_check).
   */
  integrityInlineMaxPages?: number;
  /** Where backups go and how many are kept (default: `backups/` beside the database, 12). */
  backups?: Partial<BackupOptions>;
  /** The support bundle's sources (default: logs/ beside the database; bundles into support/ beside it). */
  support?: Partial<SupportOptions>;
  /** Where `settings.save` writes (the runtime's settings file in the data folder); without it nothing can be saved. */
  settingsStore?: SettingsStore;
  /**
   * The configured station id replaces the one stored in the database, if that database has never sent an event
   * (a supervisor renamed a station at set-up); a database that has spoken to HQ keeps its id.
   */
  adoptStationId?: boolean;
}

/** What the shells (Electron IPC, WebSocket) need of a station, in-process or in its own process. */
export interface StationEndpoint {
  callUnknown(caller: Caller, channel: unknown, request: unknown): Promise<Result<unknown>>;
  readonly events$: Observable<StationEvent>;
}

export interface Station extends StationApi, StationEndpoint {
  readonly stationId: string;
  readonly mode: StationMode;
  /** `call` is the in-process shorthand (the station's own code, tests): an internal caller. This names the caller. */
  callAs<C extends Channel>(caller: Caller, channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>>;
  /** What staff should notice now (reconciliation, badges printed twice): `events$` filtered to notifications. */
  readonly notifications$: Observable<Extract<StationEvent, { type: 'notification' }>>;
  quarantineFeedMessage(body: string, reason: string, messageId?: string): Promise<void>;
  /** Starts the print queue (recovering jobs cut off by a stop) instead of waiting for the first printing call. */
  startPrinting(): Promise<void>;
  /** For the sync engine's outbox relay and inbox (repositories only run SQL; they take this handle). */
  readonly db: Db;
  /** The integrity check at open, once it has answered (at once for a small database). */
  integrity(): Promise<IntegrityVerdict>;
  close(): Promise<void>;
}

const STREAM_RECOVERY_MESSAGE =
  'This station was restored from a backup and is waiting for HQ to say where its events stand. It sells, registers and prints again as soon as it is online and HQ has answered (usually seconds).';

export async function createStation(options: StationOptions): Promise<Station> {
  if (options.stationId !== undefined) {
    const parsed = StationId.safeParse(options.stationId);
    // Before the file is opened: a bad id must not leave a new, empty database behind.
    if (!parsed.success)
      throw new Error(`Invalid station id "${options.stationId}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  }
  const opened = await openStationDb(
    options.dbPath,
    options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs },
  );
  let closed = false;
  try {
    const integrity = checkIntegrity(opened, options.dbPath, options.integrityInlineMaxPages ?? 1000, () => closed);
    const stationId = await resolveStationId(opened.db, options.stationId, options.adoptStationId === true);
    const events = createStationEvents();
    const mode = options.mode ?? 'desk';
    const settings: StationSettings = {
      stationId,
      mode,
      printers: options.printers ?? [],
      kioskIdleSec: options.kioskIdleSec ?? 60,
      staffIdleMin: options.staffIdleMin ?? 15,
    };
    // An id or a code for a registrant (registrant-refs.ts): resolved before a handler, or inside a sale.
    const registrantRef = registrantRefResolver(opened.raw);
    const ctx: StationContext = {
      db: opened.db,
      command: opened.command,
      registrants: registrantWriter(opened.raw),
      outbox: outboxWriter(opened.raw),
      auditLog: auditWriter(opened.raw),
      payments: paymentWriter(opened.raw),
      sales: saleWriter(opened.raw, registrantRef),
      staff: staffReader(opened.raw),
      feed: feedWriter(opened.raw),
      stationId,
      clock: options.clock ?? systemClock(),
      isOnline: options.isOnline ?? (() => ctx.sync.engine?.connectivity.snapshot().state === 'online'),
      events,
      settings,
      policyOverrides: options.policyOverrides ?? {},
      verdicts: new VerdictWaiters(),
      sync: { engine: null, config: null, watch: new SyncWatch() },
      integrity,
      settingsStore: options.settingsStore ?? null,
      pendingRestart: new Set(),
    };
    const printing = printingService(ctx, options.printing);
    // A database indexed by an older version is re-indexed once (the words a name is found by changed).
    if (integrity.state !== 'damaged') ensureSearchIndex(opened.raw);
    const handlers: Handlers = withRegistrantRefs(registrantRef, {
      ...statusHandlers(ctx),
      ...syncHandlers(ctx),
      ...catalogHandlers(ctx),
      ...salesHandlers(ctx),
      ...staffHandlers(ctx),
      ...feedHandlers(ctx),
      ...printing.handlers,
      ...allotmentHandlers(ctx),
      ...caseHandlers(ctx),
      ...reportHandlers(ctx),
      ...supervisorHandlers(ctx),
      ...registrationHandlers(ctx),
      ...moneyHandlers(ctx),
      ...backupHandlers(ctx, opened.raw, {
        dir: options.backups?.dir ?? join(dirname(options.dbPath), 'backups'),
        keep: options.backups?.keep ?? 12,
      }),
      ...supportHandlers(ctx, (channel, request) => call(channel, request), {
        logsDir: join(dirname(options.dbPath), 'logs'),
        outDir: join(dirname(options.dbPath), 'support'),
        softwareVersion: '0.1.0',
        ...options.support,
      }),
    });
    const api = serve(handlers, options.onInternalError, (e) => {
      if (e instanceof Error && e.message.includes('stream recovery pending'))
        return { code: 'conflict', message: STREAM_RECOVERY_MESSAGE, details: { reason: 'stream_recovery' } };
      const failure = databaseFailure(e);
      if (failure === 'busy') return { code: 'busy', message: BUSY_MESSAGE };
      if (failure === 'damaged') integrity.markDamaged([e instanceof Error ? e.message : String(e)]);
      // Also a write refused by query_only after a failed check, whoever issued it.
      if (integrity.state === 'damaged') return { code: 'damaged', message: damagedMessage(integrity.problems) };
      return null;
    });
    const internal = internalCaller(mode);
    const call = ((channel: Channel, request: unknown) =>
      api.callUnknown(internal, channel, request)) as StationApi['call'];
    if (options.sync !== undefined) {
      const config = parseSyncConfig(options.sync);
      if (!config.ok) throw new Error(config.error);
      // Loaded only when sync is configured: the Service Bus SDK is half a second of start-up for a CLI call.
      const { startSync } = await import('../sync/sync-engine');
      const engine = startSync({
        config: config.value,
        stationId,
        db: opened.db,
        raw: opened.raw,
        sink: { call, quarantineFeedMessage: (body, reason, id) => quarantineFeedMessage(ctx, body, reason, id) },
        outboxAppended$: events.events$.pipe(filter((e) => e.type === 'outbox.appended')),
        ...(options.osOnline$ ? { osOnline$: options.osOnline$ } : {}),
        now: () => ctx.clock.now(),
        // A kiosk or a door scanner sells nothing: it holds no seats, whatever its sync configuration says.
        sells: sellingModes.includes(mode),
      });
      ctx.sync.engine = engine;
      ctx.sync.config = config.value;
      const sub = engine.connectivity.state$.subscribe((c) => {
        watchLink(ctx, c.state, c.reason);
        events.emit({ type: 'connectivity', state: c.state, reason: c.reason });
      });
      events.onClose(() => sub.unsubscribe());
    }
    return {
      stationId,
      mode,
      call,
      callAs: api.call,
      callUnknown: api.callUnknown,
      events$: events.events$,
      notifications$: events.events$.pipe(
        filter((e): e is Extract<StationEvent, { type: 'notification' }> => e.type === 'notification'),
      ),
      quarantineFeedMessage: (body, reason, id) => quarantineFeedMessage(ctx, body, reason, id),
      startPrinting: printing.start,
      db: opened.db,
      integrity: async () => {
        await integrity.settled;
        return { ok: integrity.state === 'ok', problems: integrity.problems };
      },
      close: async () => {
        await ctx.sync.engine?.stop();
        ctx.verdicts.cancelAll();
        events.close();
        await integrity.settled; // a background check still reading the file ends first
        closed = true;
        await opened.close();
      },
    };
  } catch (e) {
    closed = true; // a background check that answers later records nothing
    await opened.close();
    const failure = databaseFailure(e);
    if (failure === 'damaged')
      throw new StationDbError('damaged', damagedMessage([e instanceof Error ? e.message : String(e)]));
    if (failure === 'busy') throw new StationDbError('busy', BUSY_MESSAGE);
    throw e;
  }
}

/**
 * The integrity check at open (main/store/integrity.ts). A damaged database still opens — staff can read what it
 * holds — but every write is refused with `damaged`, by inTx and by SQLite itself (query_only).
 */
function checkIntegrity(
  opened: OpenedDb,
  path: string,
  inlineMaxPages: number,
  isClosed: () => boolean,
): StationIntegrity {
  const state: StationIntegrity = {
    state: 'checking',
    problems: [],
    settled: Promise.resolve(),
    markDamaged(problems) {
      if (state.state === 'damaged' || isClosed()) return;
      state.state = 'damaged';
      state.problems = problems;
      refuseWrites(opened.raw);
    },
    checkNow() {
      const v = fullIntegrityCheck(opened.raw);
      apply(v);
      return v;
    },
  };
  const apply = (v: IntegrityVerdict) => {
    if (v.ok) {
      if (state.state === 'checking') state.state = 'ok';
    } else state.markDamaged(v.problems);
  };
  const inline = path === ':memory:' || path === '' || pageCount(opened.raw) <= inlineMaxPages;
  if (inline) apply(quickCheck(opened.raw));
  else state.settled = quickCheckInWorker(path).then(apply);
  return state;
}

async function resolveStationId(db: Db, requested: string | undefined, adopt: boolean): Promise<string> {
  const stored = await getValue(db, 'settings', 'station.id');
  if (stored && requested && stored !== requested) {
    if (adopt && (await outboxSeqs(db)).last === 0) {
      await setValue(db, 'settings', 'station.id', requested);
      return requested;
    }
    throw new Error(`This database belongs to station "${stored}", not "${requested}".`);
  }
  if (stored) return stored;
  if (!requested) throw new Error('A new station database needs a station id (for example "desk-a").');
  await setValue(db, 'settings', 'station.id', requested);
  return requested;
}
