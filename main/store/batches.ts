/** Night-before batch printing: the batches, and their badges and divider slips in print order. */
import type { Selectable } from 'kysely';
import type { PrintBatchView } from '../../core/api';
import type { Db, Tx } from './db';
import type { PrintBatchItemRow, PrintBatchRow } from './schema';

type Q = Db | Tx;

/** Who a batch prints: paid registrations whose badge has not printed anywhere this station heard of. */
export async function batchCandidates(
  q: Q,
  ticketTypeId: string | null,
): Promise<{ id: string; first_name: string; last_name: string; company: string }[]> {
  let s = q
    .selectFrom('registrant as r')
    .select(['r.id', 'r.first_name', 'r.last_name', 'r.company'])
    .where('r.status', '=', 'paid')
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('badge_print as p').select('p.job_id').whereRef('p.registrant_id', '=', 'r.id'))),
    );
  if (ticketTypeId) s = s.where('r.ticket_type_id', '=', ticketTypeId);
  return s.execute();
}

export async function insertBatch(
  q: Q,
  b: Omit<Selectable<PrintBatchRow>, 'words' | 'stopped_job_id'>,
  items: Omit<PrintBatchItemRow, 'batch_id' | 'job_id' | 'note'>[],
): Promise<void> {
  await q
    .insertInto('print_batch')
    .values({ ...b, words: null, stopped_job_id: null })
    .execute();
  for (let i = 0; i < items.length; i += 500) {
    await q
      .insertInto('print_batch_item')
      .values(items.slice(i, i + 500).map((it) => ({ ...it, batch_id: b.id, job_id: null, note: null })))
      .execute();
  }
}

export async function getBatch(q: Q, id: string): Promise<Selectable<PrintBatchRow> | undefined> {
  return q.selectFrom('print_batch').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listBatches(q: Q): Promise<Selectable<PrintBatchRow>[]> {
  return q.selectFrom('print_batch').selectAll().orderBy('created_at', 'desc').limit(50).execute();
}

export async function setBatch(
  q: Q,
  id: string,
  set: Partial<Pick<PrintBatchRow, 'state' | 'words' | 'stopped_job_id' | 'updated_at'>>,
): Promise<void> {
  await q.updateTable('print_batch').set(set).where('id', '=', id).execute();
}

export async function nextBatchItem(q: Q, batchId: string): Promise<Selectable<PrintBatchItemRow> | undefined> {
  return q
    .selectFrom('print_batch_item')
    .selectAll()
    .where('batch_id', '=', batchId)
    .where('state', '=', 'todo')
    .orderBy('position')
    .limit(1)
    .executeTakeFirst();
}

export async function setBatchItem(
  q: Q,
  batchId: string,
  position: number,
  set: Partial<Pick<PrintBatchItemRow, 'state' | 'job_id' | 'note'>>,
): Promise<void> {
  await q
    .updateTable('print_batch_item')
    .set(set)
    .where('batch_id', '=', batchId)
    .where('position', '=', position)
    .execute();
}

export async function batchView(q: Q, b: Selectable<PrintBatchRow>): Promise<PrintBatchView> {
  const counts = await q
    .selectFrom('print_batch_item')
    .select((eb) => [
      eb.fn.countAll<number>().filterWhere('registrant_id', 'is not', null).as('total'),
      eb.fn
        .countAll<number>()
        .filterWhere((w) => w.and([w('registrant_id', 'is not', null), w('state', '=', 'printed')]))
        .as('printed'),
      eb.fn
        .countAll<number>()
        .filterWhere((w) => w.and([w('registrant_id', 'is not', null), w('state', '=', 'skipped')]))
        .as('skipped'),
    ])
    .where('batch_id', '=', b.id)
    .executeTakeFirstOrThrow();
  return {
    id: b.id,
    printer: b.printer_uri,
    order: b.order_by,
    state: b.state,
    total: counts.total,
    printed: counts.printed,
    skipped: counts.skipped,
    words: b.words,
    stoppedJobId: b.stopped_job_id,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  };
}
