/**
 * The outbox relay: while the link is up, sends unsent outbox rows in seq order in `createMessageBatch` batches,
 * and marks them sent in one transaction after the broker accepted them. A crash between the two only re-sends;
 * the broker's duplicate detection and HQ's inbox absorb that.
 */
import type { ServiceBusSender } from '@azure/service-bus';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { Db } from '../store/db';
import { markSent, outboxStats, unsentEvents } from '../store/queues';
import type { Connectivity } from './connectivity';
import { toServiceBusMessage } from './service-bus';

export interface RelayProgress {
  unsent: number;
  oldestUnsentAt: string | null;
  sentTotal: number;
  /** Rows per second over the last flush. */
  ratePerSec: number;
  flushing: boolean;
  lastError: string | null;
}

export interface OutboxRelay {
  readonly progress$: Observable<RelayProgress>;
  progress(): RelayProgress;
  /** Sends whatever is unsent, if connected. Safe to call often: concurrent calls coalesce. */
  kick(): void;
  /** Resolves when the current flush (if any) ends. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createOutboxRelay(opts: {
  db: Db;
  sender: ServiceBusSender;
  connectivity: Connectivity;
  origin: string;
  batchSize: number;
  now: () => number;
}): OutboxRelay {
  const progress = new BehaviorSubject<RelayProgress>({ unsent: 0, oldestUnsentAt: null, sentTotal: 0, ratePerSec: 0, flushing: false, lastError: null });
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  // A send on a link that just died can hang for the SDK's whole timeout-and-retry budget (tens of seconds), and
  // every kick meanwhile coalesces into that stuck flush. When connectivity says the link is gone, abort the
  // operation in flight; the next online state starts a fresh flush. (If the broker did take the batch, the
  // re-send is a duplicate that duplicate detection drops.)
  let inflight: AbortController | null = null;
  const linkWatch = opts.connectivity.state$.subscribe((s) => {
    if (s.state === 'offline') inflight?.abort(new Error(`the link went down: ${s.reason}`));
  });
  const update = (p: Partial<RelayProgress>) => progress.next({ ...progress.getValue(), ...p });
  const connected = () => {
    const s = opts.connectivity.snapshot().state;
    return s === 'online' || s === 'degraded';
  };

  async function flush(): Promise<void> {
    const started = opts.now();
    let sent = 0;
    const abort = new AbortController();
    inflight = abort;
    update({ flushing: true });
    try {
      let rows = await unsentEvents(opts.db, opts.batchSize);
      while (!stopped && connected() && rows.length > 0) {
        const batch = await opts.sender.createMessageBatch({ abortSignal: abort.signal });
        const included: number[] = [];
        for (const row of rows) {
          if (!batch.tryAddMessage(toServiceBusMessage(row, opts.origin))) break;
          included.push(row.seq);
        }
        if (included.length === 0) throw new Error(`outbox row ${rows[0]!.seq} is larger than the broker's message size limit`);
        const sending = opts.sender.sendMessages(batch, { abortSignal: abort.signal });
        // While the broker takes this batch, read the next one (nothing is marked until the broker has accepted).
        const next = unsentEvents(opts.db, opts.batchSize, included.at(-1)!);
        await Promise.all([sending, next]);
        await markSent(opts.db, included, new Date(opts.now()).toISOString());
        rows = await next;
        sent += included.length;
        opts.connectivity.reportSuccess();
        const stats = await outboxStats(opts.db);
        const elapsed = Math.max(1, opts.now() - started) / 1000;
        update({ unsent: stats.depth, oldestUnsentAt: stats.oldestUnsentAt, sentTotal: progress.getValue().sentTotal + included.length, ratePerSec: sent / elapsed, lastError: null });
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      update({ lastError: `sending to HQ failed: ${message.slice(0, 300)}` });
      // An abort is the consequence of a failure connectivity already knows about, not a new one.
      if (!stopped && !abort.signal.aborted) opts.connectivity.reportFailure(e);
    } finally {
      inflight = null;
      const stats = await outboxStats(opts.db).catch(() => null);
      update({ flushing: false, ...(stats ? { unsent: stats.depth, oldestUnsentAt: stats.oldestUnsentAt } : {}) });
    }
  }

  function kick(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = flush().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        kick();
      }
    });
  }

  return {
    progress$: progress.asObservable(),
    progress: () => progress.getValue(),
    kick,
    idle: async () => {
      while (running) await running;
    },
    stop: async () => {
      stopped = true;
      inflight?.abort(new Error('the station is closing'));
      while (running) await running;
      linkWatch.unsubscribe();
      progress.complete();
    },
  };
}
