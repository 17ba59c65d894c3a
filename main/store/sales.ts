/** Selling: sales, seat entitlements, allotments, HQ's availability numbers and check-ins (cases: cases.ts). */
import { sql, type Selectable } from 'kysely';
import type { AvailabilityView, Sale } from '../../core/api';
import type { SaleBasis, SaleTier } from '../../core/policy';
import type { Db, Tx } from './db';
import type { AvailabilityRow, SaleRow } from './schema';

type Q = Db | Tx;

export function toSale(r: Selectable<SaleRow>): Sale {
  return {
    id: r.id,
    sessionId: r.session_id,
    registrantId: r.registrant_id,
    tier: r.tier,
    status: r.status,
    atRisk: r.at_risk === 1,
    proceed: r.proceed === 1,
    allotmentId: r.allotment_id,
    basis: JSON.parse(r.basis_json) as SaleBasis,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
  };
}

export async function insertSale(
  q: Q,
  s: {
    id: string;
    sessionId: string;
    registrantId: string;
    tier: SaleTier;
    status: SaleRow['status'];
    atRisk: boolean;
    proceed: boolean;
    allotmentId: string | null;
    basis: SaleBasis;
    staffId: string | null;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('sale')
    .values({
      id: s.id,
      session_id: s.sessionId,
      registrant_id: s.registrantId,
      tier: s.tier,
      status: s.status,
      at_risk: s.atRisk ? 1 : 0,
      proceed: s.proceed ? 1 : 0,
      allotment_id: s.allotmentId,
      basis_json: JSON.stringify(s.basis),
      staff_id: s.staffId,
      created_at: s.at,
      decided_at: s.status === 'pending' ? null : s.at,
      released_at: null,
      release_reason: null,
    })
    .execute();
}

export async function getSale(q: Q, id: string): Promise<Selectable<SaleRow> | undefined> {
  return q.selectFrom('sale').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateSale(
  q: Q,
  id: string,
  set: Partial<Pick<SaleRow, 'status' | 'at_risk' | 'proceed' | 'decided_at' | 'released_at' | 'release_reason'>>,
): Promise<void> {
  await q.updateTable('sale').set(set).where('id', '=', id).execute();
}

export async function countSales(q: Q): Promise<{ sales: number; pending: number }> {
  const r = await q
    .selectFrom('sale')
    .select([sql<number>`count(*)`.as('sales'), sql<number>`count(*) filter (where status = 'pending')`.as('pending')])
    .executeTakeFirstOrThrow();
  return r;
}

/** k of the overdraft rule: this station's sales for the session that are at risk and not yet decided by HQ. */
export async function pendingAtRisk(q: Q, sessionId: string): Promise<number> {
  const r = await q
    .selectFrom('sale')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    // Literal constants, so SQLite can use the partial index sale_pending_at_risk.
    .where(sql<boolean>`status = 'pending' AND at_risk = 1`)
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function pendingHere(q: Q, sessionId: string): Promise<number> {
  const r = await q
    .selectFrom('sale')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return r.n;
}

// ---- entitlements ---------------------------------------------------------------------------------------------

export async function hasEntitlement(q: Q, registrantId: string, sessionId: string): Promise<boolean> {
  return (
    (await q
      .selectFrom('entitlement')
      .select('session_id')
      .where('registrant_id', '=', registrantId)
      .where('session_id', '=', sessionId)
      .executeTakeFirst()) !== undefined
  );
}

export async function grantEntitlement(
  q: Q,
  registrantId: string,
  sessionId: string,
  saleId: string,
  at: string,
): Promise<void> {
  await q
    .insertInto('entitlement')
    .values({ registrant_id: registrantId, session_id: sessionId, source: 'sale', sale_id: saleId, created_at: at })
    .execute();
}

export async function revokeEntitlementForSale(q: Q, saleId: string): Promise<void> {
  await q.deleteFrom('entitlement').where('sale_id', '=', saleId).execute();
}

/** This station's sales made since `sinceIso` (not refused: a sale HQ turned away did not happen), per session. */
export async function recentSales(q: Q, sinceIso: string): Promise<{ session_id: string; created_at: string }[]> {
  return q
    .selectFrom('sale')
    .select(['session_id', 'created_at'])
    .where('created_at', '>=', sinceIso)
    .where('status', '!=', 'refused')
    .execute();
}

// ---- allotments -----------------------------------------------------------------------------------------------

/** Active allotments with an unused seat, oldest first. */
export async function activeAllotments(q: Q): Promise<{ id: string; session_id: string; unused: number }[]> {
  return q
    .selectFrom('allotment')
    .select(['id', 'session_id', sql<number>`seats - used`.as('unused')])
    .where('status', '=', 'active')
    .where(sql<boolean>`used < seats`)
    .orderBy('granted_at')
    .orderBy('id')
    .execute();
}

/** The active allotment with a free seat for the session, oldest first. */
export async function allotmentWithSeat(q: Q, sessionId: string): Promise<{ id: string; free: number } | undefined> {
  const r = await q
    .selectFrom('allotment')
    .select(['id', sql<number>`seats - used`.as('free')])
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .where(sql<boolean>`used < seats`)
    .orderBy('granted_at')
    .executeTakeFirst();
  return r;
}

export async function allotmentRemaining(q: Q, sessionId: string): Promise<number> {
  const r = await q
    .selectFrom('allotment')
    .select(sql<number>`coalesce(sum(seats - used), 0)`.as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function useAllotmentSeat(q: Q, id: string): Promise<void> {
  await q
    .updateTable('allotment')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function freeAllotmentSeat(q: Q, id: string): Promise<void> {
  await q
    .updateTable('allotment')
    .set((eb) => ({ used: eb('used', '-', 1) }))
    .where('id', '=', id)
    .where('used', '>', 0)
    .execute();
}

export async function upsertAllotment(
  q: Q,
  a: { id: string; sessionId: string; requestId: string | null; seats: number; at: string },
): Promise<boolean> {
  const r = await q
    .insertInto('allotment')
    .values({
      id: a.id,
      session_id: a.sessionId,
      request_id: a.requestId,
      seats: a.seats,
      status: 'active',
      granted_at: a.at,
      closed_at: null,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function closeAllotment(
  q: Q,
  id: string,
  status: 'recalled' | 'returned',
  at: string,
): Promise<{ sessionId: string; unused: number } | undefined> {
  const r = await q
    .updateTable('allotment')
    .set({ status, closed_at: at })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .returning(['session_id', sql<number>`seats - used`.as('unused')])
    .executeTakeFirst();
  return r ? { sessionId: r.session_id, unused: r.unused } : undefined;
}

// ---- availability ---------------------------------------------------------------------------------------------

export async function getAvailability(q: Q, sessionId: string): Promise<Selectable<AvailabilityRow> | undefined> {
  return q.selectFrom('availability').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
}

/** Applies HQ's numbers only if `version` is newer; returns whether anything changed. */
export async function applyAvailability(
  q: Q,
  a: {
    sessionId: string;
    capacity: number;
    sold: number;
    allotted: number;
    version: number;
    salesRatePerMin: number;
    hqTime: string;
    receivedAt: string;
  },
): Promise<boolean> {
  const r = await q
    .updateTable('availability')
    .set({
      capacity: a.capacity,
      sold: a.sold,
      allotted: a.allotted,
      version: a.version,
      sales_rate: a.salesRatePerMin,
      hq_time: a.hqTime,
      received_at: a.receivedAt,
    })
    .where('session_id', '=', a.sessionId)
    .where('version', '<', a.version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function availabilityView(q: Q, sessionId: string): Promise<AvailabilityView | undefined> {
  const a = await getAvailability(q, sessionId);
  if (!a) return undefined;
  return {
    sessionId,
    capacity: a.capacity,
    sold: a.sold,
    allotted: a.allotted,
    version: a.version,
    salesRatePerMin: a.sales_rate,
    hqTime: a.hq_time,
    allotmentRemaining: await allotmentRemaining(q, sessionId),
    pendingHere: await pendingHere(q, sessionId),
  };
}

// ---- check-ins ------------------------------------------------------------------------------------------------

export async function recordCheckIn(
  q: Q,
  c: { registrantId: string; sessionId: string | null; at: string; staffId: string | null; station: string },
): Promise<boolean> {
  let prior = q.selectFrom('check_in').select('id').where('registrant_id', '=', c.registrantId);
  prior = c.sessionId === null ? prior.where('session_id', 'is', null) : prior.where('session_id', '=', c.sessionId);
  const firstTime = (await prior.executeTakeFirst()) === undefined;
  await q
    .insertInto('check_in')
    .values({
      registrant_id: c.registrantId,
      session_id: c.sessionId,
      at: c.at,
      staff_id: c.staffId,
      station: `station:${c.station}`,
    })
    .execute();
  return firstTime;
}

/** People checked in (each counted once, however often they were scanned). */
export async function countCheckIns(q: Q): Promise<number> {
  const r = await q
    .selectFrom('check_in')
    .select((eb) => eb.fn.count<number>('registrant_id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function checkInsBySession(q: Q): Promise<Map<string, number>> {
  const rows = await q
    .selectFrom('check_in')
    .select(['session_id', (eb) => eb.fn.count<number>('registrant_id').distinct().as('n')])
    .where('session_id', 'is not', null)
    .groupBy('session_id')
    .execute();
  return new Map(rows.map((r) => [r.session_id!, r.n]));
}

// ---- the availability board (supervisor console) ----------------------------------------------------------------

export interface BoardRow {
  id: string;
  title: string;
  room: string;
  starts_at: string;
  ends_at: string;
  sellable: number;
  policy_json: string | null;
  capacity: number;
  sold: number;
  allotted: number;
  version: number;
  sales_rate: number;
  hq_time: string | null;
  /** This station's unused allotment seats, its undecided at-risk sales (k) and all its undecided sales. */
  held_here: number;
  pending_at_risk: number;
  pending_here: number;
  open_cases: number;
}

/**
 * Every session with what the board and the sale policy need, in four grouped reads rather than four per session:
 * the board of 200 sessions is repainted after every feed update (bench ui.board).
 */
export async function boardRows(q: Q): Promise<BoardRow[]> {
  const sessions = await q
    .selectFrom('session')
    .innerJoin('availability', 'availability.session_id', 'session.id')
    .select([
      'session.id',
      'session.title',
      'session.room',
      'session.starts_at',
      'session.ends_at',
      'session.sellable',
      'session.policy_json',
      'availability.capacity',
      'availability.sold',
      'availability.allotted',
      'availability.version',
      'availability.sales_rate',
      'availability.hq_time',
    ])
    .orderBy('session.starts_at')
    .orderBy('session.title')
    .execute();
  const held = await q
    .selectFrom('allotment')
    .select(['session_id', sql<number>`sum(seats - used)`.as('n')])
    .where('status', '=', 'active')
    .groupBy('session_id')
    .execute();
  const pending = await q
    .selectFrom('sale')
    .select(['session_id', sql<number>`count(*)`.as('n'), sql<number>`count(*) filter (where at_risk = 1)`.as('risk')])
    .where('status', '=', 'pending')
    .groupBy('session_id')
    .execute();
  const cases = await q
    .selectFrom('reconciliation_case')
    .select(['session_id', sql<number>`count(*)`.as('n')])
    .where('status', '=', 'open')
    .groupBy('session_id')
    .execute();
  const heldBy = new Map(held.map((r) => [r.session_id, r.n]));
  const pendingBy = new Map(pending.map((r) => [r.session_id, r]));
  const casesBy = new Map(cases.map((r) => [r.session_id, r.n]));
  return sessions.map((s) => ({
    ...s,
    held_here: heldBy.get(s.id) ?? 0,
    pending_here: pendingBy.get(s.id)?.n ?? 0,
    pending_at_risk: pendingBy.get(s.id)?.risk ?? 0,
    open_cases: casesBy.get(s.id) ?? 0,
  }));
}

/** Allotments still in this station's hands, with their session. */
export async function allotmentsInHand(q: Q): Promise<
  {
    id: string;
    session_id: string;
    title: string | null;
    starts_at: string | null;
    seats: number;
    used: number;
    granted_at: string;
  }[]
> {
  return q
    .selectFrom('allotment')
    .leftJoin('session', 'session.id', 'allotment.session_id')
    .select([
      'allotment.id',
      'allotment.session_id',
      'session.title',
      'session.starts_at',
      'allotment.seats',
      'allotment.used',
      'allotment.granted_at',
    ])
    .where('allotment.status', '=', 'active')
    .orderBy('session.starts_at')
    .orderBy('allotment.granted_at')
    .execute();
}
