/**
 * Money at the desk (issue 19, item 4): the day's payments, voids and refunds by a supervisor, blank badge stock,
 * and the cash-up at 18:00 — one CSV per desk and day with the counts and sums per staff member and payment method,
 * badges issued, voided and spoiled against the stock loaded, and what HQ has not confirmed yet.
 */
import { stringify } from 'csv-stringify/sync';
import type { CsvExport, StockView } from '../../../core/api';
import { dayRange, localDay } from '../../../core/calendar';
import { decimal, paymentMethods } from '../../../core/money';
import { DomainError } from '../../../core/result';
import { getConference } from '../../store/catalog';
import type { Db, Tx } from '../../store/db';
import {
  badgeCounts,
  closePayment,
  getPayment,
  listPayments,
  paymentsTouched,
  recordStock,
  unconfirmed,
} from '../../store/money';
import { paymentView } from '../../store/registrations';
import { listStaff } from '../../store/staff';
import { actor, audit, emit, inTx, nowIso, type StationContext } from '../context';
import type { Handlers } from '../serve';
import { checkSupervisor } from './staff';

type Channels = 'payment.list' | 'payment.reverse' | 'reports.day' | 'stock.record' | 'stock.status';

/** A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text (OWASP's CSV injection advice); a negative amount stays a number. */
const safe = (v: string | number): string | number =>
  typeof v === 'string' && /^[=+\-@\t\r]/.test(v) && !/^-\d+(\.\d+)?$/.test(v) ? `'${v}` : v;

export function moneyHandlers(ctx: StationContext): Pick<Handlers, Channels> {
  /** The venue's day (default today) as an ISO range. */
  const venueDay = async (q: Db | Tx, day: string | undefined) => {
    const c = await getConference(q);
    if (!c) throw new DomainError('not_found', 'No conference is loaded on this station yet. Import one first.');
    const d = day ?? localDay(ctx.clock.now(), c.timezone);
    const r = dayRange(d, c.timezone);
    return { day: d, from: new Date(r.startMs).toISOString(), to: new Date(r.endMs).toISOString(), conference: c };
  };
  const stock = async (q: Db | Tx, day: string | undefined): Promise<StockView> => {
    const d = await venueDay(q, day);
    const n = await badgeCounts(q, d.from, d.to);
    return { day: d.day, ...n, left: n.loaded > 0 ? n.loaded - n.issued - n.spoiled : null };
  };

  return {
    'payment.list': async ({ registrantId, day, limit }) => {
      if (registrantId) return (await listPayments(ctx.db, { registrantId, limit })).map(paymentView);
      const d = await venueDay(ctx.db, day);
      return (await listPayments(ctx.db, { from: d.from, to: d.to, limit })).map(paymentView);
    },

    'payment.reverse': async ({ paymentId, kind, reason, supervisor: auth }, caller) => {
      const supervisor = await checkSupervisor(ctx, auth);
      return inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const p = await getPayment(tx, paymentId);
        if (!p) throw new DomainError('not_found', `No payment with id "${paymentId}" at this desk.`);
        if (p.status !== 'paid')
          throw new DomainError(
            'conflict',
            `This payment was ${p.status} already${p.close_reason ? ` (${p.close_reason})` : ''}.`,
            { reason: 'other' },
          );
        const status = kind === 'void' ? 'voided' : 'refunded';
        await closePayment(tx, p.id, { status, at: nowIso(ctx), by: supervisor.id, reason });
        emit(ctx, tx, 'PaymentReversed', {
          paymentId: p.id,
          registrantId: p.registrant_id,
          kind,
          amount: p.amount,
          currency: p.currency,
          reason: reason.slice(0, 500),
          supervisorId: supervisor.id,
        });
        audit(ctx, tx, {
          actor: supervisor.id,
          action: 'payment.reverse',
          subject: p.registrant_id,
          details: {
            paymentId: p.id,
            kind,
            reason,
            staff: by,
            summary: `${decimal(p.amount, p.currency)} ${p.currency} ${status} by ${supervisor.name}: ${reason}`,
          },
        });
        return paymentView((await getPayment(tx, p.id))!);
      });
    },

    'stock.record': async ({ cards, note }, caller) =>
      inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        await recordStock(tx, { at: nowIso(ctx), cards, staffId: caller.session?.staffId ?? null, note });
        audit(ctx, tx, { actor: by, action: 'stock.record', subject: ctx.stationId, details: { cards, note } });
        return stock(tx, undefined);
      }),

    'stock.status': async ({ day }) => stock(ctx.db, day),

    'reports.day': async ({ day }): Promise<CsvExport> => {
      const d = await venueDay(ctx.db, day);
      const { taken, closed } = await paymentsTouched(ctx.db, d.from, d.to);
      const names = new Map((await listStaff(ctx.db)).map((s) => [s.id, s.name]));
      const desk = ctx.stationId;
      type Key = string;
      const lines = new Map<
        Key,
        {
          staff: string;
          method: string;
          currency: string;
          taken: number;
          takenN: number;
          voided: number;
          voidedN: number;
          refunded: number;
          refundedN: number;
        }
      >();
      const line = (staffId: string | null, method: string, currency: string) => {
        const staff = staffId ? `${names.get(staffId) ?? staffId} (${staffId})` : '(no one signed in)';
        const k = `${staff}\u0000${method}\u0000${currency}`;
        let l = lines.get(k);
        if (!l)
          lines.set(
            k,
            (l = { staff, method, currency, taken: 0, takenN: 0, voided: 0, voidedN: 0, refunded: 0, refundedN: 0 }),
          );
        return l;
      };
      for (const p of taken) {
        const l = line(p.staff_id, p.method, p.currency);
        l.taken += p.amount;
        l.takenN++;
      }
      // A void or refund is counted on the day it happened, against the drawer of whoever took the money.
      for (const p of closed) {
        const l = line(p.staff_id, p.method, p.currency);
        if (p.status === 'voided') {
          l.voided += p.amount;
          l.voidedN++;
        } else {
          l.refunded += p.amount;
          l.refundedN++;
        }
      }
      const order = (m: string) => paymentMethods.indexOf(m as never);
      const sorted = [...lines.values()].sort(
        (a, b) => a.staff.localeCompare(b.staff) || order(a.method) - order(b.method),
      );
      const rows: (string | number)[][] = [];
      const money = (n: number, c: string) => decimal(n, c);
      const total = new Map<string, (typeof sorted)[number]>();
      for (const l of sorted) {
        rows.push(['payments', desk, l.staff, l.method, 'taken', l.takenN, money(l.taken, l.currency), l.currency]);
        if (l.voidedN)
          rows.push([
            'payments',
            desk,
            l.staff,
            l.method,
            'voided',
            l.voidedN,
            money(-l.voided, l.currency),
            l.currency,
          ]);
        if (l.refundedN)
          rows.push([
            'payments',
            desk,
            l.staff,
            l.method,
            'refunded',
            l.refundedN,
            money(-l.refunded, l.currency),
            l.currency,
          ]);
        rows.push([
          'payments',
          desk,
          l.staff,
          l.method,
          'net',
          l.takenN,
          money(l.taken - l.voided - l.refunded, l.currency),
          l.currency,
        ]);
        const k = `${l.method}\u0000${l.currency}`;
        const t = total.get(k) ?? {
          ...l,
          staff: 'all staff',
          taken: 0,
          takenN: 0,
          voided: 0,
          voidedN: 0,
          refunded: 0,
          refundedN: 0,
        };
        t.taken += l.taken;
        t.takenN += l.takenN;
        t.voided += l.voided;
        t.voidedN += l.voidedN;
        t.refunded += l.refunded;
        t.refundedN += l.refundedN;
        total.set(k, t);
      }
      for (const t of [...total.values()].sort((a, b) => order(a.method) - order(b.method))) {
        rows.push([
          'desk total',
          desk,
          'all staff',
          t.method,
          'net',
          t.takenN,
          money(t.taken - t.voided - t.refunded, t.currency),
          t.currency,
        ]);
      }
      const s = await stock(ctx.db, d.day);
      rows.push(['badges', desk, 'all staff', '', 'stock loaded', s.loaded, '', '']);
      rows.push(['badges', desk, 'all staff', '', 'issued (printed)', s.issued, '', '']);
      rows.push(['badges', desk, 'all staff', '', 'voided', s.voided, '', '']);
      rows.push(['badges', desk, 'all staff', '', 'spoiled', s.spoiled, '', '']);
      rows.push(['badges', desk, 'all staff', '', 'stock left', s.left ?? '', '', '']);
      const u = await unconfirmed(ctx.db);
      rows.push(['unconfirmed', desk, 'all staff', '', 'seat sales HQ has not decided', u.sales, '', '']);
      rows.push(['unconfirmed', desk, 'all staff', '', 'payments not yet sent to HQ', u.moneyUnsent, '', '']);
      const csv = stringify(
        rows.map((r) => r.map(safe)),
        {
          bom: true,
          header: true,
          columns: ['Section', 'Desk', 'Staff member', 'Method', 'What', 'Count', 'Amount', 'Currency'],
          record_delimiter: 'windows',
        },
      );
      return { report: 'day', filename: `${d.conference.id}-${desk}-day-${d.day}.csv`, rows: rows.length, csv };
    },
  };
}
