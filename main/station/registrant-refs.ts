/**
 * Short human codes usable everywhere an id is (issue 19, item 7): a request that names a registrant may give their
 * id, their confirmation code however it is typed ("ldc5scq9w", "LDC-5SCQ9W"), or the code's last group when only
 * one person has it ("5SCQ9W"). The reference is resolved before the handler runs; one that names nobody is passed
 * on as it is, and the handler answers `not_found` as for any unknown id. A sale (`sale.sell`,
 * `registration.upgrade`) resolves it itself, inside its transaction (`buyer` in store/sales.ts): a read transaction
 * of its own before every sale was a measurable part of the desk's busiest command (sale.commit benchmark).
 */
import type { Channel } from '../../core/api';
import type { Handlers } from './serve';

/** Channels that name a registrant, and the request field that does. */
export const registrantRefFields = {
  'registrant.get': 'id',
  'sale.preview': 'registrantId',
  'checkin.record': 'registrantId',
  'badge.preview': 'registrantId',
  'badge.print': 'registrantId',
  'badge.prints': 'registrantId',
  'print.jobs': 'registrantId',
  'registrant.correct': 'registrantId',
  'registration.settle': 'registrantId',
  'registration.changeTicket': 'registrantId',
  'registration.transfer': 'registrantId',
  'seat.release': 'registrantId',
  'seat.swap': 'registrantId',
  'payment.list': 'registrantId',
  'receipt.preview': 'registrantId',
  'receipt.print': 'registrantId',
} as const satisfies Partial<Record<Channel, string>>;

export function withRegistrantRefs(resolve: (ref: string) => string | undefined, handlers: Handlers): Handlers {
  const out = { ...handlers } as unknown as Record<
    string,
    (req: Record<string, unknown>, caller: never) => Promise<unknown>
  >;
  for (const [channel, field] of Object.entries(registrantRefFields)) {
    const handler = out[channel]!;
    out[channel] = async (req, caller) => {
      const ref = req[field];
      if (typeof ref !== 'string') return handler(req, caller);
      const id = resolve(ref);
      return handler(id && id !== ref ? { ...req, [field]: id } : req, caller);
    };
  }
  return out as unknown as Handlers;
}
