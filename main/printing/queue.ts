/**
 * The durable print queue (DESIGN §9): `queued → sending → printed | failed | uncertain`, one job at a time per
 * printer, printers in parallel. The state lives in the store (SQLite in the station); this class only moves jobs
 * along. A job is marked `sending` before its first byte leaves, so after a crash it is `uncertain`, never resent.
 * Nothing here retries: a failed job was not printed and staff may print it again; an uncertain one waits for staff.
 */
import { Subject, type Observable } from 'rxjs';
import { parsePrinterUri } from '../../core/badge/printer';
import type { PrinterStatus } from './status';
import type { SendResult, TransportFactory } from './transport';

export type PrintJobState = 'queued' | 'sending' | 'printed' | 'failed' | 'uncertain';
export const finalStates: readonly PrintJobState[] = ['printed', 'failed', 'uncertain'];

export interface QueuedJob {
  id: string;
  bytes: Uint8Array;
}

export interface JobStore {
  /** After a restart: `sending` jobs become `uncertain`; `queued` jobs older than maxQueuedAgeMs fail as expired. */
  recover(maxQueuedAgeMs: number): Promise<{ uncertain: number; expired: number }>;
  printersWithQueued(): Promise<string[]>;
  nextQueued(printerUri: string): Promise<QueuedJob | null>;
  /** queued → sending; false if the job is no longer queued. */
  markSending(jobId: string, printerUri: string): Promise<boolean>;
  /** → printed | failed | uncertain, with the printer status seen, in one transaction. */
  finish(jobId: string, printerUri: string, result: SendResult): Promise<void>;
  jobState(jobId: string): Promise<PrintJobState | null>;
  recordStatus(printerUri: string, status: PrinterStatus): Promise<void>;
}

export interface JobEvent {
  jobId: string;
  printerUri: string;
  state: PrintJobState;
  words: string | null;
}

export interface PrintQueueOptions {
  /** Queued jobs older than this at start-up are not printed (the person has long left). Default 10 minutes. */
  maxQueuedAgeMs?: number;
  onError?: (where: string, e: unknown) => void;
}

export class PrintQueue {
  private readonly workers = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly events = new Subject<JobEvent>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private resumed: Promise<void> | null = null;
  private disposed = false;
  readonly jobEvents$: Observable<JobEvent> = this.events.asObservable();

  constructor(
    private readonly store: JobStore,
    private readonly transportFor: TransportFactory,
    private readonly options: PrintQueueOptions = {},
  ) {}

  /** Recovers after a restart (once) and restarts the workers of printers with queued jobs. */
  resume(): Promise<void> {
    this.resumed ??= (async () => {
      await this.store.recover(this.options.maxQueuedAgeMs ?? 10 * 60_000);
      for (const uri of await this.store.printersWithQueued()) this.kick(uri);
    })();
    return this.resumed;
  }

  /** Makes sure the printer's worker runs (after a job was queued). */
  kick(printerUri: string): void {
    if (this.disposed) return;
    if (this.workers.has(printerUri)) {
      this.again.add(printerUri);
      return;
    }
    const run = this.drain(printerUri)
      .catch((e) => this.options.onError?.(`print worker ${printerUri}`, e))
      .finally(() => {
        this.workers.delete(printerUri);
        if (this.again.delete(printerUri)) this.kick(printerUri);
      });
    this.workers.set(printerUri, run);
  }

  busy(printerUri: string): boolean {
    return this.workers.has(printerUri);
  }

  /** Resolves when every worker has nothing left to do. */
  async idle(): Promise<void> {
    while (this.workers.size > 0) await Promise.all([...this.workers.values()]);
  }

  /** The job's state once final, or its current state when `timeoutMs` runs out. */
  async waitFor(jobId: string, timeoutMs: number): Promise<PrintJobState | null> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (s: PrintJobState | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(s);
      };
      const sub = this.events.subscribe((e) => {
        if (e.jobId === jobId && finalStates.includes(e.state)) done(e.state);
      });
      const timer = setTimeout(() => void this.store.jobState(jobId).then(done, () => done(null)), timeoutMs);
      void this.store.jobState(jobId).then(
        (s) => {
          if (s === null || finalStates.includes(s)) done(s);
        },
        () => done(null),
      );
    });
  }

  private emit(e: JobEvent): void {
    if (!this.disposed) this.events.next(e);
  }

  private async drain(uri: string): Promise<void> {
    const parsed = parsePrinterUri(uri);
    while (!this.disposed) {
      const job = await this.store.nextQueued(uri);
      if (!job) return;
      if (!parsed.ok) {
        const result: SendResult = {
          outcome: 'failed',
          words: `bad printer: ${parsed.reason}`,
          before: null,
          after: null,
        };
        await this.store.finish(job.id, uri, result);
        this.emit({ jobId: job.id, printerUri: uri, state: 'failed', words: result.words });
        continue;
      }
      const transport = this.transportFor(parsed.printer);
      const result = await transport.send(job.bytes, async () => {
        const ok = await this.store.markSending(job.id, uri);
        if (ok) this.emit({ jobId: job.id, printerUri: uri, state: 'sending', words: null });
        return ok;
      });
      await this.store.finish(job.id, uri, result);
      this.emit({ jobId: job.id, printerUri: uri, state: result.outcome, words: result.words });
    }
  }

  /** One status check through the printer's transport (recorded); skipped while a job is on that printer. */
  async checkPrinter(uri: string): Promise<PrinterStatus | null> {
    const parsed = parsePrinterUri(uri);
    if (!parsed.ok || this.busy(uri)) return null;
    const s = await this.transportFor(parsed.printer).status();
    if (!this.disposed) await this.store.recordStatus(uri, s);
    return s;
  }

  /**
   * Health polling: every `intervalMs`, checks each printer `printers()` names that is not busy printing (many
   * printers take one connection at a time). Returns a function that stops it.
   */
  pollHealth(
    intervalMs: number,
    printers: () => Promise<string[]>,
    onStatus?: (uri: string, s: PrinterStatus) => void,
  ): () => void {
    let stopped = false;
    let timer: NodeJS.Timeout;
    const tick = async () => {
      try {
        for (const uri of await printers()) {
          if (stopped || this.disposed) return;
          const s = await this.checkPrinter(uri);
          if (s) onStatus?.(uri, s);
        }
      } catch (e) {
        this.options.onError?.('printer health poll', e);
      }
      if (!stopped && !this.disposed) schedule();
    };
    const schedule = () => {
      timer = setTimeout(() => {
        this.timers.delete(timer);
        void tick();
      }, intervalMs);
      timer.unref();
      this.timers.add(timer);
    };
    schedule();
    return () => {
      stopped = true;
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Stops taking work; a job on the wire finishes its transport call but its outcome may not be recorded. */
  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.events.complete();
  }
}
