/**
 * Changing a registration at the desk (issue 19, items 1, 2, 8): corrections, a decision on a pending one, another
 * ticket type, a transfer to another person, a seat given back (whatever it came from) or swapped for another.
 *
 * A change is one transaction: the registrant rewritten through the same writer as an import (search index,
 * "needs reprint" when what the badge shows changed after it printed), the fields the desk set remembered (a later
 * import of the source file keeps them), RegistrantChanged for HQ — which relays it to every station — and an
 * audit entry with what changed. Seats and money go through the sale and payment paths they always use.
 */
import type { Registrant } from '../../../core/conference';
import { Registrant as RegistrantSchema, describeIssues } from '../../../core/conference';
import type { Caller } from '../../../core/access';
import { decimal } from '../../../core/money';
import type { Payload } from '../../../core/messages';
import { DomainError } from '../../../core/result';
import { standingProblems } from '../../../core/validity';
import { getConference, getSession, ticketTypeExists } from '../../store/catalog';
import type { Tx } from '../../store/db';
import { latestBadge, voidBadge } from '../../store/printing';
import {
  getEntitlement,
  getRegistrantDetail,
  getTicketType,
  listTicketTypes,
  mergeDeskFields,
  registrantRecord,
  setStatusNote,
} from '../../store/registrations';
import type { SeatSwapOutcome } from '../../../core/api';
import { actor, audit, emit, inTx, nowIso, requireConference, type StationContext } from '../context';
import type { Applied } from './feed-applied';
import { takePayment, requirePayment } from './payments';
import { releaseSeat, sell } from './sales';
import { checkSupervisor } from './staff';
import { refuseIf } from './validity';
import type { Handlers } from '../serve';

type Channels =
  | 'registrant.correct'
  | 'registration.settle'
  | 'registration.changeTicket'
  | 'registration.transfer'
  | 'seat.release'
  | 'seat.swap';

/** Optional fields a transfer clears: they described the other person. */
const personal = [
  'preferredName',
  'nameOrder',
  'pronouns',
  'country',
  'accessibility',
  'dietary',
  'answers',
  'sessionRoles',
] as const;

export function registrationHandlers(ctx: StationContext): Pick<Handlers, Channels> {
  const detail = async (id: string) => (await getRegistrantDetail(ctx.db, id, ctx.stationId))!;

  return {
    'registrant.correct': async ({ registrantId, changes, reason }, caller) => {
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        // An empty optional field is cleared (null in the desk's fields); the required ones stay strings.
        const fields: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(changes))
          fields[k] = v === '' && !['firstName', 'lastName', 'email', 'company'].includes(k) ? null : v;
        await changeRegistrant(ctx, tx, {
          registrantId,
          kind: 'correction',
          fields,
          reason,
          by,
          staffId: caller.session?.staffId ?? null,
          action: 'registrant.correct',
          verb: 'corrected',
        });
      });
      return detail(registrantId);
    },

    'registration.settle': async (req, caller) => {
      const supervisor = req.decision === 'accept' ? await checkSupervisor(ctx, req.supervisor) : null;
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const before = await requireRecord(tx, req.registrantId);
        if (before.status !== 'pending')
          throw new DomainError(
            'conflict',
            `This registration is ${before.status ?? 'paid'}, not pending: there is nothing to settle.`,
            { reason: 'other' },
          );
        let note: string;
        if (req.decision === 'pay') {
          const t = (await getTicketType(tx, before.ticketTypeId))!;
          const currency = (await getConference(tx))?.currency ?? null;
          const charge = t.price !== null && t.price > 0 && currency ? { amount: t.price, currency } : null;
          if (!charge)
            throw new DomainError(
              'conflict',
              `${t.name} has no price to pay: a supervisor accepts the registration instead.`,
              { reason: 'other' },
            );
          takePayment(ctx, tx, {
            registrantId: before.id,
            saleId: null,
            purpose: 'balance',
            description: t.name,
            charge,
            payment: req.payment,
            staffId: caller.session?.staffId ?? null,
            actor: by,
          });
          note = `paid at ${ctx.stationId}: ${decimal(charge.amount, charge.currency)} ${charge.currency} by ${req.payment.method}`;
        } else note = `accepted by ${supervisor!.name}: ${req.note}`;
        await changeRegistrant(ctx, tx, {
          registrantId: before.id,
          kind: 'status',
          fields: { status: 'paid' },
          reason: note,
          by: supervisor?.id ?? by,
          staffId: caller.session?.staffId ?? null,
          action: 'registration.settle',
          verb: req.decision === 'pay' ? 'paid at the desk' : 'accepted',
        });
        await setStatusNote(tx, before.id, note);
      });
      return detail(req.registrantId);
    },

    'registration.changeTicket': async ({ registrantId, ticketTypeId, payment, supervisor: auth, reason }, caller) => {
      const target = await getTicketType(ctx.db, ticketTypeId);
      if (!target) throw unknownTicketType(ticketTypeId, await listTicketTypes(ctx.db));
      const supervisor = auth ? await checkSupervisor(ctx, auth) : null;
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const before = await requireRecord(tx, registrantId);
        const rules = standingProblems({ status: before.status ?? 'paid', note: null });
        refuseIf(rules, 'The ticket cannot be changed');
        if (before.ticketTypeId === ticketTypeId)
          throw new DomainError('conflict', `This registration already has ${target.name}.`, { reason: 'other' });
        const current = (await getTicketType(tx, before.ticketTypeId))!;
        const currency = (await getConference(tx))?.currency ?? null;
        const difference = (target.price ?? 0) - (current.price ?? 0);
        // A cheaper ticket (money to give back) or a privileged one (speaker, staff) is a supervisor's decision.
        if ((difference < 0 || target.privileged === 1) && !supervisor) {
          throw new DomainError(
            'forbidden',
            `${difference < 0 ? `${target.name} costs less than ${current.name}` : `${target.name} is a privileged ticket`}: a supervisor's PIN is needed.`,
            { need: 'supervisor' },
          );
        }
        const charge = difference > 0 && currency ? { amount: difference, currency } : null;
        requirePayment(charge, payment, `Changing ${current.name} to ${target.name}`);
        takePayment(ctx, tx, {
          registrantId,
          saleId: null,
          purpose: 'ticket_change',
          description: `${current.name} → ${target.name}`,
          charge,
          payment,
          staffId: caller.session?.staffId ?? null,
          actor: by,
        });
        await changeRegistrant(ctx, tx, {
          registrantId,
          kind: 'ticket',
          fields: { ticketTypeId },
          reason: reason || `${current.name} → ${target.name}`,
          by: supervisor?.id ?? by,
          staffId: caller.session?.staffId ?? null,
          action: 'registration.changeTicket',
          verb: 'ticket changed',
        });
      });
      return detail(registrantId);
    },

    'registration.transfer': async ({ registrantId, to, reason }, caller) => {
      await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const before = await requireRecord(tx, registrantId);
        refuseIf(
          standingProblems({ status: before.status ?? 'paid', note: null }),
          'The registration cannot be transferred',
        );
        const fields: Record<string, unknown> = { ...to };
        for (const k of personal) fields[k] = null;
        const newName = `${to.firstName} ${to.lastName}`.trim();
        await changeRegistrant(ctx, tx, {
          registrantId,
          kind: 'transfer',
          fields,
          reason: `to ${newName}: ${reason}`,
          by,
          staffId: caller.session?.staffId ?? null,
          action: 'registration.transfer',
          verb: 'transferred',
        });
        // A printed badge names the other person: it stops working at the doors; the next print is a new version.
        const badge = await latestBadge(tx, registrantId);
        if (badge && badge.status === 'printed') {
          const why = `registration transferred to ${newName}`;
          const conference = await requireConference(tx);
          await voidBadge(tx, registrantId, badge.version, why, nowIso(ctx));
          emit(ctx, tx, 'BadgeVoided', { registrantId, badgeVersion: badge.version, reason: why }, null, {
            stationId: ctx.stationId,
            conferenceId: conference.id,
            at: nowIso(ctx),
          });
          audit(ctx, tx, {
            actor: by,
            action: 'badge.void',
            subject: registrantId,
            details: { version: badge.version, reason: why, summary: `badge version ${badge.version} voided: ${why}` },
          });
        }
      });
      return detail(registrantId);
    },

    'seat.release': async ({ registrantId, sessionId, reason }, caller) => {
      const changed = await inTx(ctx, async (tx) =>
        releaseSeat(ctx, tx, { registrantId, sessionId, reason, by: actor(ctx, tx, caller) }),
      );
      afterRelease(ctx, changed);
      return detail(registrantId);
    },

    'seat.swap': async ({ registrantId, fromSessionId, toSessionId, payment, override }, caller) =>
      swapSeat(ctx, { registrantId, fromSessionId, toSessionId, payment, override }, caller),
  };
}

function unknownTicketType(id: string, valid: { id: string; name: string }[]): DomainError {
  return new DomainError(
    'not_found',
    `Unknown ticket type "${id}". This conference has: ${valid.map((t) => `${t.id} (${t.name})`).join(', ')}.`,
    { ticketTypes: valid.map((t) => ({ id: t.id, name: t.name })) },
  );
}
export { unknownTicketType };

async function requireRecord(tx: Tx, id: string): Promise<Registrant> {
  const r = await registrantRecord(tx, id);
  if (!r) throw new DomainError('not_found', `No registrant with id "${id}".`);
  return r;
}

/**
 * One change to a registration: validated as a whole record, written like an import would write it, remembered
 * as the desk's, sent to HQ, audited with each field's before and after.
 */
async function changeRegistrant(
  ctx: StationContext,
  tx: Tx,
  c: {
    registrantId: string;
    kind: Payload<'RegistrantChanged'>['kind'];
    fields: Record<string, unknown>;
    reason: string;
    by: string;
    staffId: string | null;
    action: string;
    verb: string;
  },
): Promise<Registrant> {
  const conference = await requireConference(tx);
  const before = await requireRecord(tx, c.registrantId);
  const merged: Record<string, unknown> = { ...before };
  for (const [k, v] of Object.entries(c.fields)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  const parsed = RegistrantSchema.safeParse(merged);
  if (!parsed.success)
    throw new DomainError('invalid_input', `The registration would not be valid: ${describeIssues(parsed.error)}.`);
  const after = parsed.data;
  if (after.ticketTypeId !== before.ticketTypeId && !(await ticketTypeExists(tx, after.ticketTypeId)))
    throw new DomainError('not_found', `Unknown ticket type "${after.ticketTypeId}".`);
  const changed = Object.keys(c.fields).filter(
    (k) =>
      JSON.stringify((before as Record<string, unknown>)[k] ?? null) !==
      JSON.stringify((after as Record<string, unknown>)[k] ?? null),
  );
  if (changed.length === 0)
    throw new DomainError('conflict', 'Nothing would change: the registration already says that.', { reason: 'other' });
  ctx.registrants.upsert(conference.id, [after], 'walkup', nowIso(ctx), undefined, 'keep');
  await mergeDeskFields(tx, c.registrantId, Object.fromEntries(changed.map((k) => [k, c.fields[k]])));
  emit(ctx, tx, 'RegistrantChanged', {
    registrant: after,
    kind: c.kind,
    fields: changed,
    reason: c.reason.slice(0, 500),
    staffId: c.staffId,
  });
  const show = (v: unknown) =>
    v === undefined || v === null || v === '' ? '—' : typeof v === 'string' ? v : JSON.stringify(v);
  const diff = Object.fromEntries(
    changed.map((k) => [
      k,
      [(before as Record<string, unknown>)[k] ?? null, (after as Record<string, unknown>)[k] ?? null],
    ]),
  );
  const summary = `${c.verb}: ${changed.map((k) => `${k} ${show((before as Record<string, unknown>)[k])} → ${show((after as Record<string, unknown>)[k])}`).join('; ')}${c.reason ? ` (${c.reason})` : ''}`;
  audit(ctx, tx, {
    actor: c.by,
    action: c.action,
    subject: c.registrantId,
    details: { kind: c.kind, changes: diff, reason: c.reason, summary: summary.slice(0, 500) },
  });
  return after;
}

export function afterRelease(ctx: StationContext, sessionId: string): void {
  ctx.events.emit({ type: 'availability.changed', sessionIds: [sessionId] });
}

/** The new seat first (the sale policy, its price less the old seat's); the old one goes back only once the new one is the person's. */
async function swapSeat(
  ctx: StationContext,
  req: {
    registrantId: string;
    fromSessionId: string;
    toSessionId: string;
    payment?: Parameters<typeof sell>[1]['payment'];
    override?: { supervisorId: string; pin: string } | undefined;
  },
  caller: Caller,
): Promise<SeatSwapOutcome> {
  const held = await getEntitlement(ctx.db, req.registrantId, req.fromSessionId);
  if (!held) {
    const s = await getSession(ctx.db, req.fromSessionId);
    throw new DomainError(
      'not_found',
      s ? `This registration has no seat in "${s.title}" to swap.` : `No session with id "${req.fromSessionId}".`,
    );
  }
  const from = (await getSession(ctx.db, req.fromSessionId))!;
  const to = await getSession(ctx.db, req.toSessionId);
  const currency = (await getConference(ctx.db))?.currency ?? null;
  const difference = (to?.price ?? 0) - (from.price ?? 0);
  const charge = difference > 0 && currency ? { amount: difference, currency } : null;
  const sale = await sell(
    ctx,
    {
      sessionId: req.toSessionId,
      registrantId: req.registrantId,
      override: req.override,
      payment: req.payment,
      charge,
      chargeFor: `${from.title} → ${to?.title ?? req.toSessionId}`,
    },
    caller,
    true,
  );
  const got = sale.outcome === 'confirmed' || sale.outcome === 'proceed';
  if (!got) return { sale, released: false, message: `The seat in "${from.title}" is kept: ${sale.message}` };
  await inTx(ctx, async (tx) =>
    releaseSeat(ctx, tx, {
      registrantId: req.registrantId,
      sessionId: req.fromSessionId,
      reason: `swapped for "${to!.title}"`,
      by: actor(ctx, tx, caller),
    }),
  );
  afterRelease(ctx, req.fromSessionId);
  return {
    sale,
    released: true,
    message: `Swapped: a seat in "${to!.title}" instead of "${from.title}". ${sale.message}`,
  };
}

// ---- from HQ ----------------------------------------------------------------------------------------------------

/**
 * A change made at a desk (this one or another), relayed by HQ in its order: every station writes the registrant
 * as HQ has it and remembers the desk's fields, so a later import keeps them here too.
 */
export async function applyRegistrantChange(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'RegistrantChangeRecorded'>,
): Promise<Applied> {
  const conference = await getConference(tx);
  if (!conference) return { status: 'ignored', note: 'no conference loaded' };
  const r = p.registrant;
  if (!(await ticketTypeExists(tx, r.ticketTypeId)))
    return { status: 'ignored', note: `unknown ticket type ${r.ticketTypeId}` };
  for (const s of r.sessions)
    if (!(await getSession(tx, s))) return { status: 'ignored', note: `unknown session ${s}` };
  ctx.registrants.upsert(conference.id, [r], 'hq', nowIso(ctx));
  const fields = Object.fromEntries(p.fields.map((k) => [k, (r as Record<string, unknown>)[k] ?? null]));
  await mergeDeskFields(tx, r.id, fields);
  if (p.kind === 'status') await setStatusNote(tx, r.id, p.reason);
  if (p.station !== `station:${ctx.stationId}`) {
    audit(ctx, tx, {
      actor: 'hq',
      action: 'registrant.changedElsewhere',
      subject: r.id,
      details: {
        station: p.station,
        kind: p.kind,
        fields: p.fields,
        summary: `${p.kind} at ${p.station.replace('station:', '')}: ${p.fields.join(', ')}${p.reason ? ` (${p.reason})` : ''}`,
      },
    });
  }
  return { status: 'applied', note: null };
}
