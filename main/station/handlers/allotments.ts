/**
 * Seats in hand (DESIGN §5, tier 2): asking HQ for an allotment and giving unused seats back. HQ's answer to a
 * request arrives on the feed (AllotmentGranted, applied in handlers/feed.ts); a return closes the allotment here at
 * once and tells HQ how many seats were left, in the same transaction.
 */
import { v7 as uuidv7 } from 'uuid';
import { allotmentTarget, ownRateTauMin, planningOutageMin, salesRate } from '../../../core/allotment-sizing';
import type { AllotmentPlan } from '../../../core/api';
import { DomainError } from '../../../core/result';
import { getSession, listSessions } from '../../store/catalog';
import type { Tx } from '../../store/db';
import { activeAllotments, allotmentWithSeat, closeAllotment, getAvailability, recentSales } from '../../store/sales';
import {
  actor,
  audit,
  emit,
  inTx,
  nowIso,
  outageHistory,
  policyOf,
  requireConference,
  type StationContext,
} from '../context';
import type { Handlers } from '../serve';

/** Closes an allotment here and tells HQ how many seats were left (AllotmentReturned), in `tx`. Null if not active. */
export async function giveBack(
  ctx: StationContext,
  tx: Tx,
  allotmentId: string,
  actor: string,
): Promise<{ allotmentId: string; sessionId: string; seats: number } | null> {
  const closed = await closeAllotment(tx, allotmentId, 'returned', nowIso(ctx));
  if (!closed) return null;
  emit(
    ctx,
    tx,
    'AllotmentReturned',
    { allotmentId, sessionId: closed.sessionId, seats: closed.unused },
    closed.sessionId,
  );
  audit(ctx, tx, {
    actor,
    action: 'allotment.return',
    subject: allotmentId,
    details: { sessionId: closed.sessionId, seats: closed.unused },
  });
  return { allotmentId, sessionId: closed.sessionId, seats: closed.unused };
}

export function allotmentHandlers(
  ctx: StationContext,
): Pick<Handlers, 'allotment.request' | 'allotment.return' | 'allotment.plan'> {
  return {
    'allotment.request': async ({ sessionId, seats }, caller) =>
      inTx(ctx, async (tx) => {
        const s = await getSession(tx, sessionId);
        if (!s) throw new DomainError('not_found', `No session with id "${sessionId}".`);
        if (s.sellable !== 1)
          throw new DomainError('conflict', `"${s.title}" is not sold at the desk; it needs no allotment.`);
        const requestId = uuidv7();
        emit(ctx, tx, 'AllotmentRequested', { requestId, sessionId, seats }, sessionId);
        audit(ctx, tx, {
          actor: actor(ctx, tx, caller),
          action: 'allotment.request',
          subject: requestId,
          details: { sessionId, seats },
        });
        return { requestId, sessionId, seats };
      }),

    'allotment.return': async ({ allotmentId, sessionId }, caller) =>
      inTx(ctx, async (tx) => {
        if (allotmentId !== undefined) {
          const r = await giveBack(ctx, tx, allotmentId, actor(ctx, tx, caller));
          if (!r) throw new DomainError('not_found', `No active allotment with id "${allotmentId}".`);
          return { returned: [r] };
        }
        if (!(await getSession(tx, sessionId!)))
          throw new DomainError('not_found', `No session with id "${sessionId!}".`);
        const returned: { allotmentId: string; sessionId: string; seats: number }[] = [];
        // Bounded: each pass closes the allotment it found.
        for (let a = await allotmentWithSeat(tx, sessionId!); a; a = await allotmentWithSeat(tx, sessionId!)) {
          const r = await giveBack(ctx, tx, a.id, actor(ctx, tx, caller));
          if (!r) break;
          returned.push(r);
        }
        return { returned };
      }),

    'allotment.plan': async ({ returnBeforeStartMin }) => {
      const conference = await requireConference(ctx.db);
      const now = ctx.clock.now();
      const history = await outageHistory(ctx.db);
      // Sales older than five time constants weigh less than 1% each: not worth reading.
      const ages = new Map<string, number[]>();
      for (const r of await recentSales(ctx.db, new Date(now - 5 * ownRateTauMin * 60_000).toISOString())) {
        const list = ages.get(r.session_id) ?? [];
        list.push((now - Date.parse(r.created_at)) / 60_000);
        ages.set(r.session_id, list);
      }
      const held = new Map<string, { allotmentId: string; unused: number }[]>();
      for (const a of await activeAllotments(ctx.db)) {
        const list = held.get(a.session_id) ?? [];
        list.push({ allotmentId: a.id, unused: a.unused });
        held.set(a.session_id, list);
      }
      const plans: AllotmentPlan[] = [];
      for (const s of await listSessions(ctx.db)) {
        if (s.sellable !== 1) continue;
        const params = policyOf(conference.policy, s.policy_json);
        const ownSalesRatePerMin = salesRate(ages.get(s.id) ?? [], ownRateTauMin);
        const outage = planningOutageMin(history, params);
        const minutesToReturn = (Date.parse(s.starts_at) - now) / 60_000 - returnBeforeStartMin;
        const allotments = held.get(s.id) ?? [];
        const a = await getAvailability(ctx.db, s.id);
        plans.push({
          sessionId: s.id,
          startsAt: s.starts_at,
          held: allotments.reduce((n, x) => n + x.unused, 0),
          allotments,
          ownSalesRatePerMin,
          planningOutageMin: outage,
          outagesSeen: history.count,
          minutesToReturn,
          target: allotmentTarget({ ownRatePerMin: ownSalesRatePerMin, outageMin: outage, minutesToReturn }, params),
          unallocated: a ? a.capacity - a.sold - a.allotted : 0,
        });
      }
      return plans;
    },
  };
}
