/** The HQ ledger's repositories: the only code in hq/ that runs SQL (besides migrations). */
import { sql, type Selectable } from 'kysely';
import type { HqDb, HqTx } from './db';
import type { AllotmentStatus, CaseRecord, HqDB, SaleRecord } from './schema';

type Q = HqDb | HqTx;
export type SessionRecord = Selectable<HqDB['session']>;
export type AllotmentRecord = Selectable<HqDB['allotment']>;
export type { CaseRecord, SaleRecord } from './schema';
export type StationRecord = Selectable<HqDB['station']>;
export type FeedRow = Selectable<HqDB['feed_outbox']>;

// ---- meta and counters ------------------------------------------------------------------------------------------

export async function getMeta(q: Q, key: string): Promise<string | null> {
  return (await q.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setMeta(q: Q, key: string, value: string): Promise<void> {
  await q
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

export async function nextCounter(q: Q, name: string): Promise<number> {
  const row = await q
    .insertInto('counter')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}

// ---- catalogue --------------------------------------------------------------------------------------------------

export async function getConferenceRow(q: Q): Promise<{ id: string; body: string } | undefined> {
  return q.selectFrom('conference').select(['id', 'body']).limit(1).executeTakeFirst();
}

export async function insertConference(q: Q, id: string, body: string, at: string): Promise<void> {
  await q.insertInto('conference').values({ id, body, seeded_at: at }).execute();
}

export async function upsertTicketType(q: Q, id: string, body: string): Promise<void> {
  await q
    .insertInto('ticket_type')
    .values({ id, body })
    .onConflict((oc) => oc.column('id').doUpdateSet({ body }))
    .execute();
}

export async function listTicketTypes(q: Q): Promise<string[]> {
  return (await q.selectFrom('ticket_type').select('body').orderBy('id').execute()).map((r) => r.body);
}

export async function insertSession(
  q: Q,
  s: { id: string; body: string; startsAt: string; capacity: number; sellable: boolean; baseSold: number },
): Promise<void> {
  await q
    .insertInto('session')
    .values({
      id: s.id,
      body: s.body,
      starts_at: s.startsAt,
      capacity: s.capacity,
      sellable: s.sellable ? 1 : 0,
      base_sold: s.baseSold,
      sold: s.baseSold,
      version: 1,
      rate_at: null,
    })
    .execute();
}

export async function getSession(q: Q, id: string): Promise<SessionRecord | undefined> {
  return q.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSessions(q: Q): Promise<SessionRecord[]> {
  return q.selectFrom('session').selectAll().orderBy('starts_at').orderBy('id').execute();
}

export async function updateSession(
  q: Q,
  id: string,
  set: Partial<Pick<SessionRecord, 'sold' | 'capacity' | 'version' | 'rate' | 'rate_at' | 'body'>>,
): Promise<void> {
  await q.updateTable('session').set(set).where('id', '=', id).execute();
}

/** Seats held in allotments and not used yet, for one session. */
export async function outstanding(q: Q, sessionId: string): Promise<number> {
  const r = await q
    .selectFrom('allotment')
    .select(sql<number>`coalesce(sum(seats - used), 0)`.as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return r.n;
}

export async function upsertRegistrant(q: Q, id: string, body: string, origin: string, at: string): Promise<void> {
  await q
    .insertInto('registrant')
    .values({ id, body, origin, updated_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ body, origin, updated_at: at }))
    .execute();
}

export async function insertRegistrants(
  q: Q,
  rows: { id: string; body: string }[],
  origin: string,
  at: string,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const part = rows.slice(i, i + 200).map((r) => ({ id: r.id, body: r.body, origin, updated_at: at }));
    await q
      .insertInto('registrant')
      .values(part)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
}

export async function countRegistrants(q: Q): Promise<number> {
  return (
    await q
      .selectFrom('registrant')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
}

/** Registrants in id order, `limit` after `afterId` (keyset paging for the snapshot). */
export async function registrantPage(
  q: Q,
  afterId: string | null,
  limit: number,
): Promise<{ id: string; body: string }[]> {
  let sel = q.selectFrom('registrant').select(['id', 'body']).orderBy('id').limit(limit);
  if (afterId !== null) sel = sel.where('id', '>', afterId);
  return sel.execute();
}

// ---- stations, inbox, parked events, dead letters ---------------------------------------------------------------

export async function getStation(q: Q, origin: string): Promise<StationRecord | undefined> {
  return q.selectFrom('station').selectAll().where('origin', '=', origin).executeTakeFirst();
}

export async function listStations(q: Q): Promise<StationRecord[]> {
  return q.selectFrom('station').selectAll().orderBy('origin').execute();
}

export async function ensureStation(q: Q, origin: string, at: string): Promise<StationRecord> {
  await q
    .insertInto('station')
    .values({
      origin,
      next_seq: 1,
      first_seen_at: at,
      last_event_at: null,
      key_id: null,
      public_key: null,
      snapshot_sent_at: null,
    })
    .onConflict((oc) => oc.column('origin').doNothing())
    .execute();
  return (await getStation(q, origin))!;
}

export async function updateStation(
  q: Q,
  origin: string,
  set: Partial<Pick<StationRecord, 'next_seq' | 'last_event_at' | 'key_id' | 'public_key' | 'snapshot_sent_at'>>,
): Promise<void> {
  await q.updateTable('station').set(set).where('origin', '=', origin).execute();
}

export async function inboxHas(q: Q, id: string): Promise<boolean> {
  return (await q.selectFrom('inbox').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function inboxCounts(q: Q): Promise<{ applied: number; rejected: number }> {
  return q
    .selectFrom('inbox')
    .select([
      sql<number>`count(*) filter (where status = 'applied')`.as('applied'),
      sql<number>`count(*) filter (where status = 'rejected')`.as('rejected'),
    ])
    .executeTakeFirstOrThrow();
}

export async function getParked(q: Q, origin: string, seq: number): Promise<Selectable<HqDB['parked']> | undefined> {
  return q.selectFrom('parked').selectAll().where('origin', '=', origin).where('seq', '=', seq).executeTakeFirst();
}

export async function insertParked(
  q: Q,
  p: { origin: string; seq: number; id: string; body: string; poison: string | null; at: string },
): Promise<void> {
  await q
    .insertInto('parked')
    .values({ origin: p.origin, seq: p.seq, id: p.id, body: p.body, poison: p.poison, parked_at: p.at })
    .execute();
}

export async function deleteParked(q: Q, origin: string, seq: number): Promise<void> {
  await q.deleteFrom('parked').where('origin', '=', origin).where('seq', '=', seq).execute();
}

export async function listParked(q: Q): Promise<{ origin: string; seq: number; id: string }[]> {
  return q.selectFrom('parked').select(['origin', 'seq', 'id']).orderBy('origin').orderBy('seq').execute();
}

export async function insertDeadLetter(
  q: Q,
  d: {
    messageId: string | null;
    eventId: string | null;
    origin: string | null;
    seq: number | null;
    reason: string;
    body: string;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('dead_letter')
    .values({
      message_id: d.messageId,
      event_id: d.eventId,
      origin: d.origin,
      seq: d.seq,
      reason: d.reason,
      body: d.body,
      at: d.at,
    })
    .execute();
}

export async function listDeadLetters(
  q: Q,
): Promise<
  { message_id: string | null; event_id: string | null; origin: string | null; seq: number | null; reason: string }[]
> {
  return q
    .selectFrom('dead_letter')
    .select(['message_id', 'event_id', 'origin', 'seq', 'reason'])
    .orderBy('n')
    .execute();
}

// ---- allotments -------------------------------------------------------------------------------------------------

export async function insertAllotment(
  q: Q,
  a: {
    id: string;
    station: string;
    sessionId: string;
    requestId: string | null;
    seats: number;
    at: string;
    note: string | null;
  },
): Promise<void> {
  await q
    .insertInto('allotment')
    .values({
      id: a.id,
      station: a.station,
      session_id: a.sessionId,
      request_id: a.requestId,
      seats: a.seats,
      status: 'active',
      granted_at: a.at,
      closed_at: null,
      note: a.note,
    })
    .execute();
}

export async function getAllotment(q: Q, id: string): Promise<AllotmentRecord | undefined> {
  return q.selectFrom('allotment').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The station's oldest active allotment for the session with a free seat (the same order a station uses). */
export async function oldestAllotmentWithSeat(
  q: Q,
  station: string,
  sessionId: string,
): Promise<AllotmentRecord | undefined> {
  return q
    .selectFrom('allotment')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('station', '=', station)
    .where('status', '=', 'active')
    .where(sql<boolean>`used < seats`)
    .orderBy('granted_at')
    .orderBy('id')
    .executeTakeFirst();
}

/** Active allotments of a session with a seat left, with when HQ last heard from their station. */
export async function allotmentsWithSeat(
  q: Q,
  sessionId: string,
): Promise<(AllotmentRecord & { last_event_at: string | null })[]> {
  return q
    .selectFrom('allotment')
    .leftJoin('station', 'station.origin', 'allotment.station')
    .selectAll('allotment')
    .select('station.last_event_at')
    .where('allotment.session_id', '=', sessionId)
    .where('allotment.status', '=', 'active')
    .where(sql<boolean>`allotment.used < allotment.seats`)
    .orderBy('allotment.granted_at')
    .orderBy('allotment.id')
    .execute();
}

// ---- online sales waiting for seats held at other stations ------------------------------------------------------

export type SeatWaitRecord = Selectable<HqDB['seat_wait']>;

export async function insertSeatWait(q: Q, w: SeatWaitRecord): Promise<void> {
  await q.insertInto('seat_wait').values(w).execute();
}

export async function getSeatWait(q: Q, saleId: string): Promise<SeatWaitRecord | undefined> {
  return q.selectFrom('seat_wait').selectAll().where('sale_id', '=', saleId).executeTakeFirst();
}

/** Waiting sales of a session, first come first served. */
export async function seatWaitsOf(q: Q, sessionId: string): Promise<SeatWaitRecord[]> {
  return q
    .selectFrom('seat_wait')
    .selectAll()
    .where('session_id', '=', sessionId)
    .orderBy('since')
    .orderBy('sale_id')
    .execute();
}

/** Sessions with a sale waiting (one read per batch that freed seats). */
export async function sessionsWithSeatWaits(q: Q): Promise<Set<string>> {
  return new Set((await q.selectFrom('seat_wait').select('session_id').distinct().execute()).map((r) => r.session_id));
}

export async function dueSeatWaits(q: Q, atIso: string): Promise<SeatWaitRecord[]> {
  return q
    .selectFrom('seat_wait')
    .selectAll()
    .where('until', '<=', atIso)
    .orderBy('since')
    .orderBy('sale_id')
    .execute();
}

export async function nextSeatWaitUntil(q: Q): Promise<string | null> {
  const r = await q
    .selectFrom('seat_wait')
    .select((eb) => eb.fn.min('until').as('until'))
    .executeTakeFirst();
  return r?.until ?? null;
}

export async function deleteSeatWait(q: Q, saleId: string): Promise<void> {
  await q.deleteFrom('seat_wait').where('sale_id', '=', saleId).execute();
}

export async function useAllotmentSeat(q: Q, id: string): Promise<void> {
  await q
    .updateTable('allotment')
    .set((eb) => ({ used: eb('used', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function closeAllotment(
  q: Q,
  id: string,
  status: Exclude<AllotmentStatus, 'active'>,
  at: string,
  note: string | null,
): Promise<boolean> {
  const r = await q
    .updateTable('allotment')
    .set({ status, closed_at: at, note })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listActiveAllotments(q: Q): Promise<AllotmentRecord[]> {
  return q.selectFrom('allotment').selectAll().where('status', '=', 'active').orderBy('granted_at').execute();
}

export async function listAllotments(q: Q): Promise<AllotmentRecord[]> {
  return q.selectFrom('allotment').selectAll().orderBy('granted_at').orderBy('id').execute();
}

// ---- sales and cases --------------------------------------------------------------------------------------------

export async function getSale(q: Q, id: string): Promise<SaleRecord | undefined> {
  return q.selectFrom('sale').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function releaseSale(q: Q, id: string, at: string): Promise<void> {
  await q.updateTable('sale').set({ held: 0, released_at: at }).where('id', '=', id).execute();
}

export async function listSales(q: Q): Promise<SaleRecord[]> {
  return q.selectFrom('sale').selectAll().orderBy('decided_at').orderBy('id').execute();
}

export async function getCaseBySale(q: Q, saleId: string): Promise<CaseRecord | undefined> {
  return q.selectFrom('oversell_case').selectAll().where('sale_id', '=', saleId).executeTakeFirst();
}

export type CaseResolution = Pick<
  CaseRecord,
  | 'resolution'
  | 'resolved_by'
  | 'resolved_at'
  | 'decided_by'
  | 'resolution_id'
  | 'supervisor_id'
  | 'note'
  | 'outcome_json'
>;

export async function resolveCase(q: Q, id: string, r: CaseResolution): Promise<void> {
  await q
    .updateTable('oversell_case')
    .set({ status: 'resolved', ...r })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
}

export async function getCase(q: Q, id: string): Promise<CaseRecord | undefined> {
  return q.selectFrom('oversell_case').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open cases whose deadline has passed by `at`. */
export async function dueCases(q: Q, at: string): Promise<CaseRecord[]> {
  return q
    .selectFrom('oversell_case')
    .selectAll()
    .where('status', '=', 'open')
    .where('due_at', '<=', at)
    .orderBy('due_at')
    .orderBy('id')
    .execute();
}

/** Open cases that reached their escalation time and have not been escalated yet. */
export async function casesToEscalate(q: Q, at: string): Promise<CaseRecord[]> {
  return q
    .selectFrom('oversell_case')
    .selectAll()
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .where('escalate_at', '<=', at)
    .orderBy('escalate_at')
    .execute();
}

export async function markEscalated(q: Q, id: string, at: string): Promise<void> {
  await q.updateTable('oversell_case').set({ escalated_at: at }).where('id', '=', id).execute();
}

/** The registrant's held sale in a session, if any (a move target they already sit in). */
export async function heldSaleOf(q: Q, registrantId: string, sessionId: string): Promise<SaleRecord | undefined> {
  return q
    .selectFrom('sale')
    .selectAll()
    .where('registrant_id', '=', registrantId)
    .where('session_id', '=', sessionId)
    .where('held', '=', 1)
    .executeTakeFirst();
}

export async function getRegistrantBody(q: Q, id: string): Promise<string | undefined> {
  return (await q.selectFrom('registrant').select('body').where('id', '=', id).executeTakeFirst())?.body;
}

// ---- waitlists --------------------------------------------------------------------------------------------------

export type WaitlistRecord = Selectable<HqDB['waitlist']>;

export async function addToWaitlist(
  q: Q,
  e: { id: string; sessionId: string; registrantId: string; station: string; caseId: string | null; at: string },
): Promise<number> {
  const last = await q
    .selectFrom('waitlist')
    .select(sql<number>`coalesce(max(position), 0)`.as('n'))
    .where('session_id', '=', e.sessionId)
    .executeTakeFirstOrThrow();
  const position = last.n + 1;
  await q
    .insertInto('waitlist')
    .values({
      id: e.id,
      session_id: e.sessionId,
      registrant_id: e.registrantId,
      station: e.station,
      case_id: e.caseId,
      position,
      status: 'waiting',
      added_at: e.at,
      promoted_at: null,
      sale_id: null,
    })
    .execute();
  return position;
}

export async function firstWaiting(q: Q, sessionId: string): Promise<WaitlistRecord | undefined> {
  return q
    .selectFrom('waitlist')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('status', '=', 'waiting')
    .orderBy('position')
    .limit(1)
    .executeTakeFirst();
}

/** Sessions with someone waiting (one query per batch). */
export async function sessionsWithWaiting(q: Q): Promise<Set<string>> {
  return new Set(
    (await q.selectFrom('waitlist').select('session_id').distinct().where('status', '=', 'waiting').execute()).map(
      (r) => r.session_id,
    ),
  );
}

export async function promoteWaiting(q: Q, id: string, saleId: string, at: string): Promise<void> {
  await q
    .updateTable('waitlist')
    .set({ status: 'promoted', promoted_at: at, sale_id: saleId })
    .where('id', '=', id)
    .where('status', '=', 'waiting')
    .execute();
}

export async function listWaitlist(q: Q): Promise<WaitlistRecord[]> {
  return q.selectFrom('waitlist').selectAll().orderBy('session_id').orderBy('position').execute();
}

// ---- badge prints and revocations -------------------------------------------------------------------------------

export async function recordBadgePrint(
  q: Q,
  p: { registrantId: string; version: number; station: string; at: string },
): Promise<void> {
  await q
    .insertInto('badge_print')
    .values({ registrant_id: p.registrantId, version: p.version, station: p.station, applied_at: p.at })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Whether a station reported a badge of the registrant printed at or after `since` (HQ's clock: after the sale). */
export async function badgePrintedSince(q: Q, registrantId: string, since: string): Promise<boolean> {
  return (
    (await q
      .selectFrom('badge_print')
      .select('version')
      .where('registrant_id', '=', registrantId)
      .where('applied_at', '>=', since)
      .limit(1)
      .executeTakeFirst()) !== undefined
  );
}

export async function listBadgePrints(q: Q): Promise<Selectable<HqDB['badge_print']>[]> {
  return q.selectFrom('badge_print').selectAll().orderBy('applied_at').orderBy('registrant_id').execute();
}

/** Printed versions of the registrant that HQ has not revoked yet. */
export async function unrevokedPrints(q: Q, registrantId: string): Promise<number[]> {
  const rows = await q
    .selectFrom('badge_print as p')
    .select('p.version')
    .distinct()
    .where('p.registrant_id', '=', registrantId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('badge_revocation as r')
            .select('r.version')
            .whereRef('r.registrant_id', '=', 'p.registrant_id')
            .whereRef('r.version', '=', 'p.version'),
        ),
      ),
    )
    .orderBy('p.version')
    .execute();
  return rows.map((r) => r.version);
}

/** Records a revocation; false when the version was already revoked. */
export async function recordRevocation(
  q: Q,
  r: { registrantId: string; version: number; reason: string; at: string },
): Promise<boolean> {
  const res = await q
    .insertInto('badge_revocation')
    .values({ registrant_id: r.registrantId, version: r.version, reason: r.reason, at: r.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function listCases(q: Q): Promise<CaseRecord[]> {
  return q.selectFrom('oversell_case').selectAll().orderBy('opened_at').orderBy('id').execute();
}

// ---- the feed outbox --------------------------------------------------------------------------------------------

export async function unsentFeed(q: Q, limit: number): Promise<FeedRow[]> {
  return q.selectFrom('feed_outbox').selectAll().where('sent_at', 'is', null).orderBy('seq').limit(limit).execute();
}

export async function markFeedSent(q: Q, seqs: number[], at: string): Promise<void> {
  if (seqs.length === 0) return;
  await q
    .updateTable('feed_outbox')
    .set({ sent_at: at })
    .where('seq', 'in', seqs)
    .where('sent_at', 'is', null)
    .execute();
}

export async function feedCounts(q: Q): Promise<{ total: number; unsent: number }> {
  return q
    .selectFrom('feed_outbox')
    .select([sql<number>`count(*)`.as('total'), sql<number>`count(*) filter (where sent_at is null)`.as('unsent')])
    .executeTakeFirstOrThrow();
}

export async function feedOfType(q: Q, type: string): Promise<FeedRow[]> {
  return q.selectFrom('feed_outbox').selectAll().where('type', '=', type).orderBy('seq').execute();
}

/** One transaction (one batch of station events, one housekeeping pass). */
export function inTransaction<T>(db: HqDb, fn: (tx: HqTx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}

// ---- batch helpers: one query for a whole batch ---------------------------------------------------------------

export async function inboxHasAny(q: Q, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    if (part.length)
      for (const r of await q.selectFrom('inbox').select('id').where('id', 'in', part).execute()) out.add(r.id);
  }
  return out;
}

export async function salesExisting(q: Q, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    if (part.length)
      for (const r of await q.selectFrom('sale').select('id').where('id', 'in', part).execute()) out.add(r.id);
  }
  return out;
}

/** A station's events HQ applied from `fromSeq` on, in seq order (`body` null for those applied before HQ kept bodies). */
export async function stationEventsFrom(
  q: Q,
  origin: string,
  fromSeq: number,
): Promise<{ seq: number; body: string | null }[]> {
  return q
    .selectFrom('inbox')
    .select(['seq', 'body'])
    .where('origin', '=', origin)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .execute();
}

export async function parkedFrom(
  q: Q,
  origin: string,
  fromSeq: number,
): Promise<{ seq: number; body: string; poison: string | null }[]> {
  return q
    .selectFrom('parked')
    .select(['seq', 'body', 'poison'])
    .where('origin', '=', origin)
    .where('seq', '>=', fromSeq)
    .orderBy('seq')
    .execute();
}

export async function hasParked(q: Q, origin: string): Promise<boolean> {
  return (
    (await q.selectFrom('parked').select('seq').where('origin', '=', origin).limit(1).executeTakeFirst()) !== undefined
  );
}

export async function getCounter(q: Q, name: string): Promise<number> {
  return (await q.selectFrom('counter').select('value').where('name', '=', name).executeTakeFirst())?.value ?? 0;
}

export async function setCounter(q: Q, name: string, value: number): Promise<void> {
  await q
    .insertInto('counter')
    .values({ name, value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}

// ---- the desks' day (issue 19) ------------------------------------------------------------------------------------

export async function recordRegistrantChange(
  q: Q,
  c: {
    eventId: string;
    station: string;
    registrantId: string;
    kind: string;
    fields: string[];
    reason: string;
    staffId: string | null;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('registrant_change')
    .values({
      event_id: c.eventId,
      station: c.station,
      registrant_id: c.registrantId,
      kind: c.kind,
      fields_json: JSON.stringify(c.fields),
      reason: c.reason,
      staff_id: c.staffId,
      at: c.at,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

export async function listRegistrantChanges(
  q: Q,
  registrantId: string,
): Promise<Selectable<HqDB['registrant_change']>[]> {
  return q.selectFrom('registrant_change').selectAll().where('registrant_id', '=', registrantId).orderBy('n').execute();
}

/** A payment a desk took; false if HQ had it already (a re-sent event). */
export async function insertPayment(
  q: Q,
  p: Omit<Selectable<HqDB['payment']>, 'status' | 'closed_at' | 'close_reason' | 'supervisor_id'>,
): Promise<boolean> {
  const r = await q
    .insertInto('payment')
    .values({ ...p, status: 'paid', closed_at: null, close_reason: null, supervisor_id: null })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function closePayment(
  q: Q,
  id: string,
  c: { status: 'voided' | 'refunded'; at: string; reason: string; supervisorId: string | null },
): Promise<boolean> {
  const r = await q
    .updateTable('payment')
    .set({ status: c.status, closed_at: c.at, close_reason: c.reason, supervisor_id: c.supervisorId })
    .where('id', '=', id)
    .where('status', '=', 'paid')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listPayments(q: Q): Promise<Selectable<HqDB['payment']>[]> {
  return q.selectFrom('payment').selectAll().orderBy('taken_at').orderBy('id').execute();
}

/** A sale HQ holds for the registrant in the session (any station's, or HQ's own move or promotion). */
export async function heldSaleById(q: Q, id: string): Promise<SaleRecord | undefined> {
  return q.selectFrom('sale').selectAll().where('id', '=', id).where('held', '=', 1).executeTakeFirst();
}
