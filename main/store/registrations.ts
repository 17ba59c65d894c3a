/**
 * What a desk knows and changes about a registration (issue 19): the whole picture for the person in front of the
 * desk (ticket and validity, status, badge, seats with their sales, check-ins, payments, history), the fields a
 * desk set, status decisions, seats given back, and the imports' "not in the file any more".
 */
import { sql, type Selectable } from 'kysely';
import type { MoneyView, PaymentView, RegistrantDetail, TicketTypeView } from '../../core/api';
import type { Registrant, RegistrationStatus } from '../../core/conference';
import {
  dateOfDay,
  type ConferenceCalendar,
  type SessionTimes,
  type Standing,
  type TicketRules,
} from '../../core/validity';
import type { Db, Tx } from './db';
import { registrantSummary } from './search';
import type { ConferenceRow, PaymentRow, SessionRow, TicketTypeRow } from './schema';

type Q = Db | Tx;

const parse = <T>(json: string | null): T | null => (json === null ? null : (JSON.parse(json) as T));

export function ticketTypeView(
  t: Selectable<TicketTypeRow>,
  c: Pick<Selectable<ConferenceRow>, 'starts_on' | 'ends_on' | 'timezone' | 'currency'>,
): TicketTypeView {
  const days = parse<number[]>(t.days_json);
  const cal = { startsOn: c.starts_on, endsOn: c.ends_on, timezone: c.timezone };
  return {
    id: t.id,
    name: t.name,
    label: t.badge_label,
    days: days ? [...days].sort((a, b) => a - b).map((d) => ({ day: d, date: dateOfDay(cal, d) })) : null,
    tracks: parse<string[]>(t.tracks_json),
    price: t.price !== null && t.price > 0 && c.currency ? { amount: t.price, currency: c.currency } : null,
    privileged: t.privileged === 1,
  };
}

export async function getTicketType(q: Q, id: string): Promise<Selectable<TicketTypeRow> | undefined> {
  return q.selectFrom('ticket_type').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTicketTypes(q: Q): Promise<TicketTypeView[]> {
  const c = await q.selectFrom('conference').selectAll().limit(1).executeTakeFirst();
  if (!c) return [];
  const rows = await q.selectFrom('ticket_type').selectAll().orderBy('name').execute();
  return rows.map((t) => ticketTypeView(t, c));
}

export function paymentView(p: Selectable<PaymentRow>): PaymentView {
  return {
    id: p.id,
    registrantId: p.registrant_id,
    saleId: p.sale_id,
    purpose: p.purpose,
    description: p.description,
    amount: p.amount,
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    reason: p.reason,
    staffId: p.staff_id,
    station: p.station,
    createdAt: p.created_at,
    status: p.status,
    closedAt: p.closed_at,
    closedBy: p.closed_by,
    closeReason: p.close_reason,
  };
}

/** What was paid and not given back (voided or refunded payments count nothing). */
export function paidTotal(payments: PaymentView[]): MoneyView | null {
  if (payments.length === 0) return null;
  const kept = payments.filter((p) => p.status === 'paid');
  return { amount: kept.reduce((n, p) => n + p.amount, 0), currency: payments[0]!.currency };
}

/** Desk actions shown in a registration's history (from the audit log). */
const historyActions = [
  'registrant.registerWalkUp',
  'registrant.correct',
  'registration.settle',
  'registration.changeTicket',
  'registration.transfer',
  'seat.release',
  'seat.swap',
  'sale.release',
  'payment.reverse',
  'badge.void',
  'registration.cancelledByImport',
  'registrant.changedElsewhere',
];

export async function getRegistrantDetail(q: Q, id: string, stationId: string): Promise<RegistrantDetail | undefined> {
  const summary = await registrantSummary(q, id);
  if (!summary) return undefined;
  const r = await q
    .selectFrom('registrant')
    .select(['origin', 'flagged_for_contact', 'status_note', 'ticket_type_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const conference = await q.selectFrom('conference').selectAll().limit(1).executeTakeFirstOrThrow();
  const ticket = ticketTypeView((await getTicketType(q, r.ticket_type_id))!, conference);
  const sessions = await q
    .selectFrom('entitlement as e')
    .innerJoin('session as s', 's.id', 'e.session_id')
    .leftJoin('sale', 'sale.id', 'e.sale_id')
    .select([
      'e.session_id',
      's.title',
      's.room',
      's.starts_at',
      's.ends_at',
      'e.source',
      'e.sale_id',
      'sale.status as sale_status',
      'sale.at_risk',
      'sale.tier',
    ])
    .where('e.registrant_id', '=', id)
    .orderBy('s.starts_at')
    .execute();
  const checkIns = await q
    .selectFrom('check_in')
    .select(['session_id', 'at', 'station', 'staff_id'])
    .where('registrant_id', '=', id)
    .orderBy('id')
    .execute();
  const lastPrint = await q
    .selectFrom('badge_print')
    .selectAll()
    .where('registrant_id', '=', id)
    .orderBy('version', 'desc')
    .orderBy('printed_at', 'desc')
    .executeTakeFirst();
  const badge = await q
    .selectFrom('badge')
    .selectAll()
    .where('registrant_id', '=', id)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  // Where and by whom the current version printed: this station's job, or another station's print through HQ.
  const printedHere = badge
    ? await q
        .selectFrom('print_job as j')
        .leftJoin('staff', 'staff.id', 'j.staff_id')
        .select(['j.finished_at', 'j.staff_id', 'staff.name'])
        .where('j.registrant_id', '=', id)
        .where('j.badge_version', '=', badge.version)
        .where('j.kind', '=', 'badge')
        .where('j.status', '=', 'printed')
        .orderBy('j.id', 'desc')
        .executeTakeFirst()
    : undefined;
  const elsewhere = badge
    ? await q
        .selectFrom('badge_print')
        .selectAll()
        .where('registrant_id', '=', id)
        .where('version', '=', badge.version)
        .orderBy('printed_at')
        .executeTakeFirst()
    : undefined;
  const payments = (
    await q
      .selectFrom('payment')
      .selectAll()
      .where('registrant_id', '=', id)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map(paymentView);
  const history = await q
    .selectFrom('audit_log')
    .select(['at', 'actor', 'action', 'details_json'])
    .where('subject', '=', id)
    .where('action', 'in', historyActions)
    .orderBy('seq', 'desc')
    .limit(50)
    .execute();
  const me = `station:${stationId}`;
  return {
    ...summary,
    origin: r.origin,
    flaggedForContact: r.flagged_for_contact === 1,
    ticket,
    statusNote: r.status_note,
    sessions: sessions.map((s) => ({
      sessionId: s.session_id,
      title: s.title,
      room: s.room,
      startsAt: s.starts_at,
      endsAt: s.ends_at,
      source: s.source,
      saleId: s.sale_id,
      sale: s.sale_status ? { status: s.sale_status, atRisk: s.at_risk === 1, tier: s.tier! } : null,
    })),
    checkIns: checkIns.map((c) => ({
      sessionId: c.session_id,
      at: c.at,
      station: c.station ?? me,
      staffId: c.staff_id,
    })),
    lastPrint: lastPrint
      ? { registrantId: id, version: lastPrint.version, station: lastPrint.station, printedAt: lastPrint.printed_at }
      : null,
    badge: badge
      ? {
          version: badge.version,
          status: badge.status,
          printedAt: printedHere?.finished_at ?? elsewhere?.printed_at ?? badge.printed_at,
          station: printedHere ? me : (elsewhere?.station ?? null),
          printedBy: printedHere ? (printedHere.name ?? printedHere.staff_id) : null,
        }
      : null,
    payments,
    paid: paidTotal(payments),
    history: history.map((h) => ({
      at: h.at,
      actor: h.actor,
      action: h.action,
      summary: (JSON.parse(h.details_json) as { summary?: string }).summary ?? h.action,
    })),
  };
}

// ---- changes ------------------------------------------------------------------------------------------------------

/** Records fields a desk set (merged with earlier ones): a later import of the source file keeps them. */
export async function mergeDeskFields(q: Q, id: string, fields: Record<string, unknown>): Promise<void> {
  const row = await q
    .selectFrom('registrant')
    .select('desk_fields_json')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const merged = { ...(parse<Record<string, unknown>>(row.desk_fields_json) ?? {}), ...fields };
  await q
    .updateTable('registrant')
    .set({ desk_fields_json: JSON.stringify(merged) })
    .where('id', '=', id)
    .execute();
}

export async function setStatusNote(q: Q, id: string, note: string | null): Promise<void> {
  await q.updateTable('registrant').set({ status_note: note }).where('id', '=', id).execute();
}

export async function markNeedsReprint(q: Q, id: string): Promise<void> {
  await q.updateTable('registrant').set({ needs_reprint: 1 }).where('id', '=', id).execute();
}

/** The next conference-file import's round (registrants it lists get it; those an earlier file listed and it does not are cancelled). */
export async function nextFileRound(q: Q): Promise<number> {
  const r = await q
    .selectFrom('registrant')
    .select(sql<number | null>`max(file_round)`.as('n'))
    .executeTakeFirstOrThrow();
  return (r.n ?? 0) + 1;
}

/**
 * Registrants an earlier conference file listed that this one (`round`) does not: cancelled, with a note — never
 * deleted. Already cancelled or refunded ones are left as they are. Returns their ids.
 */
export async function cancelMissing(q: Q, round: number, note: string): Promise<string[]> {
  const rows = await q
    .updateTable('registrant')
    .set({ status: 'cancelled', status_note: note })
    .where('file_round', '<', round)
    .where('status', 'not in', ['cancelled', 'refunded'])
    .returning('id')
    .execute();
  return rows.map((r) => r.id).sort();
}

/** Imported seats given back: recorded so that a later import does not bring them back. */
export async function recordSeatRelease(
  q: Q,
  r: { registrantId: string; sessionId: string; reason: string; at: string },
): Promise<void> {
  await q
    .insertInto('seat_release')
    .values({ registrant_id: r.registrantId, session_id: r.sessionId, reason: r.reason, released_at: r.at })
    .onConflict((oc) =>
      oc.columns(['registrant_id', 'session_id']).doUpdateSet({ reason: r.reason, released_at: r.at }),
    )
    .execute();
}

export async function getEntitlement(q: Q, registrantId: string, sessionId: string) {
  return q
    .selectFrom('entitlement')
    .selectAll()
    .where('registrant_id', '=', registrantId)
    .where('session_id', '=', sessionId)
    .executeTakeFirst();
}

export async function dropEntitlement(q: Q, registrantId: string, sessionId: string): Promise<void> {
  await q
    .deleteFrom('entitlement')
    .where('registrant_id', '=', registrantId)
    .where('session_id', '=', sessionId)
    .execute();
}

/** Imported seats of a registrant (what a Registrant record's `sessions` says). */
export async function importedSeats(q: Q, registrantId: string): Promise<string[]> {
  const rows = await q
    .selectFrom('entitlement')
    .select('session_id')
    .where('registrant_id', '=', registrantId)
    .where('source', '=', 'import')
    .orderBy('session_id')
    .execute();
  return rows.map((r) => r.session_id);
}

export type { RegistrationStatus };

/** The registrant as the import format has it (core/conference.ts Registrant): what a change sends to HQ and writes back. */
export async function registrantRecord(q: Q, id: string): Promise<Registrant | undefined> {
  const r = await q.selectFrom('registrant').selectAll().where('id', '=', id).executeTakeFirst();
  if (!r) return undefined;
  const profile = parse<Record<string, unknown>>(r.profile_json) ?? {};
  return {
    ...profile,
    id: r.id,
    confirmationCode: r.confirmation_code,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    company: r.company,
    ticketTypeId: r.ticket_type_id,
    sessions: await importedSeats(q, id),
    status: r.status,
  };
}

export interface RegistrationRules {
  calendar: ConferenceCalendar;
  ticket: TicketRules;
  standing: Standing;
}

export async function registrationRules(q: Q, registrantId: string): Promise<RegistrationRules | undefined> {
  const r = await q
    .selectFrom('registrant as r')
    .innerJoin('ticket_type as t', 't.id', 'r.ticket_type_id')
    .innerJoin('conference as c', 'c.id', 'r.conference_id')
    .select([
      'r.status',
      'r.status_note',
      't.name',
      't.days_json',
      't.tracks_json',
      'c.starts_on',
      'c.ends_on',
      'c.timezone',
    ])
    .where('r.id', '=', registrantId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    calendar: { startsOn: r.starts_on, endsOn: r.ends_on, timezone: r.timezone },
    ticket: ticketRules(r.name, r.days_json, r.tracks_json),
    standing: { status: r.status, note: r.status_note },
  };
}

/** A ticket type's rules from its row's columns. */
export const ticketRules = (name: string, daysJson: string | null, tracksJson: string | null): TicketRules => ({
  name,
  days: daysJson ? (JSON.parse(daysJson) as number[]) : null,
  tracks: tracksJson ? (JSON.parse(tracksJson) as string[]) : null,
});

export const sessionTimes = (s: Selectable<SessionRow>): SessionTimes => ({
  startsAt: s.starts_at,
  endsAt: s.ends_at,
  track: s.track,
  sellable: s.sellable === 1,
});
