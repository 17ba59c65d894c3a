/**
 * The composition root of a station: opens its database, wires the handlers of the API contract, and exposes the
 * API plus the few things the sync engine and the shells (Electron, WebSocket, CLI) need. The world — clock,
 * connectivity — is passed in, so the same station runs headless, in tests and inside Electron.
 */
import { filter, type Observable } from 'rxjs';
import type { Channel, RequestOf, ResultOf, StationApi, StationSettings } from '../../core/api';
import { internalCaller, type Caller, type StationMode } from '../../core/access';
import type { SalePolicyParams } from '../../core/conference';
import type { StationEvent } from '../../core/events';
import { StationId } from '../../core/ids';
import type { Result } from '../../core/result';
import type { Clock } from '../../core/staleness';
import { registrantWriter } from '../store/catalog';
import { openStationDb } from '../store/db';
import { getValue, setValue } from '../store/queues';
import { systemClock } from './clock';
import { VerdictWaiters, type StationContext } from './context';
import { createStationEvents } from './events';
import { allotmentHandlers } from './handlers/allotments';
import { caseHandlers } from './handlers/cases';
import { reportHandlers } from './handlers/reports';
import { catalogHandlers } from './handlers/catalog';
import { feedHandlers, quarantineFeedMessage } from './handlers/feed';
import { printingService, type PrintingOptions } from './handlers/printing';
import { salesHandlers } from './handlers/sales';
import { staffHandlers } from './handlers/staff';
import { statusHandlers } from './handlers/status';
import { syncHandlers } from './handlers/sync';
import { parseSyncConfig } from '../sync/config';
import { startSync } from '../sync/sync-engine';
import { serve, type Handlers } from './serve';
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
  close(): Promise<void>;
}

export async function createStation(options: StationOptions): Promise<Station> {
  const opened = await openStationDb(options.dbPath);
  try {
    const stationId = await resolveStationId(opened.db, options.stationId);
    const events = createStationEvents();
    const mode = options.mode ?? 'desk';
    const settings: StationSettings = {
      stationId,
      mode,
      printers: options.printers ?? [],
      kioskIdleSec: options.kioskIdleSec ?? 60,
      staffIdleMin: options.staffIdleMin ?? 15,
    };
    const ctx: StationContext = {
      db: opened.db,
      registrants: registrantWriter(opened.raw),
      stationId,
      clock: options.clock ?? systemClock(),
      isOnline: options.isOnline ?? (() => ctx.sync.engine?.connectivity.snapshot().state === 'online'),
      events,
      settings,
      policyOverrides: options.policyOverrides ?? {},
      verdicts: new VerdictWaiters(),
      sync: { engine: null },
    };
    const printing = printingService(ctx, options.printing);
    const handlers: Handlers = {
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
    };
    const api = serve(handlers, options.onInternalError);
    const internal = internalCaller(mode);
    const call = ((channel: Channel, request: unknown) => api.callUnknown(internal, channel, request)) as StationApi['call'];
    if (options.sync !== undefined) {
      const config = parseSyncConfig(options.sync);
      if (!config.ok) throw new Error(config.error);
      const engine = startSync({
        config: config.value,
        stationId,
        db: opened.db,
        sink: { call, quarantineFeedMessage: (body, reason, id) => quarantineFeedMessage(ctx, body, reason, id) },
        outboxAppended$: events.events$.pipe(filter((e) => e.type === 'outbox.appended')),
        ...(options.osOnline$ ? { osOnline$: options.osOnline$ } : {}),
        now: () => ctx.clock.now(),
      });
      ctx.sync.engine = engine;
      const sub = engine.connectivity.state$.subscribe((c) => events.emit({ type: 'connectivity', state: c.state, reason: c.reason }));
      events.onClose(() => sub.unsubscribe());
    }
    return {
      stationId,
      mode,
      call,
      callAs: api.call,
      callUnknown: api.callUnknown,
      events$: events.events$,
      notifications$: events.events$.pipe(filter((e): e is Extract<StationEvent, { type: 'notification' }> => e.type === 'notification')),
      quarantineFeedMessage: (body, reason, id) => quarantineFeedMessage(ctx, body, reason, id),
      startPrinting: printing.start,
      db: opened.db,
      close: async () => {
        await ctx.sync.engine?.stop();
        ctx.verdicts.cancelAll();
        events.close();
        await opened.close();
      },
    };
  } catch (e) {
    await opened.close();
    throw e;
  }
}

async function resolveStationId(db: Db, requested: string | undefined): Promise<string> {
  const stored = await getValue(db, 'settings', 'station.id');
  if (requested !== undefined) {
    const parsed = StationId.safeParse(requested);
    if (!parsed.success) throw new Error(`Invalid station id "${requested}": ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  }
  if (stored && requested && stored !== requested) {
    throw new Error(`This database belongs to station "${stored}", not "${requested}".`);
  }
  if (stored) return stored;
  if (!requested) throw new Error('A new station database needs a station id (for example "desk-a").');
  await setValue(db, 'settings', 'station.id', requested);
  return requested;
}
