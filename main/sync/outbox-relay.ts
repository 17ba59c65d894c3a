/**
 * The outbox relay: while the link is up, sends unsent outbox rows in seq order in `createMessageBatch` batches,
 * and marks them sent in one transaction after the broker accepted them. A crash between the two only re-sends;
 * the broker's duplicate detection and HQ's inbox absorb that.
 */
import type { ServiceBusMessageBatch } from '@azure/service-bus';
import { BehaviorSubject, type Observable } from 'rxjs';
import type { OutboxQueue, UnsentEvent } from '../store/queues';
import type { Connectivity } from './connectivity';
import { toServiceBusMessage, type StationSender } from './service-bus';

/** What the relay is doing (the outbox's own figures — depth, oldest unsent — come from the database: outboxStats). */
export interface RelayProgress {
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
  queue: OutboxQueue;
  sender: StationSender;
  connectivity: Connectivity;
  origin: string;
  batchSize: number;
  now: () => number;
}): OutboxRelay {
  const progress = new BehaviorSubject<RelayProgress>({
    sentTotal: 0,
    ratePerSec: 0,
    flushing: false,
    lastError: null,
  });
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

  type Packed = { batch: ServiceBusMessageBatch; firstSeq: number; lastSeq: number; rest: UnsentEvent[] };

  /**
   * The next batch: the rows the last one had no room for, then unsent rows read after `readSeq`, packed in seq order
   * until the broker's size limit; the rows that do not fit are kept for the batch after (each row is read once).
   */
  async function pack(rest: UnsentEvent[], readSeq: number, signal: AbortSignal): Promise<Packed | null> {
    const rows =
      rest.length >= opts.batchSize
        ? rest
        : rest.concat(await opts.queue.unsent(opts.batchSize - rest.length, readSeq));
    if (rows.length === 0) return null;
    const batch = await opts.sender.createMessageBatch({ abortSignal: signal });
    let n = 0;
    while (n < rows.length && batch.tryAddMessage(toServiceBusMessage(rows[n]!, opts.origin))) n++;
    if (n === 0) throw new Error(`outbox row ${rows[0]!.seq} is larger than the broker's message size limit`);
    return { batch, firstSeq: rows[0]!.seq, lastSeq: rows[n - 1]!.seq, rest: rows.slice(n) };
  }
  const lastRead = (p: Packed) => p.rest.at(-1)?.seq ?? p.lastSeq;

  /**
   * Sends batch after batch, one at a time and in seq order, with the database work beside the network's: while the
   * broker takes batch N the next one is read and packed, and N is marked sent while N+1 travels. A row is marked
   * only after the broker accepted its batch.
   */
  async function flush(): Promise<void> {
    const started = opts.now();
    let sent = 0;
    const abort = new AbortController();
    inflight = abort;
    update({ flushing: true });
    const quiet = <T>(p: Promise<T>) => (p.catch(() => {}), p); // awaited later; not "unhandled" meanwhile
    try {
      let current = connected() ? await pack([], 0, abort.signal) : null;
      let sending = current && quiet(opts.sender.sendMessages(current.batch, { abortSignal: abort.signal }));
      while (current && sending) {
        const next = quiet(pack(current.rest, lastRead(current), abort.signal));
        await sending;
        const following = !stopped && connected() ? await next : null;
        sending = following && quiet(opts.sender.sendMessages(following.batch, { abortSignal: abort.signal }));
        await opts.queue.markSent(current.firstSeq, current.lastSeq, new Date(opts.now()).toISOString());
        sent += current.batch.count;
        opts.connectivity.reportSuccess();
        const elapsed = Math.max(1, opts.now() - started) / 1000;
        update({
          sentTotal: progress.getValue().sentTotal + current.batch.count,
          ratePerSec: sent / elapsed,
          lastError: null,
        });
        current = following;
      }
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      update({ lastError: `sending to HQ failed: ${message.slice(0, 300)}` });
      // An abort is the consequence of a failure connectivity already knows about, not a new one.
      if (!stopped && !abort.signal.aborted) opts.connectivity.reportFailure(e);
    } finally {
      inflight = null;
      update({ flushing: false });
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
