/** Money at this desk: payments (with voids and refunds), blank badge stock, and the day's numbers for the cash-up. */
import { sql, type Selectable } from 'kysely';
import type { Db, RawDb, Tx } from './db';
import type { PaymentRow } from './schema';
import { unsentRow } from './queues';

type Q = Db | Tx;

export type PaymentInsert = Omit<Selectable<PaymentRow>, 'status' | 'closed_at' | 'closed_by' | 'close_reason'>;

/**
 * Records payments with a prepared statement on the raw connection (a paid sale's hot path, sale.commit benchmark);
 * inside the command's transaction only. The status starts as the table's default, paid.
 */
export function paymentWriter(raw: RawDb) {
  const insert = raw.prepare(`
    INSERT INTO payment (id, registrant_id, sale_id, purpose, description, amount, currency, method, reference, reason,
                         staff_id, station, created_at, closed_at, closed_by, close_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`);
  return {
    insert(p: PaymentInsert): void {
      if (!raw.inTransaction) throw new Error('payments are recorded inside the command’s transaction');
      insert.run(
        p.id,
        p.registrant_id,
        p.sale_id,
        p.purpose,
        p.description,
        p.amount,
        p.currency,
        p.method,
        p.reference,
        p.reason,
        p.staff_id,
        p.station,
        p.created_at,
      );
    },
  };
}

export type PaymentWriter = ReturnType<typeof paymentWriter>;

export async function getPayment(q: Q, id: string): Promise<Selectable<PaymentRow> | undefined> {
  return q.selectFrom('payment').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function closePayment(
  q: Q,
  id: string,
  c: { status: 'voided' | 'refunded'; at: string; by: string; reason: string },
): Promise<boolean> {
  const r = await q
    .updateTable('payment')
    .set({ status: c.status, closed_at: c.at, closed_by: c.by, close_reason: c.reason })
    .where('id', '=', id)
    .where('status', '=', 'paid')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Payments still standing for a sale (given back when HQ refuses the seat or staff cancel it). */
export async function paymentsOfSale(q: Q, saleId: string): Promise<Selectable<PaymentRow>[]> {
  return q.selectFrom('payment').selectAll().where('sale_id', '=', saleId).where('status', '=', 'paid').execute();
}

export async function listPayments(
  q: Q,
  f: { registrantId?: string; from?: string; to?: string; limit: number },
): Promise<Selectable<PaymentRow>[]> {
  let s = q.selectFrom('payment').selectAll();
  if (f.registrantId) s = s.where('registrant_id', '=', f.registrantId);
  if (f.from) s = s.where('created_at', '>=', f.from);
  if (f.to) s = s.where('created_at', '<', f.to);
  return s.orderBy('created_at').orderBy('id').limit(f.limit).execute();
}

/** Payments taken, and payments closed (voided or refunded), in [from, to): a payment voided the next day counts that day. */
export async function paymentsTouched(
  q: Q,
  from: string,
  to: string,
): Promise<{ taken: Selectable<PaymentRow>[]; closed: Selectable<PaymentRow>[] }> {
  const taken = await q
    .selectFrom('payment')
    .selectAll()
    .where('created_at', '>=', from)
    .where('created_at', '<', to)
    .orderBy('created_at')
    .execute();
  const closed = await q
    .selectFrom('payment')
    .selectAll()
    .where('closed_at', '>=', from)
    .where('closed_at', '<', to)
    .orderBy('closed_at')
    .execute();
  return { taken, closed };
}

export async function recordStock(
  q: Q,
  s: { at: string; cards: number; staffId: string | null; note: string },
): Promise<void> {
  await q.insertInto('badge_stock').values({ at: s.at, cards: s.cards, staff_id: s.staffId, note: s.note }).execute();
}

/** Cards loaded, badges printed, voided and spoiled (failed after sending, test pages, divider slips, receipts) in [from, to). */
export async function badgeCounts(
  q: Q,
  from: string,
  to: string,
): Promise<{ loaded: number; issued: number; voided: number; spoiled: number }> {
  const loaded = await q
    .selectFrom('badge_stock')
    .select(sql<number>`coalesce(sum(cards), 0)`.as('n'))
    .where('at', '>=', from)
    .where('at', '<', to)
    .executeTakeFirstOrThrow();
  const jobs = await q
    .selectFrom('print_job')
    .select([
      sql<number>`count(*) filter (where kind = 'badge' and status = 'printed')`.as('issued'),
      // Stock used without a badge handed out: a badge job that failed once sending had begun, test pages and slips.
      sql<number>`count(*) filter (where (kind = 'badge' and status = 'failed' and sending_at is not null) or (kind in ('test', 'divider') and status = 'printed'))`.as(
        'spoiled',
      ),
    ])
    .where('finished_at', '>=', from)
    .where('finished_at', '<', to)
    .executeTakeFirstOrThrow();
  const voided = await q
    .selectFrom('badge')
    .select(sql<number>`count(*)`.as('n'))
    .where('voided_at', '>=', from)
    .where('voided_at', '<', to)
    .executeTakeFirstOrThrow();
  return { loaded: loaded.n, issued: jobs.issued, voided: voided.n, spoiled: jobs.spoiled };
}

/** Seat sales of this desk HQ has not decided yet, and money events not yet sent to HQ. */
export async function unconfirmed(q: Q): Promise<{ sales: number; moneyUnsent: number }> {
  const sales = await q
    .selectFrom('sale')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  const unsent = await q
    .selectFrom('outbox')
    .select(sql<number>`count(*)`.as('n'))
    .where(unsentRow)
    .where('type', 'in', ['PaymentRecorded', 'PaymentReversed'])
    .executeTakeFirstOrThrow();
  return { sales: sales.n, moneyUnsent: unsent.n };
}
