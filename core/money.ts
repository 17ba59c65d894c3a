/**
 * Money at the desk: prices are integers in the minor unit of the conference's currency (euro cents), never
 * floating point; a payment says how it was paid. Pure: formatting uses Intl (part of the language), no I/O.
 */
import { z } from 'zod';

export const paymentMethods = ['cash', 'card', 'invoice', 'complimentary'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

const Reference = z.string().trim().min(1, 'give the reference').max(120);

/**
 * How the person paid: cash; card with the terminal's reference (so the cash-up can be matched to the terminal's
 * report); invoice with the invoice or purchase-order number; complimentary with the reason (who authorised it).
 */
export const PaymentInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash') }).strict(),
  z.object({ method: z.literal('card'), reference: Reference }).strict(),
  z.object({ method: z.literal('invoice'), reference: Reference }).strict(),
  z
    .object({ method: z.literal('complimentary'), reason: z.string().trim().min(1, 'give the reason').max(200) })
    .strict(),
]);
export type PaymentInput = z.infer<typeof PaymentInput>;

/** What a payment was for. */
export type PaymentPurpose = 'ticket' | 'seat' | 'ticket_change' | 'balance';

export interface Money {
  /** Minor units (cents). */
  amount: number;
  currency: string;
}

/**
 * How many minor units a currency's major unit has (2 for EUR, 0 for JPY), from Intl. Remembered per currency:
 * building the formatter is ~0.1 ms, a fifth of a sale's own time (sale.commit benchmark).
 */
export function minorDigits(currency: string): number {
  let digits = knownDigits.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    knownDigits.set(currency, digits);
  }
  return digits;
}
const knownDigits = new Map<string, number>();

/** "12.50" for 1250 EUR cents: the plain decimal (CSV cells, receipts' columns). */
export function decimal(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (digits === 0) return `${sign}${abs}`;
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

/** "€12.50" in `locale`'s manner. */
export function formatMoney(m: Money, locale = 'en-GB'): string {
  try {
    const digits = minorDigits(m.currency);
    return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency }).format(m.amount / 10 ** digits);
  } catch {
    return `${decimal(m.amount, m.currency)} ${m.currency}`;
  }
}
