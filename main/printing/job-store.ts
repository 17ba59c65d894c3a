/** The print queue's state in the station database (one short transaction per transition). */
import { getConference } from '../store/catalog';
import type { Db, Tx } from '../store/db';
import { appendEvent } from '../store/queues';
import {
  appendPrintLog,
  getJob,
  jobsInStatus,
  markBadgePrinted,
  nextQueuedJob,
  printersWithQueuedJobs,
  recordPrint,
  recordPrinterStatus,
  touchPrinterJob,
  transitionJob,
} from '../store/printing';
import type { JobStore, PrintJobState } from './queue';
import type { PrinterStatus } from './status';

export interface JobStoreOptions {
  stationId: string;
  /** Wall clock, ms. */
  now: () => number;
  /** Told the outbox seq of an event appended here (BadgePrinted), after the commit. */
  onOutbox?: (seq: number) => void;
}

/** Marks the badge version printed and tells HQ (BadgePrinted). Returns the outbox seq, if an event was appended. */
export async function recordBadgePrinted(
  tx: Tx,
  stationId: string,
  job: { id: string; registrant_id: string | null; badge_version: number | null },
  at: string,
): Promise<number | null> {
  if (!job.registrant_id || !job.badge_version) return null;
  await markBadgePrinted(tx, job.registrant_id, job.badge_version, at);
  await recordPrint(tx, {
    station: `station:${stationId}`,
    jobId: job.id,
    registrantId: job.registrant_id,
    version: job.badge_version,
    printedAt: at,
  });
  const conference = await getConference(tx);
  if (!conference) return null;
  const ev = await appendEvent(tx, { stationId, conferenceId: conference.id, at }, 'BadgePrinted', {
    registrantId: job.registrant_id,
    badgeVersion: job.badge_version,
    jobId: job.id,
  });
  return ev.seq;
}

export function sqliteJobStore(db: Db, opts: JobStoreOptions): JobStore {
  const iso = () => new Date(opts.now()).toISOString();
  return {
    async recover(maxQueuedAgeMs) {
      const at = iso();
      return db.transaction().execute(async (tx) => {
        let uncertain = 0;
        let expired = 0;
        for (const j of await jobsInStatus(tx, 'sending')) {
          const words = 'the station stopped while sending this job; look at the printer, then confirm or reprint';
          if (await transitionJob(tx, j.id, ['sending'], { status: 'uncertain', words, finished_at: at })) {
            await appendPrintLog(tx, {
              at,
              jobId: j.id,
              printerUri: j.printer_uri,
              event: 'recovered',
              status: 'uncertain',
              words,
              actor: 'station',
            });
            uncertain++;
          }
        }
        const cutoff = opts.now() - maxQueuedAgeMs;
        for (const j of await jobsInStatus(tx, 'queued')) {
          if (Date.parse(j.created_at) >= cutoff) continue;
          const words = 'expired: not sent before the station restarted; nothing was printed';
          if (await transitionJob(tx, j.id, ['queued'], { status: 'failed', words, finished_at: at })) {
            await appendPrintLog(tx, {
              at,
              jobId: j.id,
              printerUri: j.printer_uri,
              event: 'expired',
              status: 'failed',
              words,
              actor: 'station',
            });
            expired++;
          }
        }
        return { uncertain, expired };
      });
    },
    printersWithQueued: () => printersWithQueuedJobs(db),
    async nextQueued(uri) {
      const j = await nextQueuedJob(db, uri);
      return j ? { id: j.id, bytes: j.bytes } : null;
    },
    async markSending(jobId, uri) {
      const at = iso();
      return db.transaction().execute(async (tx) => {
        const ok = await transitionJob(tx, jobId, ['queued'], { status: 'sending', sending_at: at });
        if (ok)
          await appendPrintLog(tx, {
            at,
            jobId,
            printerUri: uri,
            event: 'sending',
            status: 'sending',
            words: null,
            actor: 'station',
          });
        return ok;
      });
    },
    async finish(jobId, uri, result) {
      const at = iso();
      const seq = await db.transaction().execute(async (tx) => {
        const job = await getJob(tx, jobId);
        if (!job) return null;
        const ok = await transitionJob(tx, jobId, ['queued', 'sending'], {
          status: result.outcome,
          words: result.words,
          finished_at: at,
        });
        if (!ok) return null;
        await appendPrintLog(tx, {
          at,
          jobId,
          printerUri: uri,
          event: 'finished',
          status: result.outcome,
          words: result.words,
          actor: 'station',
        });
        const seen = result.after ?? result.before;
        if (seen) await recordPrinterStatus(tx, uri, { ...seen, at });
        await touchPrinterJob(tx, uri, at);
        return result.outcome === 'printed' && job.kind === 'badge'
          ? recordBadgePrinted(tx, opts.stationId, job, at)
          : null;
      });
      if (seq !== null) opts.onOutbox?.(seq);
    },
    async jobState(jobId) {
      const j = await getJob(db, jobId);
      return j ? (j.status as PrintJobState) : null;
    },
    async recordStatus(uri: string, s: PrinterStatus) {
      await recordPrinterStatus(db, uri, { ...s, at: iso() });
    },
  };
}
