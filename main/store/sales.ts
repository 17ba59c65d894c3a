/** Selling: sales, seat entitlements, allotments, HQ's availability numbers and check-ins (cases: cases.ts). */
import { sql, type Selectable } from 'kysely';
import type { AvailabilityView, Sale } from '../../core/api';
import type { SaleBasis, SaleTier } from '../../core/policy';
import type { Db, RawDb, Tx } from './db';
import type { AvailabilityRow, RegistrantRow, SaleRow, SessionRow } from './schema';

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

/** What a sale is written from. */
export interface NewSale {
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
}

/** The sale's row as written (the Kysely insert and the sale's prepared one alike). */
export function saleRow(s: NewSale): Selectable<SaleRow> {
  return {
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
  };
}

export async function insertSale(q: Q, s: NewSale): Promise<void> {
  await q.insertInto('sale').values(saleRow(s)).execute();
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

// ---- the sale's hot path (prepared statements) --------------------------------------------------------------------

/** What a sale at the desk is decided on: the session, the conference, HQ's numbers and this station's own. */
export interface SaleFacts {
  /** Null when no conference is loaded. */
  conference: {
    id: string;
    policy_json: string | null;
    currency: string | null;
    starts_on: string;
    ends_on: string;
    timezone: string;
  } | null;
  session: Selectable<SessionRow> | null;
  /** HQ's numbers for the session; null when HQ has none for it. */
  availability: Pick<Selectable<AvailabilityRow>, 'capacity' | 'sold' | 'allotted' | 'sales_rate'> | null;
  allotmentRemaining: number;
  /** The oldest active allotment with a free seat (the one a sale from an allotment uses). */
  allotmentWithSeat: string | null;
  pendingAtRisk: number;
  /** sync_state's last contact with HQ (JSON), for the staleness estimate. */
  hqContact: string | null;
}

/** What a sale needs to know of its buyer. */
export interface BuyerFacts {
  /** The registrant's id (the request may have named them by a code). */
  id: string;
  first_name: string;
  last_name: string;
  status: Selectable<RegistrantRow>['status'];
  status_note: string | null;
  /** Null when the ticket type is missing (the rules cannot be read). */
  ticket_name: string | null;
  days_json: string | null;
  tracks_json: string | null;
  has_seat: number;
}

type FactsRow = Selectable<SessionRow> & {
  x_conference_id: string | null;
  x_conference_policy: string | null;
  x_currency: string | null;
  x_starts_on: string;
  x_ends_on: string;
  x_timezone: string;
  x_capacity: number | null;
  x_sold: number;
  x_allotted: number;
  x_sales_rate: number;
  x_allotment_remaining: number;
  x_allotment_with_seat: string | null;
  x_pending_at_risk: number;
  x_hq_contact: string | null;
};

/**
 * A sale's reads and writes as prepared statements on the raw connection (sale.commit benchmark): what the policy
 * needs for a session in one query, the buyer in another, and the sale's rows. Kysely built ~20 statements a sale,
 * each costing more to build than to run. The same rows as the functions above; run inside the command's
 * transaction only (the raw connection is Kysely's, so an open transaction elsewhere would be read half-done).
 */
/** `registrantRef`: the station's resolver of registrant references (`registrantRefResolver`), shared. */
export function saleWriter(raw: RawDb, registrantRef: (ref: string) => string | undefined) {
  // One row always (the conference and the session may each be missing: the caller words which).
  const facts = raw.prepare<[string], FactsRow>(`
    SELECT s.*, c.id AS x_conference_id, c.policy_json AS x_conference_policy, c.currency AS x_currency,
      c.starts_on AS x_starts_on, c.ends_on AS x_ends_on, c.timezone AS x_timezone,
      a.capacity AS x_capacity, a.sold AS x_sold, a.allotted AS x_allotted, a.sales_rate AS x_sales_rate,
      (SELECT coalesce(sum(seats - used), 0) FROM allotment WHERE session_id = s.id AND status = 'active') AS x_allotment_remaining,
      (SELECT id FROM allotment WHERE session_id = s.id AND status = 'active' AND used < seats ORDER BY granted_at LIMIT 1) AS x_allotment_with_seat,
      -- literal constants, so SQLite can use the partial index sale_pending_at_risk
      (SELECT count(*) FROM sale WHERE session_id = s.id AND status = 'pending' AND at_risk = 1) AS x_pending_at_risk,
      (SELECT value FROM sync_state WHERE key = 'hq_contact') AS x_hq_contact
    FROM (SELECT ? AS sid) k
    -- the loaded conference's row by its rowid: a subquery here was copied (logo and all) into a scratch table each sale
    LEFT JOIN conference c ON c.rowid = (SELECT rowid FROM conference LIMIT 1)
    LEFT JOIN session s ON s.id = k.sid
    LEFT JOIN availability a ON a.session_id = s.id`);
  const buyer = raw.prepare<[string, string], BuyerFacts>(`
    SELECT r.id, r.first_name, r.last_name, r.status, r.status_note, t.name AS ticket_name, t.days_json, t.tracks_json,
      EXISTS (SELECT 1 FROM entitlement e WHERE e.registrant_id = r.id AND e.session_id = ?) AS has_seat
    FROM registrant r LEFT JOIN ticket_type t ON t.id = r.ticket_type_id WHERE r.id = ?`);
  const useSeat = raw.prepare('UPDATE allotment SET used = used + 1 WHERE id = ?');
  const sale = raw.prepare(`
    INSERT INTO sale (id, session_id, registrant_id, tier, status, at_risk, proceed, allotment_id, basis_json, staff_id,
                      created_at, decided_at, released_at, release_reason)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL)`);
  const entitle = raw.prepare(
    `INSERT INTO entitlement (registrant_id, session_id, source, sale_id, created_at) VALUES (?, ?, 'sale', ?, ?)`,
  );
  const inTx = () => {
    if (!raw.inTransaction) throw new Error('saleWriter must run inside the command’s transaction');
  };

  return {
    facts(sessionId: string): SaleFacts {
      inTx();
      const r = facts.get(sessionId)!;
      // Named one by one (no rest pattern): copying a row minus excluded keys took V8's slow path on every sale.
      const {
        x_conference_id,
        x_conference_policy,
        x_currency,
        x_starts_on,
        x_ends_on,
        x_timezone,
        x_capacity,
        x_sold,
        x_allotted,
        x_sales_rate,
      } = r;
      return {
        conference:
          x_conference_id === null
            ? null
            : {
                id: x_conference_id,
                policy_json: x_conference_policy,
                currency: x_currency,
                starts_on: x_starts_on,
                ends_on: x_ends_on,
                timezone: x_timezone,
              },
        session:
          r.id === null
            ? null
            : {
                id: r.id,
                conference_id: r.conference_id,
                title: r.title,
                room: r.room,
                starts_at: r.starts_at,
                ends_at: r.ends_at,
                capacity: r.capacity,
                sellable: r.sellable,
                policy_json: r.policy_json,
                room_for_extra_chair: r.room_for_extra_chair,
                oversell_default: r.oversell_default,
                price: r.price,
                track: r.track,
              },
        availability:
          x_capacity === null
            ? null
            : { capacity: x_capacity, sold: x_sold, allotted: x_allotted, sales_rate: x_sales_rate },
        allotmentRemaining: r.x_allotment_remaining,
        allotmentWithSeat: r.x_allotment_with_seat,
        pendingAtRisk: r.x_pending_at_risk,
        hqContact: r.x_hq_contact,
      };
    },
    /**
     * The buyer, and whether they already hold a seat in the session; undefined when nobody has this id or code.
     * `ref` is an id or a code for the person (station/registrant-refs.ts), resolved here inside the sale's
     * transaction: resolving it before, as for other commands, cost every sale a read transaction of its own.
     */
    buyer(ref: string, sessionId: string): BuyerFacts | undefined {
      inTx();
      const byId = buyer.get(sessionId, ref);
      if (byId) return byId;
      const id = registrantRef(ref);
      return id === undefined || id === ref ? undefined : buyer.get(sessionId, id);
    },
    useAllotmentSeat(id: string): void {
      inTx();
      useSeat.run(id);
    },
    /**
     * Writes the sale; returns its row as written — the values bound, the basis as its JSON — for the answer to the
     * desk without reading it again (a RETURNING clause cost ~4 µs of every sale: sale.commit).
     */
    insertSale(s: NewSale): Selectable<SaleRow> {
      inTx();
      const row = saleRow(s);
      sale.run(
        row.id,
        row.session_id,
        row.registrant_id,
        row.tier,
        row.status,
        row.at_risk,
        row.proceed,
        row.allotment_id,
        row.basis_json,
        row.staff_id,
        row.created_at,
        row.decided_at,
      );
      return row;
    },
    grantEntitlement(registrantId: string, sessionId: string, saleId: string, at: string): void {
      inTx();
      entitle.run(registrantId, sessionId, saleId, at);
    },
  };
}

export type SaleWriter = ReturnType<typeof saleWriter>;
