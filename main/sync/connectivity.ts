/**
 * Connectivity (DESIGN §6): one state machine, shared by the UI, the outbox relay and the receiver.
 *
 *   offline ──(network up, not working offline)──> connecting ──(probe ok)──> online
 *      ^                                                │                       │
 *      └───────(probe failed: retry after backoff)──────┘        (a failure, or no word from HQ
 *          (or at once when the link check sees the link heal)            for feedFreshMs) → degraded
 *
 * `online` means the bus answers and HQ's feed is current, so a sale may wait for HQ's verdict; `degraded`
 * means connected but not trustworthy for that (the desk sells as if offline while the relay keeps trying).
 * Timers run on an RxJS scheduler, so tests drive it in virtual time.
 */
import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  distinctUntilChanged,
  exhaustMap,
  filter,
  of,
  take,
  timer,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';

export type ConnectivityState = 'offline' | 'connecting' | 'online' | 'degraded';

export interface ConnectivitySnapshot {
  state: ConnectivityState;
  /** Why it is in this state, in words for staff ("working offline", "network down", "bus unreachable: ..."). */
  reason: string;
  /** Consecutive failed attempts; drives the backoff. */
  failures: number;
  /** When the next reconnect attempt is due (scheduler ms), if one is scheduled. */
  nextAttemptAt: number | null;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** 0..1: the delay is scaled by a random factor in [1 − jitter, 1]. */
  jitter: number;
}

export interface ConnectivityOptions {
  /** The operating system's idea of the network (Electron's `net.isOnline`, navigator.onLine...). */
  osOnline$: Observable<boolean>;
  /** One connection attempt: completes or emits on success, errors on failure. */
  probe: () => Observable<unknown>;
  /**
   * A cheap check that the broker answers at all (main/sync/link-check.ts): emits true or false. While the bus is
   * unreachable it runs every `linkCheckMs`, and when it passes after having failed, the link has healed: the
   * station reconnects at once instead of at the end of a backoff step (which grows to `backoff.maxMs`). A check that
   * passes from the start says the failure was not the network; the backoff then goes on as it was.
   */
  linkCheck?: () => Observable<boolean>;
  linkCheckMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Without any feed message (Heartbeat...) for this long, an online link counts as degraded. */
  feedFreshMs?: number;
  scheduler?: SchedulerLike;
  random?: () => number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 15_000, factor: 2, jitter: 0.3 };
export const defaultLinkCheckMs = 250;

/** The delay before attempt number `failures + 1`; pure, so its bounds are tested directly. */
export function backoffDelay(failures: number, b: BackoffOptions, random: () => number): number {
  const base = Math.min(b.maxMs, b.initialMs * b.factor ** Math.max(0, failures - 1));
  return Math.round(base * (1 - b.jitter * random()));
}

export interface Connectivity {
  readonly state$: Observable<ConnectivitySnapshot>;
  snapshot(): ConnectivitySnapshot;
  /** The manual "work offline" switch. */
  setWorkOffline(on: boolean): void;
  /** A bus operation (send, receive, settle) succeeded. */
  reportSuccess(): void;
  /** A bus operation failed: the link is suspect; reconnect with backoff. */
  reportFailure(error: unknown): void;
  /** A feed message arrived from HQ. */
  reportFeedContact(): void;
  dispose(): void;
}

export function createConnectivity(options: ConnectivityOptions): Connectivity {
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const backoff = { ...defaultBackoff, ...options.backoff };
  const feedFreshMs = options.feedFreshMs ?? 90_000;

  let osOnline = true;
  let workOffline = false;
  let failures = 0;
  let lastFeedAt: number | null = null;
  let attempt: Subscription | null = null;
  let retry: Subscription | null = null;
  let healWatch: Subscription | null = null;
  let linkSeenDown = false;
  let freshness: Subscription | null = null;
  let disposed = false;

  const subject = new BehaviorSubject<ConnectivitySnapshot>({
    state: 'offline',
    reason: 'starting',
    failures: 0,
    nextAttemptAt: null,
  });
  const set = (state: ConnectivityState, reason: string, nextAttemptAt: number | null = null) => {
    // Only news is published: every feed message re-confirms "online", and each emission wakes the relay.
    const c = subject.getValue();
    if (c.state === state && c.reason === reason && c.failures === failures && c.nextAttemptAt === nextAttemptAt)
      return;
    subject.next({ state, reason, failures, nextAttemptAt });
  };
  const current = () => subject.getValue();

  const cancelTimers = () => {
    attempt?.unsubscribe();
    retry?.unsubscribe();
    healWatch?.unsubscribe();
    attempt = retry = healWatch = null;
  };

  const blocked = (): string | null =>
    workOffline ? 'working offline (switched on by staff)' : !osOnline ? 'the network is down' : null;

  function connect(): void {
    if (disposed) return;
    cancelTimers();
    const why = blocked();
    if (why) return set('offline', why);
    set('connecting', failures ? `reconnecting (attempt ${failures + 1})` : 'connecting to the bus');
    let settled = false;
    attempt = options.probe().subscribe({
      next: () => {
        if (!settled) {
          settled = true;
          succeeded();
        }
      },
      complete: () => {
        if (!settled) {
          settled = true;
          succeeded();
        }
      },
      error: (e) => {
        settled = true;
        failed(e);
      },
    });
  }

  function succeeded(): void {
    failures = 0;
    linkSeenDown = false;
    evaluateOnline();
  }

  function failed(error: unknown): void {
    if (disposed) return;
    failures++;
    const why = blocked();
    if (why) return set('offline', why);
    const delay = backoffDelay(failures, backoff, random);
    const reason = `bus unreachable: ${describe(error)}; retrying in ${(delay / 1000).toFixed(1)} s`;
    retry?.unsubscribe();
    retry = scheduler.schedule(() => connect(), delay);
    set('offline', reason, scheduler.now() + delay);
    watchForHeal();
  }

  /**
   * While the bus is unreachable: the first passing link check after a failing one (since the last connection, so a
   * heal just after a failure counts) reconnects at once. The heal is used up by that attempt: if it fails too, only
   * a new failing-then-passing check brings the next attempt forward, so a broker that answers but refuses us is
   * retried on the backoff's schedule, not in a loop.
   */
  function watchForHeal(): void {
    const check = options.linkCheck;
    healWatch?.unsubscribe();
    healWatch = null;
    if (!check) return;
    healWatch = timer(0, options.linkCheckMs ?? defaultLinkCheckMs, scheduler)
      .pipe(
        exhaustMap(() =>
          check().pipe(
            take(1),
            catchError(() => of(false)),
          ),
        ),
        filter((up) => {
          if (!up) linkSeenDown = true;
          return up;
        }),
        take(1),
      )
      .subscribe(() => {
        if (!linkSeenDown) return;
        linkSeenDown = false;
        connect();
      });
  }

  /** Connected: online if HQ's feed is current, degraded otherwise (and re-checked when it would go stale). */
  function evaluateOnline(): void {
    freshness?.unsubscribe();
    const now = scheduler.now();
    if (lastFeedAt !== null && now - lastFeedAt < feedFreshMs) {
      set('online', 'connected; HQ feed current');
      freshness = scheduler.schedule(
        () => {
          if (current().state === 'online') evaluateOnline();
        },
        lastFeedAt + feedFreshMs - now,
      );
    } else {
      set(
        'degraded',
        lastFeedAt === null
          ? 'connected; waiting for the first word from HQ'
          : 'connected, but no word from HQ recently',
      );
    }
  }

  const osSub = options.osOnline$.pipe(distinctUntilChanged()).subscribe((on) => {
    osOnline = on;
    if (!on) {
      cancelTimers();
      set('offline', 'the network is down');
    } else if (current().state === 'offline') {
      failures = 0; // the network just came back: try at once
      connect();
    }
  });
  if (current().reason === 'starting') connect();

  return {
    state$: subject.asObservable(),
    snapshot: current,
    setWorkOffline(on) {
      if (workOffline === on) return;
      workOffline = on;
      if (on) {
        cancelTimers();
        set('offline', 'working offline (switched on by staff)');
      } else {
        failures = 0;
        connect();
      }
    },
    reportSuccess() {
      const s = current().state;
      if (s === 'degraded' || s === 'connecting') {
        failures = 0;
        cancelTimers();
        evaluateOnline();
      }
    },
    reportFailure(error) {
      const s = current().state;
      if (s === 'online' || s === 'degraded' || s === 'connecting') {
        cancelTimers();
        failed(error);
      }
    },
    reportFeedContact() {
      lastFeedAt = scheduler.now();
      const s = current().state;
      if (s === 'degraded' || s === 'online') evaluateOnline();
    },
    dispose() {
      disposed = true;
      cancelTimers();
      freshness?.unsubscribe();
      osSub.unsubscribe();
      subject.complete();
    },
  };
}

function describe(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // Connection strings must never reach a log or the screen.
  return m.replace(/SharedAccessKey=[^;\s]+/gi, 'SharedAccessKey=***').slice(0, 200);
}
