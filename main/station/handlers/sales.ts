/**
 * Selling seats (DESIGN §5): preview, sell (all tiers), upgrade, release, check-in.
 * The policy is core/policy.ts; this file gathers its inputs from the store and records its outcome.
 */
import { v7 as uuidv7 } from 'uuid';
import type { MoneyView, SaleOutcome, SalePreview } from '../../../core/api';
import type { SalePolicyParams } from '../../../core/conference';
import type { Caller } from '../../../core/access';
import type { PaymentInput } from '../../../core/money';
import { decideSale, describeFailedConditions, type FailedCondition, type SaleDecision } from '../../../core/policy';
import { DomainError } from '../../../core/result';
import { entryProblems, saleProblems, sessionEnded, sessionEntryProblems } from '../../../core/validity';
import { getConference, getRegistrantRow, getSession } from '../../store/catalog';
import type { Db, Tx } from '../../store/db';
import {
  allotmentRemaining,
  allotmentWithSeat,
  availabilityView,
  getAvailability,
  getSale,
  grantEntitlement,
  hasEntitlement,
  pendingAtRisk,
  recordCheckIn,
  revokeEntitlementForSale,
  type SaleFacts,
  toSale,
  updateSale,
  useAllotmentSeat,
} from '../../store/sales';
import { getCaseBySale } from '../../store/cases';
import { dropEntitlement, getEntitlement, recordSeatRelease, ticketRules } from '../../store/registrations';
import { refreshImportedAvailability } from '../../store/catalog';
import type { SaleRecord, SessionRecord } from '../../store/schema';
import type { HqContact, Staleness } from '../../../core/staleness';
import {
  actor,
  audit,
  emit,
  inTx,
  NO_CONFERENCE,
  nowIso,
  policyOf,
  staleness,
  stalenessSince,
  type StationContext,
} from '../context';
import type { Handlers } from '../serve';
import { checkSupervisor } from './staff';
import { refundSale, requirePayment, takePayment } from './payments';
import { refuseIf, registrationRules, sessionTimes } from './validity';

export type SellRequest = {
  sessionId: string;
  registrantId: string;
  override?: { supervisorId: string; pin: string } | undefined;
  payment?: PaymentInput | undefined;
  /** What this sale costs when it is not the seat's price (a swap pays the difference), and what for. */
  charge?: MoneyView | null;
  chargeFor?: string;
};

export function salesHandlers(
  ctx: StationContext,
): Pick<Handlers, 'sale.preview' | 'sale.sell' | 'registration.upgrade' | 'sale.release' | 'checkin.record'> {
  return {
    'sale.preview': async ({ sessionId, registrantId }) => {
      const scope = await requireSellable(ctx, ctx.db, sessionId);
      if (registrantId) await requireBuyer(ctx.db, registrantId, sessionId);
      // What the ticket and the registration allow comes first: no seat numbers or override change it.
      const validity = await saleValidity(ctx, ctx.db, sessionId, registrantId ?? null);
      const decision = await decide(ctx, ctx.db, scope, false, ctx.isOnline());
      const base = {
        availability: (await availabilityView(ctx.db, sessionId))!,
        price: await seatPrice(ctx.db, sessionId),
      };
      const preview: SalePreview =
        validity.length > 0
          ? { allowed: false, tier: null, basis: decision.basis, failed: validity, ...base }
          : { ...decision, ...base };
      return preview;
    },
    'sale.sell': (req, caller) => sell(ctx, req, caller, false),
    'registration.upgrade': (req, caller) => sell(ctx, req, caller, true),

    'sale.release': async ({ saleId, reason }, caller) => {
      const sessionId = await inTx(ctx, async (tx) => {
        const by = actor(ctx, tx, caller);
        const sale = await getSale(tx, saleId);
        if (sale) return releaseSale(ctx, tx, sale.id, reason, by);
        // A seat HQ sold (a reconciliation move, a waitlist promotion) has HQ's sale id and no sale here.
        if (await entitlementOfSale(tx, saleId)) {
          throw new DomainError(
            'not_found',
            `Sale ${saleId} is HQ's (a move or a waitlist promotion), not this desk's: give the seat back with seat.release (registrant and session).`,
          );
        }
        throw new DomainError('not_found', `No sale with id "${saleId}".`);
      });
      ctx.verdicts.settle(saleId, 'cancelled'); // anyone still waiting on this sale stops waiting
      ctx.events.emit({ type: 'availability.changed', sessionIds: [sessionId] });
      return toSale((await getSale(ctx.db, saleId))!);
    },

    'checkin.record': async ({ registrantId, sessionId }, caller) =>
      inTx(ctx, async (tx) => {
        actor(ctx, tx, caller); // a session's staff member must still exist here
        const rules = await registrationRules(tx, registrantId);
        if (!rules) throw new DomainError('not_found', `No registrant with id "${registrantId}".`);
        const now = ctx.clock.now();
        if (sessionId !== null) {
          const session = await getSession(tx, sessionId);
          if (!session) throw new DomainError('not_found', `No session with id "${sessionId}".`);
          // Offline too: the ticket's days and tracks, the session's day and end, the registration's status.
          refuseIf(
            sessionEntryProblems(rules.calendar, rules.ticket, rules.standing, sessionTimes(session), now),
            'Not admitted',
          );
          if (session.sellable === 1 && !(await hasEntitlement(tx, registrantId, sessionId)))
            throw new DomainError('conflict', `No seat for "${session.title}" on this registration.`);
        } else refuseIf(entryProblems(rules.calendar, rules.ticket, rules.standing, now), 'Not admitted');
        const at = nowIso(ctx);
        const firstTime = await recordCheckIn(tx, {
          registrantId,
          sessionId,
          at,
          staffId: caller.session?.staffId ?? null,
          station: ctx.stationId,
        });
        emit(ctx, tx, 'CheckedIn', { registrantId, sessionId, at }, sessionId);
        return { registrantId, sessionId, at, firstTime };
      }),
  };
}

/** Releases this desk's sale (inside `tx`): the seat, the entitlement, SeatReleased for HQ; returns the session. */
export async function releaseSale(
  ctx: StationContext,
  tx: Tx,
  saleId: string,
  reason: string,
  by: string,
): Promise<string> {
  const sale = (await getSale(tx, saleId))!;
  if (sale.status === 'released' || sale.status === 'refused')
    throw new DomainError('conflict', `This sale is already ${sale.status}.`);
  if ((await getCaseBySale(tx, saleId))?.status === 'open') {
    throw new DomainError(
      'conflict',
      'This sale has an open oversell case: a supervisor resolves it (reverse, refuse...), which HQ and every station then apply.',
    );
  }
  const at = nowIso(ctx);
  await updateSale(tx, saleId, { status: 'released', released_at: at, release_reason: reason, at_risk: 0 });
  await revokeEntitlementForSale(tx, saleId);
  // Cancelled while waiting for HQ: the person never had the seat, so what they paid goes back at once.
  // A seat they had is refunded by a supervisor (payment.reverse), if at all.
  if (sale.proceed === 0) await refundSale(ctx, tx, saleId, `sale cancelled before the seat was handed out: ${reason}`);
  emit(
    ctx,
    tx,
    'SeatReleased',
    { saleId, sessionId: sale.session_id, registrantId: sale.registrant_id, reason },
    sale.session_id,
  );
  const title = (await getSession(tx, sale.session_id))?.title ?? sale.session_id;
  audit(ctx, tx, {
    actor: by,
    action: 'sale.release',
    subject: saleId,
    details: { reason, previousStatus: sale.status, summary: `seat in "${title}" released: ${reason}` },
  });
  // The registrant's history shows it too (the sale's own entry is keyed by the sale).
  audit(ctx, tx, {
    actor: by,
    action: 'seat.release',
    subject: sale.registrant_id,
    details: {
      sessionId: sale.session_id,
      source: 'sale',
      saleId,
      reason,
      summary: `seat in "${title}" released: ${reason}`,
    },
  });
  return sale.session_id;
}

/** What a sale is decided in: the conference, the session, and the policy settings that apply to it. */
export interface SaleScope {
  conferenceId: string;
  sessionId: string;
  params: SalePolicyParams;
}

async function requireSellable(ctx: StationContext, q: Db | Tx, sessionId: string): Promise<SaleScope> {
  const conference = await getConference(q);
  return scopeOf(ctx, conference ?? null, (await getSession(q, sessionId)) ?? null, sessionId);
}

/** The sale's scope from the conference and session rows, or why nothing may be sold there. */
function scopeOf(
  ctx: StationContext,
  conference: { id: string; policy_json: string | null } | null,
  s: SessionRecord | null,
  sessionId: string,
): SaleScope {
  if (!conference) throw new DomainError('not_found', NO_CONFERENCE);
  if (!s) throw new DomainError('not_found', `No session with id "${sessionId}".`);
  if (s.sellable !== 1)
    throw new DomainError('conflict', `"${s.title}" is included in every ticket and is not sold at the desk.`);
  return { conferenceId: conference.id, sessionId, params: paramsOf(ctx, conference.policy_json, s.policy_json) };
}

/**
 * The policy settings for a session, remembered by their sources' text: validating the merged settings took ~10 µs
 * of every sale (sale.commit benchmark). The station's overrides are part of the key, as a supervisor may change
 * them at any time; the result is frozen, since it is shared.
 */
const paramsSeen = new Map<string, SalePolicyParams>();
function paramsOf(ctx: StationContext, conferenceJson: string | null, sessionJson: string | null): SalePolicyParams {
  const key = JSON.stringify([conferenceJson, sessionJson, ctx.policyOverrides]);
  let params = paramsSeen.get(key);
  if (!params) {
    const policy = conferenceJson ? (JSON.parse(conferenceJson) as Partial<SalePolicyParams>) : {};
    params = Object.freeze(policyOf(policy, sessionJson, ctx.policyOverrides));
    if (paramsSeen.size >= 64) paramsSeen.clear();
    paramsSeen.set(key, params);
  }
  return params;
}

/** What a seat in the session costs (null: free). */
export async function seatPrice(q: Db | Tx, sessionId: string): Promise<MoneyView | null> {
  return priceOf((await getSession(q, sessionId)) ?? null, (await getConference(q))?.currency ?? null);
}

const priceOf = (s: { price: number | null } | null, currency: string | null): MoneyView | null =>
  s && s.price !== null && s.price > 0 && currency ? { amount: s.price, currency } : null;

/** Why this registration may not buy a seat in the session (the session alone: whether it has ended). */
export async function saleValidity(
  ctx: StationContext,
  q: Db | Tx,
  sessionId: string,
  registrantId: string | null,
): Promise<FailedCondition[]> {
  const s = (await getSession(q, sessionId))!;
  const now = ctx.clock.now();
  if (registrantId === null) {
    const c = (await getConference(q))!;
    const ended = sessionEnded(
      { startsOn: c.starts_on, endsOn: c.ends_on, timezone: c.timezone },
      sessionTimes(s),
      now,
    );
    return ended ? [ended] : [];
  }
  const rules = (await registrationRules(q, registrantId))!;
  return saleProblems(rules.calendar, rules.ticket, rules.standing, sessionTimes(s), now);
}

async function requireBuyer(q: Db | Tx, registrantId: string, sessionId: string) {
  const r = await getRegistrantRow(q, registrantId);
  buyerMayBuy(r, registrantId, r !== undefined && (await hasEntitlement(q, registrantId, sessionId)));
}

function buyerMayBuy(
  r: { first_name: string; last_name: string } | undefined,
  registrantId: string,
  hasSeat: boolean,
): asserts r {
  if (!r) throw new DomainError('not_found', `No registrant with id "${registrantId}".`);
  if (hasSeat)
    throw new DomainError('conflict', `${`${r.first_name} ${r.last_name}`.trim()} already has a seat in this session.`);
}

/** The sale policy for a session as this station sees it now (also used for a reconciliation move). */
export async function decide(
  ctx: StationContext,
  q: Db | Tx,
  scope: SaleScope,
  override: boolean,
  online: boolean,
): Promise<SaleDecision> {
  const availability = (await getAvailability(q, scope.sessionId)) ?? null;
  return decideOn(
    {
      availability,
      allotmentRemaining: await allotmentRemaining(q, scope.sessionId),
      pendingAtRisk: await pendingAtRisk(q, scope.sessionId),
      staleness: await staleness(ctx, q),
    },
    scope,
    override,
    online,
  );
}

/** The policy's inputs gathered (by `decide`, or from the sale's one query), decided. */
function decideOn(
  f: Pick<SaleFacts, 'availability' | 'allotmentRemaining' | 'pendingAtRisk'> & { staleness: Staleness },
  { sessionId, params }: SaleScope,
  override: boolean,
  online: boolean,
): SaleDecision {
  const a = f.availability;
  if (!a) throw new DomainError('not_found', `No seat numbers for session "${sessionId}".`);
  return decideSale({
    online,
    capacity: a.capacity,
    sold: a.sold,
    allotted: a.allotted,
    salesRatePerMin: a.sales_rate,
    allotmentRemaining: f.allotmentRemaining,
    staleness: f.staleness,
    pendingOverdraft: f.pendingAtRisk,
    override,
    params,
  });
}

export async function sell(
  ctx: StationContext,
  req: SellRequest,
  caller: Caller,
  upgrade: boolean,
): Promise<SaleOutcome> {
  const outcome = await sellAndWait(ctx, req, caller, upgrade);
  ctx.events.emit({ type: 'availability.changed', sessionIds: [req.sessionId] });
  return outcome;
}

async function sellAndWait(
  ctx: StationContext,
  req: SellRequest,
  caller: Caller,
  upgrade: boolean,
): Promise<SaleOutcome> {
  // The PIN is checked before the sale's transaction: scrypt is slow and a wrong PIN must not hold the database.
  const supervisor = req.override ? await checkSupervisor(ctx, req.override) : null;
  const online = ctx.isOnline();
  const recorded = await inTx(ctx, async (tx) => {
    const by = actor(ctx, tx, caller);
    // What the policy needs for the session, and the buyer: two prepared reads (sale.commit benchmark).
    const facts = ctx.sales.facts(req.sessionId);
    const scope = scopeOf(ctx, facts.conference, facts.session, req.sessionId);
    const session = facts.session!;
    const conference = facts.conference!;
    const buyer = ctx.sales.buyer(req.registrantId, req.sessionId); // by id or by a code for them
    buyerMayBuy(buyer, req.registrantId, buyer?.has_seat === 1);
    const registrantId = buyer.id;
    refuseIf(
      saleProblems(
        { startsOn: conference.starts_on, endsOn: conference.ends_on, timezone: conference.timezone },
        ticketRules(buyer.ticket_name ?? '', buyer.days_json, buyer.tracks_json),
        { status: buyer.status, note: buyer.status_note },
        sessionTimes(session),
        ctx.clock.now(),
      ),
      'Sale refused',
    );
    const price = req.charge !== undefined ? req.charge : priceOf(session, conference.currency);
    requirePayment(price, req.payment, req.chargeFor ?? `A seat in "${session.title}"`);
    const contact = facts.hqContact === null ? null : (JSON.parse(facts.hqContact) as HqContact);
    const d = decideOn({ ...facts, staleness: stalenessSince(ctx, contact) }, scope, supervisor !== null, online);
    if (!d.allowed) {
      throw new DomainError('refused', `Sale refused: ${describeFailedConditions(d.failed)}.`, {
        failed: d.failed,
        basis: d.basis,
      });
    }
    const at = nowIso(ctx);
    const saleId = uuidv7();
    let allotmentId: string | null = null;
    if (d.tier === 'allotment') {
      allotmentId = facts.allotmentWithSeat!;
      ctx.sales.useAllotmentSeat(allotmentId);
    }
    // Online: HQ decides before the person gets the seat. Otherwise the desk decides now.
    const proceed = d.tier !== 'online';
    const atRisk = d.tier === 'overdraft' || d.tier === 'override';
    const written = ctx.sales.insertSale({
      id: saleId,
      sessionId: req.sessionId,
      registrantId,
      tier: d.tier,
      status: 'pending',
      atRisk,
      proceed,
      allotmentId,
      basis: d.basis,
      staffId: caller.session?.staffId ?? null,
      at,
    });
    if (proceed) ctx.sales.grantEntitlement(registrantId, req.sessionId, saleId, at);
    const origin = { stationId: ctx.stationId, conferenceId: scope.conferenceId, at };
    takePayment(
      ctx,
      tx,
      {
        registrantId,
        saleId,
        purpose: 'seat',
        description: req.chargeFor ?? session.title,
        charge: price,
        payment: req.payment,
        staffId: caller.session?.staffId ?? null,
        actor: by,
      },
      origin,
    );
    emit(
      ctx,
      tx,
      'SeatSold',
      { saleId, sessionId: req.sessionId, registrantId, tier: d.tier, allotmentId, basis: d.basis },
      req.sessionId,
      origin,
    );
    if (upgrade)
      emit(ctx, tx, 'RegistrationUpgraded', { registrantId, sessionId: req.sessionId, saleId }, req.sessionId, origin);
    audit(ctx, tx, {
      actor: supervisor?.id ?? by,
      action: d.tier === 'override' ? 'sale.override' : upgrade ? 'registration.upgrade' : 'sale.sell',
      subject: saleId,
      details: {
        sessionId: req.sessionId,
        registrantId,
        tier: d.tier,
        failed: d.failed.map((f) => f.code),
        ...(supervisor ? { staff: by } : {}),
      },
    });
    return { saleId, tier: d.tier, failed: d.failed, scope, written };
  });

  const saleNow = async () => toSale((await getSale(ctx.db, recorded.saleId))!);
  if (recorded.tier !== 'online') {
    const sale = toSale(recorded.written); // as this command wrote it
    const how = {
      allotment: 'from this desk’s allotment (no risk)',
      overdraft: 'offline, within the overdraft limit (at risk until HQ confirms)',
      override: 'by supervisor override (at risk until HQ confirms)',
    }[recorded.tier];
    return { outcome: 'proceed', why: recorded.tier, sale, failed: recorded.failed, message: `Seat sold ${how}.` };
  }

  const verdict = await ctx.verdicts.wait(recorded.saleId, recorded.scope.params.verdictTimeoutMs);
  if (verdict === 'confirmed')
    return {
      outcome: 'confirmed',
      why: 'hq_confirmed',
      sale: await saleNow(),
      failed: [],
      message: 'Seat confirmed by HQ.',
    };
  if (verdict === 'oversold') {
    return {
      outcome: 'refused',
      why: 'oversold',
      sale: await saleNow(),
      failed: [],
      message: 'HQ says the session is full: the seat was not there. Nothing was sold.',
    };
  }
  if (verdict === 'cancelled')
    return {
      outcome: 'refused',
      why: 'cancelled',
      sale: await saleNow(),
      failed: [],
      message: 'The sale was cancelled while waiting for HQ.',
    };
  return fallBackOffline(ctx, recorded.saleId, recorded.scope, caller);
}

/**
 * No verdict in time: decide for the person in front of the desk as if offline. Covered by an allotment seat or
 * by the overdraft rule → proceed; otherwise staff may wait for the verdict or cancel the sale.
 */
async function fallBackOffline(
  ctx: StationContext,
  saleId: string,
  scope: SaleScope,
  caller: Caller,
): Promise<SaleOutcome> {
  return inTx(ctx, async (tx) => {
    const by = actor(ctx, tx, caller);
    const sale = await getSale(tx, saleId);
    if (!sale || sale.status !== 'pending') {
      // The verdict arrived between the timeout and this transaction.
      const s = toSale(sale!);
      const confirmed = s.status === 'confirmed';
      return {
        outcome: confirmed ? 'confirmed' : 'refused',
        why: confirmed ? 'hq_confirmed' : s.status === 'oversold' || s.status === 'refused' ? 'oversold' : 'cancelled',
        sale: s,
        failed: [],
        message: `HQ answered: ${s.status}.`,
      } satisfies SaleOutcome;
    }
    const d = await decide(ctx, tx, scope, false, false);
    if (!d.allowed) {
      return {
        outcome: 'awaiting',
        why: 'no_verdict_not_covered',
        sale: toSale(sale),
        failed: d.failed,
        message: `No answer from HQ yet, and the desk may not sell on its own: ${describeFailedConditions(d.failed)}. Wait for HQ or cancel the sale.`,
      } satisfies SaleOutcome;
    }
    await proceedWithoutVerdict(ctx, tx, sale, d.tier === 'allotment', by);
    const fromAllotment = d.tier === 'allotment';
    return {
      outcome: 'proceed',
      why: fromAllotment ? 'no_verdict_allotment' : 'no_verdict_overdraft',
      sale: toSale((await getSale(tx, saleId))!),
      failed: [],
      message: fromAllotment
        ? 'No answer from HQ in time; sold from this desk’s allotment.'
        : 'No answer from HQ in time; sold within the overdraft limit (at risk until HQ answers).',
    } satisfies SaleOutcome;
  });
}

async function proceedWithoutVerdict(
  ctx: StationContext,
  tx: Tx,
  sale: SaleRecord,
  fromAllotment: boolean,
  by: string,
): Promise<void> {
  let atRisk = 1;
  if (fromAllotment) {
    // HQ counts a station's own unused allotment seat against a sale it cannot otherwise confirm (DESIGN §7),
    // so using one here keeps both sides' numbers in step.
    const a = await allotmentWithSeat(tx, sale.session_id);
    if (a) {
      await useAllotmentSeat(tx, a.id);
      atRisk = 0;
    }
  }
  await updateSale(tx, sale.id, { proceed: 1, at_risk: atRisk });
  await grantEntitlement(tx, sale.registrant_id, sale.session_id, sale.id, nowIso(ctx));
  audit(ctx, tx, {
    actor: by,
    action: 'sale.proceedWithoutVerdict',
    subject: sale.id,
    details: { fromAllotment },
  });
}

/**
 * Gives one seat back, whatever it came from: this desk's sale (released as `sale.release` does), a seat HQ created
 * (a move or a waitlist promotion: HQ frees its sale), or one from the import (HQ frees it; a later import of the
 * file does not bring it back). Returns the session whose numbers changed.
 */
async function entitlementOfSale(q: Db | Tx, saleId: string) {
  return q.selectFrom('entitlement').selectAll().where('sale_id', '=', saleId).executeTakeFirst();
}

export async function releaseSeat(
  ctx: StationContext,
  tx: Tx,
  r: { registrantId: string; sessionId: string; reason: string; by: string },
): Promise<string> {
  const e = await getEntitlement(tx, r.registrantId, r.sessionId);
  if (!e) {
    const s = await getSession(tx, r.sessionId);
    throw new DomainError(
      'not_found',
      s ? `This registration has no seat in "${s.title}".` : `No session with id "${r.sessionId}".`,
    );
  }
  const title = (await getSession(tx, r.sessionId))!.title;
  const own = e.sale_id ? await getSale(tx, e.sale_id) : undefined;
  if (own) {
    await releaseSale(ctx, tx, own.id, r.reason, r.by);
    return r.sessionId;
  }
  const source = e.source === 'import' ? 'import' : 'hq';
  await dropEntitlement(tx, r.registrantId, r.sessionId);
  if (source === 'import')
    await recordSeatRelease(tx, {
      registrantId: r.registrantId,
      sessionId: r.sessionId,
      reason: r.reason,
      at: nowIso(ctx),
    });
  emit(
    ctx,
    tx,
    'SeatReturned',
    {
      registrantId: r.registrantId,
      sessionId: r.sessionId,
      saleId: source === 'hq' ? e.sale_id : null,
      source,
      reason: r.reason.slice(0, 500),
    },
    r.sessionId,
  );
  await refreshImportedAvailability(tx);
  audit(ctx, tx, {
    actor: r.by,
    action: 'seat.release',
    subject: r.registrantId,
    details: {
      sessionId: r.sessionId,
      source,
      saleId: e.sale_id,
      reason: r.reason,
      summary: `seat in "${title}" given back (${source === 'import' ? 'imported seat' : 'seat from HQ'}): ${r.reason}`,
    },
  });
  return r.sessionId;
}
