/**
 * Applying HQ's reconciliation messages (DESIGN §8) on every station: cases opened, escalated and resolved, HQ's
 * answers to this station's requests, waitlist promotions and badge revocations. A resolution's effects (seat
 * released, badge voided, registrant flagged for contact, extra chair...) are applied here and only here, when
 * HQ's decision arrives, on the resolving station as on every other (hq/README.md, "Reconciliation", says why).
 */
import type { StationEvent } from '../../../core/events';
import type { StaffNotification } from '../../../core/api';
import type { Envelope, Payload } from '../../../core/messages';
import { getConference, getRegistrantRow, getSession } from '../../store/catalog';
import {
  addWaitlistEntry,
  answerRequest,
  caseView,
  contactPromoted,
  flagForContact,
  getCaseBySale,
  markCaseEscalated,
  pendingRequests,
  promoteWaitlistEntry,
  recordRevocation,
  resolveCaseRow,
  upsertOpenedCase,
  validBadgeVersions,
} from '../../store/cases';
import type { Tx } from '../../store/db';
import { voidBadge } from '../../store/printing';
import { getSale, grantEntitlement, hasEntitlement, revokeEntitlementForSale, updateSale } from '../../store/sales';
import { audit, emit, nowIso, type StationContext } from '../context';
import type { Applied } from './feed-applied';

export type ReconciliationMessage =
  | 'OversellCaseOpened'
  | 'OversellCaseEscalated'
  | 'OversellCaseResolved'
  | 'OversellResolutionRejected'
  | 'WaitlistPromoted'
  | 'BadgeRevoked';

const actionWords: Record<Payload<'OversellCaseResolved'>['resolution'], string> = {
  honor: 'honored (an extra chair)',
  reverse: 'reversed (seat released, badge revoked, contact and refund)',
  move: 'moved to another session',
  waitlist: 'put on the waitlist',
  refuse: 'refused at the desk',
};
const deadlineWords = {
  honor: 'honor it (an extra chair)',
  waitlist: 'put the person on the waitlist',
  reverse: 'reverse it',
} as const;

export async function applyReconciliation(
  ctx: StationContext,
  tx: Tx,
  env: Envelope<ReconciliationMessage>,
): Promise<Applied> {
  switch (env.type) {
    case 'OversellCaseOpened':
      return caseOpened(ctx, tx, env.payload, env.at);
    case 'OversellCaseEscalated':
      return caseEscalated(ctx, tx, env.payload);
    case 'OversellCaseResolved':
      return caseResolved(ctx, tx, env.payload, env.at);
    case 'OversellResolutionRejected':
      return requestRejected(ctx, tx, env.payload);
    case 'WaitlistPromoted':
      return waitlistPromoted(ctx, tx, env.payload, env.at);
    case 'BadgeRevoked': {
      const p = env.payload;
      const reason = p.reason ?? 'revoked by HQ';
      const fresh = await recordRevocation(tx, {
        registrantId: p.registrantId,
        version: p.badgeVersion,
        reason,
        at: nowIso(ctx),
      });
      // This station's own copy of that version (if it printed it) is voided too, so its next print is a new version.
      await voidBadge(tx, p.registrantId, p.badgeVersion, reason, nowIso(ctx));
      return fresh ? { status: 'applied', note: null } : { status: 'ignored', note: 'revocation already known' };
    }
  }
}

async function caseOpened(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'OversellCaseOpened'>,
  openedAt: string,
): Promise<Applied> {
  if ((await upsertOpenedCase(tx, p, openedAt)) === 'updated')
    return { status: 'applied', note: 'case already known; details updated' };
  audit(ctx, tx, {
    actor: 'hq',
    action: 'case.opened',
    subject: p.caseId,
    details: {
      saleId: p.saleId,
      sessionId: p.sessionId,
      station: p.station,
      overBy: p.overBy,
      dueAt: p.dueAt,
      defaultAction: p.defaultAction,
    },
  });
  const view = caseView((await getCaseBySale(tx, p.saleId))!, undefined, me(ctx), ctx.clock.now());
  const w = await words(tx, p.registrantId, p.sessionId);
  const soldHere = p.station === me(ctx);
  // Supervisors are alerted when someone holds the seat. An online sale HQ found oversold is nearly always refused
  // on the spot by its desk (the person never got the seat; HQ closes the case a moment later), so the other desks
  // only list it; if that desk had already let the person go (no verdict in time), the case is escalated before
  // its deadline like any other. The selling desk knows: it alerts when it let the person go.
  const sale = soldHere ? await getSale(tx, p.saleId) : undefined;
  const holdsSeat = soldHere ? sale?.proceed === 1 : p.tier !== 'online';
  if (!holdsSeat)
    return {
      status: 'applied',
      note: 'oversell case opened',
      after: () => ctx.events.emit(caseOpenedEvent(view, p.overBy)),
    };
  const n = notice(ctx, {
    kind: 'case.opened',
    audience: 'supervisors',
    title: `Oversold: ${w.session}`,
    message: `${w.person}’s seat (sold ${soldHere ? 'at this desk' : `at ${deskName(p.station)}`}, over by ${p.overBy}) needs a supervisor by ${await venueTime(tx, p.dueAt)}; otherwise HQ will ${deadlineWords[p.defaultAction]}.`,
    // For screens that word it in their own language (renderer/i18n).
    params: {
      person: w.person,
      session: w.session,
      station: soldHere ? null : deskName(p.station),
      overBy: p.overBy,
      due: await venueTime(tx, p.dueAt),
      deadline: p.defaultAction,
    },
    caseId: p.caseId,
    sessionId: p.sessionId,
    registrantId: p.registrantId,
  });
  return {
    status: 'applied',
    note: 'oversell case opened',
    after: () => (ctx.events.emit(caseOpenedEvent(view, p.overBy)), ctx.events.emit(n)),
  };
}

async function caseEscalated(ctx: StationContext, tx: Tx, p: Payload<'OversellCaseEscalated'>): Promise<Applied> {
  const c = await getCaseBySale(tx, p.saleId);
  if (!c) return { status: 'ignored', note: 'unknown case' };
  if (!(await markCaseEscalated(tx, p.saleId, nowIso(ctx))))
    return { status: 'ignored', note: 'case closed or already escalated' };
  const w = await words(tx, c.registrant_id, c.session_id);
  const n = notice(ctx, {
    kind: 'case.escalated',
    audience: 'supervisors',
    title: `Due soon: ${w.session}`,
    message: `${w.person}’s oversold seat is due at ${await venueTime(tx, p.dueAt)}. If nobody resolves it, HQ will ${deadlineWords[p.defaultAction]}.`,
    params: { person: w.person, session: w.session, due: await venueTime(tx, p.dueAt), deadline: p.defaultAction },
    caseId: c.id,
    sessionId: c.session_id,
    registrantId: c.registrant_id,
  });
  return { status: 'applied', note: null, after: () => ctx.events.emit(n) };
}

async function caseResolved(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'OversellCaseResolved'>,
  resolvedAt: string,
): Promise<Applied> {
  const pending = await pendingRequests(tx, p.saleId);
  if (!(await resolveCaseRow(tx, p, resolvedAt))) return { status: 'ignored', note: 'case already resolved' };
  const at = nowIso(ctx);
  const w = await words(tx, p.registrantId, p.sessionId);
  const why = `oversold seat: ${p.resolution}`;

  if (p.resolution !== 'honor') {
    // The seat goes: on the desk that sold it the sale ends; everywhere the seat and (but for a refusal, where no
    // badge printed) every badge this station printed for the person stop working.
    const sale = await getSale(tx, p.saleId);
    if (sale && sale.status !== 'released' && sale.status !== 'refused') {
      await updateSale(tx, sale.id, {
        status: p.resolution === 'refuse' ? 'refused' : 'released',
        released_at: at,
        release_reason: why,
        at_risk: 0,
      });
    }
    await revokeEntitlementForSale(tx, p.saleId);
    if (p.resolution !== 'refuse') {
      for (const v of await validBadgeVersions(tx, p.registrantId)) {
        await voidBadge(tx, p.registrantId, v, why, at);
        emit(ctx, tx, 'BadgeVoided', { registrantId: p.registrantId, badgeVersion: v, reason: why });
      }
    }
  }
  const o = p.outcome;
  const known = (await getRegistrantRow(tx, p.registrantId)) !== undefined;
  if (
    p.resolution === 'move' &&
    o.moveToSessionId &&
    o.moveSaleId &&
    known &&
    (await getSession(tx, o.moveToSessionId)) &&
    !(await hasEntitlement(tx, p.registrantId, o.moveToSessionId))
  ) {
    await grantEntitlement(tx, p.registrantId, o.moveToSessionId, o.moveSaleId, at);
  }
  if (p.resolution === 'waitlist' && o.waitlistEntryId) {
    await addWaitlistEntry(tx, {
      id: o.waitlistEntryId,
      sessionId: p.sessionId,
      registrantId: p.registrantId,
      station: p.station,
      caseId: p.caseId,
      position: o.waitlistPosition,
      at: resolvedAt,
    });
  }
  const contact = {
    reverse: { refund: true, reason: 'seat reversed: apologise and refund' },
    waitlist: {
      refund: true,
      reason: `on the waitlist (place ${o.waitlistPosition ?? '?'}): refund unless a seat frees`,
    },
    move: {
      refund: false,
      reason: `moved to ${o.moveToSessionId ? ((await getSession(tx, o.moveToSessionId))?.title ?? o.moveToSessionId) : 'another session'}: tell them`,
    },
  } as const;
  if (p.resolution in contact) {
    const c = contact[p.resolution as keyof typeof contact];
    await flagForContact(tx, {
      caseId: p.caseId,
      registrantId: p.registrantId,
      sessionId: p.sessionId,
      action: p.resolution,
      refund: c.refund,
      reason: c.reason,
      at,
    });
  }

  // This station's own requests: the one HQ applied won, any other lost (nothing was applied for it, so nothing to undo).
  const answers: Notice[] = [];
  const how = `${actionWords[p.resolution]} ${p.decidedBy === 'deadline' ? 'by HQ at the deadline' : p.by === me(ctx) ? 'from this desk' : `from ${deskName(p.by)}`}`;
  let won = false;
  for (const r of pending) {
    const mine = r.id === p.resolutionId;
    won ||= mine;
    await answerRequest(tx, r.id, mine ? 'won' : 'lost', mine ? 'applied by HQ' : `another resolution won: ${how}`, at);
    if (!mine) {
      answers.push(
        notice(ctx, {
          kind: 'resolution.lost',
          audience: 'desk',
          title: `Your ${r.action} was not applied: ${w.session}`,
          message: `${w.person}’s case was already ${how}. Nothing of your ${r.action} was applied.`,
          params: {
            person: w.person,
            session: w.session,
            action: r.action,
            resolution: p.resolution,
            by: p.decidedBy === 'deadline' ? 'deadline' : p.by === me(ctx) ? 'here' : deskName(p.by),
          },
          caseId: p.caseId,
          sessionId: p.sessionId,
          registrantId: p.registrantId,
          resolutionId: r.id,
        }),
      );
    }
  }
  audit(ctx, tx, {
    actor: 'hq',
    action: 'case.resolved',
    subject: p.caseId,
    details: {
      saleId: p.saleId,
      resolution: p.resolution,
      by: p.by,
      decidedBy: p.decidedBy,
      supervisorId: p.supervisorId,
      note: p.note,
      outcome: o,
      requestWon: won,
    },
  });
  // A case closed because its desk released the seat (most often an online sale refused on the spot) needs nobody.
  const notes = [
    ...(p.decidedBy === 'release'
      ? []
      : [
          notice(ctx, {
            kind: 'case.resolved',
            audience: won ? 'desk' : 'supervisors',
            title: `Case resolved: ${w.session}`,
            message: `${w.person}’s oversold seat was ${how}${p.note ? ` — “${p.note}”` : ''}.`,
            caseId: p.caseId,
            sessionId: p.sessionId,
            registrantId: p.registrantId,
            resolutionId: won ? p.resolutionId : null,
          }),
        ]),
    ...answers,
  ];
  if (p.resolution === 'honor') {
    notes.push(
      notice(ctx, {
        kind: 'extra.chair',
        audience: 'room',
        title: `Extra chair: ${w.session}`,
        message: `Put one more chair in ${w.room || 'the room'} for ${w.session} (capacity now ${o.capacity ?? '?'}): ${w.person} keeps the seat.`,
        caseId: p.caseId,
        sessionId: p.sessionId,
        registrantId: p.registrantId,
      }),
    );
  }
  return { status: 'applied', note: `${p.resolution} applied`, after: () => notes.forEach((n) => ctx.events.emit(n)) };
}

async function requestRejected(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'OversellResolutionRejected'>,
): Promise<Applied> {
  if (p.station !== me(ctx)) return { status: 'ignored', note: 'another station’s request' };
  if (!(await answerRequest(tx, p.resolutionId, p.outcome, p.reason, nowIso(ctx))))
    return { status: 'ignored', note: 'request unknown or already answered' };
  audit(ctx, tx, {
    actor: 'hq',
    action: `case.request.${p.outcome}`,
    subject: p.caseId,
    details: { resolutionId: p.resolutionId, resolution: p.resolution, reason: p.reason, resolvedAs: p.resolvedAs },
  });
  const c = await getCaseBySale(tx, p.saleId);
  const w = c
    ? await words(tx, c.registrant_id, c.session_id)
    : { person: 'The registrant', session: 'a session', room: '' };
  const n = notice(ctx, {
    kind: p.outcome === 'lost' ? 'resolution.lost' : 'resolution.refused',
    audience: 'desk',
    title: `Your ${p.resolution} was not applied: ${w.session}`,
    message:
      p.outcome === 'lost'
        ? `${w.person}’s case: ${p.reason}. Nothing of your ${p.resolution} was applied.`
        : `HQ refused it: ${p.reason} The case is still open.`,
    params: { person: w.person, session: w.session, action: p.resolution, reason: p.reason },
    caseId: p.caseId,
    sessionId: c?.session_id ?? null,
    registrantId: c?.registrant_id ?? null,
    resolutionId: p.resolutionId,
  });
  return { status: 'applied', note: null, after: () => ctx.events.emit(n) };
}

async function waitlistPromoted(
  ctx: StationContext,
  tx: Tx,
  p: Payload<'WaitlistPromoted'>,
  at: string,
): Promise<Applied> {
  if (!(await promoteWaitlistEntry(tx, p, at))) return { status: 'ignored', note: 'promotion already known' };
  const now = nowIso(ctx);
  const session = await getSession(tx, p.sessionId);
  if (
    session &&
    (await getRegistrantRow(tx, p.registrantId)) &&
    !(await hasEntitlement(tx, p.registrantId, p.sessionId))
  ) {
    await grantEntitlement(tx, p.registrantId, p.sessionId, p.saleId, now);
  }
  if (p.caseId)
    await contactPromoted(
      tx,
      p.caseId,
      `promoted from the waitlist to ${session?.title ?? p.sessionId}: tell them they have the seat; no refund`,
      now,
    );
  audit(ctx, tx, {
    actor: 'hq',
    action: 'waitlist.promoted',
    subject: p.entryId,
    details: { sessionId: p.sessionId, registrantId: p.registrantId, saleId: p.saleId, station: p.station },
  });
  const w = await words(tx, p.registrantId, p.sessionId);
  const forThisDesk = p.station === me(ctx);
  const n = notice(ctx, {
    kind: 'waitlist.promoted',
    audience: forThisDesk ? 'desk' : 'everyone',
    title: `Seat freed: ${w.session}`,
    message: `${w.person} came off the waitlist and now has a seat in ${w.session}.${forThisDesk ? ' This desk registered them: let them know (a new badge prints with the seat).' : ` ${deskName(p.station)} will let them know.`}`,
    caseId: p.caseId,
    sessionId: p.sessionId,
    registrantId: p.registrantId,
  });
  return { status: 'applied', note: null, after: () => ctx.events.emit(n) };
}

// ---- words for people ---------------------------------------------------------------------------------------------

const me = (ctx: StationContext) => `station:${ctx.stationId}`;
const deskName = (origin: string) => (origin === 'hq' ? 'HQ' : origin.replace(/^station:/, ''));

type Notice = { type: 'notification' } & StaffNotification;

function notice(
  ctx: StationContext,
  n: Omit<StaffNotification, 'at' | 'resolutionId'> & { resolutionId?: string | null },
): Notice {
  return { type: 'notification', ...n, resolutionId: n.resolutionId ?? null, at: nowIso(ctx) };
}

async function words(
  tx: Tx,
  registrantId: string,
  sessionId: string,
): Promise<{ person: string; session: string; room: string }> {
  const r = await getRegistrantRow(tx, registrantId);
  const s = await getSession(tx, sessionId);
  return {
    person: r ? `${r.first_name} ${r.last_name}`.trim() : `Registrant ${registrantId}`,
    session: s?.title ?? sessionId,
    room: s?.room ?? '',
  };
}

/** A time as the venue's clock shows it (the conference's timezone). */
async function venueTime(tx: Tx, iso: string): Promise<string> {
  const tz = (await getConference(tx))?.timezone ?? 'UTC';
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

/** The screens hear that a case opened (ids to refetch; the case itself comes from `cases.list`). */
function caseOpenedEvent(
  c: { id: string; saleId: string; sessionId: string; registrantId: string },
  overBy: number,
): StationEvent {
  return {
    type: 'case.opened',
    caseId: c.id,
    saleId: c.saleId,
    sessionId: c.sessionId,
    registrantId: c.registrantId,
    overBy,
  };
}
