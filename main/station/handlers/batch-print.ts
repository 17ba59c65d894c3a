/**
 * Night-before pre-printing (issue 19, item 9): every badge not yet printed, alphabetical or by company, with a
 * divider slip per letter, printed one job at a time through the same queue as any badge, inside the station's own
 * process (no process per badge). The list is fixed when the batch starts (print_batch_item), so a batch that a
 * paper-out stopped resumes exactly where it stopped — after staff confirmed the job whose outcome is unknown
 * (a badge is never printed twice on a guess). A badge printed meanwhile elsewhere is skipped.
 */
import { v7 as uuidv7 } from 'uuid';
import type { PrintBatchView } from '../../../core/api';
import type { Caller } from '../../../core/access';
import type { PrinterConfig } from '../../../core/badge/printer';
import { DomainError } from '../../../core/result';
import {
  batchCandidates,
  batchView,
  getBatch,
  insertBatch,
  listBatches,
  nextBatchItem,
  setBatch,
  setBatchItem,
} from '../../store/batches';
import type { Tx } from '../../store/db';
import { foldText } from '../../store/fold';
import { getJob, printsOf, type JobMeta } from '../../store/printing';
import { actor, audit, inTx, nowIso, type StationContext } from '../context';
import type { Handlers } from '../serve';

export type BatchChannels = 'print.batch' | 'print.batchResume' | 'print.batchCancel' | 'print.batches';

export interface BatchDeps {
  start(): Promise<void>;
  printerFor(uri: string | undefined, caller: Caller): PrinterConfig;
  queueBadge(tx: Tx, caller: Caller, registrantId: string, printer: PrinterConfig): Promise<string>;
  queueDivider(tx: Tx, caller: Caller, label: string, note: string, printer: PrinterConfig): Promise<string>;
  /** Waits for the job's final state. */
  finish(jobId: string, printer: PrinterConfig): Promise<JobMeta>;
}

/** The letter a divider slip shows: the sort key's first letter without accents (Ñúñez → N), or # for digits and signs. */
export function dividerLetter(key: string): string {
  const c = foldText(key.trim()).charAt(0).toUpperCase();
  return /\p{L}/u.test(c) ? c : '#';
}

export function batchPrinting(ctx: StationContext, deps: BatchDeps): { handlers: Pick<Handlers, BatchChannels> } {
  const running = new Map<string, Promise<PrintBatchView>>();
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

  const view = async (id: string) => batchView(ctx.db, (await getBatch(ctx.db, id))!);
  const tell = (v: PrintBatchView) =>
    ctx.events.emit({
      type: 'print.batch',
      batchId: v.id,
      state: v.state,
      done: v.printed + v.skipped,
      total: v.total,
      words: v.words,
    });

  /** Prints the batch's items in order until it is done, paused by a job that did not print, or cancelled. */
  function run(batchId: string, caller: Caller, printer: PrinterConfig): Promise<PrintBatchView> {
    const already = running.get(batchId);
    if (already) return already;
    const p = (async () => {
      for (;;) {
        const b = (await getBatch(ctx.db, batchId))!;
        if (b.state !== 'running') return view(batchId);
        const item = await nextBatchItem(ctx.db, batchId);
        if (!item) {
          await setBatch(ctx.db, batchId, {
            state: 'done',
            words: null,
            stopped_job_id: null,
            updated_at: nowIso(ctx),
          });
          const v = await view(batchId);
          tell(v);
          return v;
        }
        // Printed meanwhile (a kiosk, another desk, staff confirmed the stopped job): nothing to print.
        if (item.registrant_id) {
          const earlier = item.job_id ? await getJob(ctx.db, item.job_id) : undefined;
          if (earlier?.status === 'printed') {
            await setBatchItem(ctx.db, batchId, item.position, { state: 'printed' });
            continue;
          }
          const elsewhere = await printsOf(ctx.db, item.registrant_id);
          if (elsewhere.length > 0) {
            await setBatchItem(ctx.db, batchId, item.position, {
              state: 'skipped',
              note: `printed meanwhile at ${elsewhere.at(-1)!.station.replace('station:', '')}`,
            });
            continue;
          }
        }
        let jobId: string;
        try {
          jobId = await inTx(ctx, (tx) =>
            item.registrant_id
              ? deps.queueBadge(tx, caller, item.registrant_id, printer)
              : deps.queueDivider(
                  tx,
                  caller,
                  item.label ?? '',
                  b.order_by === 'company' ? 'by company' : 'by name',
                  printer,
                ),
          );
        } catch (e) {
          // This one badge cannot print (cancelled since, an uncertain job of its own...): noted, the batch goes on.
          if (!(e instanceof DomainError) || !item.registrant_id) throw e;
          await setBatchItem(ctx.db, batchId, item.position, { state: 'skipped', note: e.message.slice(0, 300) });
          continue;
        }
        await setBatchItem(ctx.db, batchId, item.position, { job_id: jobId });
        const job = await deps.finish(jobId, printer);
        if (job.status === 'printed') {
          await setBatchItem(ctx.db, batchId, item.position, { state: 'printed' });
          const v = await view(batchId);
          tell(v);
          continue;
        }
        // Paper out, cover open, printer gone: stop here; staff fix the printer (and confirm an uncertain job), then resume.
        const words = `${job.status === 'uncertain' ? 'may or may not have printed' : 'did not print'}: ${job.words ?? job.status}`;
        await setBatch(ctx.db, batchId, { state: 'paused', words, stopped_job_id: job.id, updated_at: nowIso(ctx) });
        const v = await view(batchId);
        tell(v);
        return v;
      }
    })().finally(() => running.delete(batchId));
    running.set(batchId, p);
    return p;
  }

  return {
    handlers: {
      'print.batch': async ({ printer, order, ticketTypeId, dividers, wait }, caller) => {
        await deps.start();
        const p = deps.printerFor(printer, caller);
        if (running.size > 0)
          throw new DomainError('conflict', 'A batch is printing on this station already: wait for it, or cancel it.', {
            reason: 'other',
          });
        const id = uuidv7();
        await inTx(ctx, async (tx) => {
          const by = actor(ctx, tx, caller);
          const people = await batchCandidates(tx, ticketTypeId ?? null);
          if (people.length === 0)
            throw new DomainError(
              'conflict',
              `Every ${ticketTypeId ? `${ticketTypeId} ` : ''}badge has printed already (or the registration is not paid): nothing to print.`,
              { reason: 'other' },
            );
          const key = (r: (typeof people)[number]) =>
            order === 'company'
              ? [r.company || '~', r.last_name || r.first_name, r.first_name]
              : [r.last_name || r.first_name, r.first_name];
          people.sort((a, b) => {
            const ka = key(a);
            const kb = key(b);
            for (let i = 0; i < ka.length; i++) {
              const c = collator.compare(ka[i]!, kb[i]!);
              if (c !== 0) return c;
            }
            return a.id.localeCompare(b.id);
          });
          const items: { position: number; registrant_id: string | null; label: string | null; state: 'todo' }[] = [];
          let letter: string | null = null;
          for (const r of people) {
            const l = dividerLetter(key(r)[0]!.replace(/^~$/, ''));
            if (dividers && l !== letter)
              items.push({ position: items.length, registrant_id: null, label: l, state: 'todo' });
            letter = l;
            items.push({ position: items.length, registrant_id: r.id, label: null, state: 'todo' });
          }
          const at = nowIso(ctx);
          await insertBatch(
            tx,
            {
              id,
              printer_uri: p.uri,
              order_by: order,
              ticket_type_id: ticketTypeId ?? null,
              dividers: dividers ? 1 : 0,
              state: 'running',
              staff_id: caller.session?.staffId ?? null,
              created_at: at,
              updated_at: at,
            },
            items,
          );
          audit(ctx, tx, {
            actor: by,
            action: 'print.batch',
            subject: id,
            details: { badges: people.length, order, ticketTypeId: ticketTypeId ?? null, printer: p.uri },
          });
        });
        tell(await view(id));
        const done = run(id, caller, p);
        return wait ? done : view(id);
      },

      'print.batchResume': async ({ batchId, wait }, caller) => {
        await deps.start();
        const b = await getBatch(ctx.db, batchId);
        if (!b) throw new DomainError('not_found', `No print batch with id "${batchId}".`);
        if (running.has(batchId)) return wait ? running.get(batchId)! : view(batchId);
        if (b.state !== 'paused')
          throw new DomainError('conflict', `This batch is ${b.state}; only a paused batch resumes.`, {
            reason: 'other',
          });
        const stopped = b.stopped_job_id ? await getJob(ctx.db, b.stopped_job_id) : undefined;
        if (stopped?.status === 'uncertain') {
          throw new DomainError(
            'conflict',
            `Job ${stopped.id} may or may not have printed. Look at the printer and confirm it (printed or not), then resume.`,
            { reason: 'print_uncertain', jobId: stopped.id },
          );
        }
        const p = deps.printerFor(b.printer_uri, caller);
        await inTx(ctx, async (tx) => {
          await setBatch(tx, batchId, { state: 'running', words: null, updated_at: nowIso(ctx) });
          audit(ctx, tx, {
            actor: actor(ctx, tx, caller),
            action: 'print.batchResume',
            subject: batchId,
            details: { stoppedJob: b.stopped_job_id },
          });
        });
        const done = run(batchId, caller, p);
        return wait ? done : view(batchId);
      },

      'print.batchCancel': async ({ batchId }, caller) => {
        const b = await getBatch(ctx.db, batchId);
        if (!b) throw new DomainError('not_found', `No print batch with id "${batchId}".`);
        if (b.state === 'done' || b.state === 'cancelled')
          throw new DomainError('conflict', `This batch is ${b.state} already.`, { reason: 'other' });
        await inTx(ctx, async (tx) => {
          await setBatch(tx, batchId, { state: 'cancelled', updated_at: nowIso(ctx) });
          audit(ctx, tx, {
            actor: actor(ctx, tx, caller),
            action: 'print.batchCancel',
            subject: batchId,
            details: {},
          });
        });
        // A badge being printed finishes; the loop stops before the next one.
        const v = await view(batchId);
        tell(v);
        return v;
      },

      'print.batches': async () => Promise.all((await listBatches(ctx.db)).map((b) => batchView(ctx.db, b))),
    },
  };
}
