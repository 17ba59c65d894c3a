/**
 * Taking and giving back money inside a command's transaction: the payment row, its PaymentRecorded (or
 * PaymentReversed) event for HQ, and the audit entry commit together with the sale, registration or change they pay.
 */
import { v7 as uuidv7 } from 'uuid';
import { decimal, type PaymentInput, type PaymentPurpose } from '../../../core/money';
import { DomainError } from '../../../core/result';
import { closePayment, paymentsOfSale } from '../../store/money';
import type { Tx } from '../../store/db';
import { audit, emit, nowIso, type StationContext } from '../context';
import type { EventOrigin } from '../../store/queues';

export interface Charge {
  amount: number;
  currency: string;
}

/** A price to pay needs a payment: refused before anything is written, with the amount for the screen. */
export function requirePayment(charge: Charge | null, payment: PaymentInput | undefined, what: string): void {
  if (charge && charge.amount > 0 && !payment) {
    throw new DomainError(
      'conflict',
      `${what} costs ${decimal(charge.amount, charge.currency)} ${charge.currency}: take the payment (cash, card with the terminal's reference, invoice, or complimentary with a reason).`,
      {
        reason: 'payment_required',
        amount: charge.amount,
        currency: charge.currency,
      },
    );
  }
}

/**
 * Records a payment (nothing for a free item) and tells HQ. Returns its id, or null when nothing was due. `origin`:
 * the event origin the command already has (a sale's), so that the payment's event need not look it up again.
 */
export function takePayment(
  ctx: StationContext,
  tx: Tx,
  p: {
    registrantId: string;
    saleId: string | null;
    purpose: PaymentPurpose;
    description: string;
    charge: Charge | null;
    payment: PaymentInput | undefined;
    staffId: string | null;
    actor: string;
  },
  origin?: EventOrigin,
): string | null {
  if (!p.charge || p.charge.amount <= 0 || !p.payment) return null;
  const id = uuidv7();
  const at = nowIso(ctx);
  const reference = p.payment.method === 'card' || p.payment.method === 'invoice' ? p.payment.reference : null;
  const reason = p.payment.method === 'complimentary' ? p.payment.reason : null;
  ctx.payments.insert({
    id,
    registrant_id: p.registrantId,
    sale_id: p.saleId,
    purpose: p.purpose,
    description: p.description,
    amount: p.charge.amount,
    currency: p.charge.currency,
    method: p.payment.method,
    reference,
    reason,
    staff_id: p.staffId,
    station: `station:${ctx.stationId}`,
    created_at: at,
  });
  emit(
    ctx,
    tx,
    'PaymentRecorded',
    {
      paymentId: id,
      registrantId: p.registrantId,
      saleId: p.saleId,
      purpose: p.purpose,
      description: p.description.slice(0, 300),
      amount: p.charge.amount,
      currency: p.charge.currency,
      method: p.payment.method,
      reference,
      reason,
      staffId: p.staffId,
    },
    null,
    origin,
  );
  audit(ctx, tx, {
    actor: p.actor,
    action: 'payment.take',
    subject: p.registrantId,
    details: {
      paymentId: id,
      amount: p.charge.amount,
      currency: p.charge.currency,
      method: p.payment.method,
      purpose: p.purpose,
      summary: `${decimal(p.charge.amount, p.charge.currency)} ${p.charge.currency} by ${p.payment.method}: ${p.description}`,
    },
  });
  return id;
}

/**
 * Gives back what was paid for a seat the person never got (HQ said the session was full, or staff cancelled while
 * waiting for HQ): refunded by the station itself, no supervisor needed, and HQ is told.
 */
export async function refundSale(ctx: StationContext, tx: Tx, saleId: string, reason: string): Promise<number> {
  let n = 0;
  for (const p of await paymentsOfSale(tx, saleId)) {
    if (!(await closePayment(tx, p.id, { status: 'refunded', at: nowIso(ctx), by: 'station', reason }))) continue;
    emit(ctx, tx, 'PaymentReversed', {
      paymentId: p.id,
      registrantId: p.registrant_id,
      kind: 'refund',
      amount: p.amount,
      currency: p.currency,
      reason: reason.slice(0, 500),
      supervisorId: null,
    });
    audit(ctx, tx, {
      actor: 'station',
      action: 'payment.reverse',
      subject: p.registrant_id,
      details: {
        paymentId: p.id,
        kind: 'refund',
        reason,
        summary: `${decimal(p.amount, p.currency)} ${p.currency} refunded: ${reason}`,
      },
    });
    n++;
  }
  return n;
}
