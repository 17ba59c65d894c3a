/**
 * Reconciliation: the conference's oversell cases as HQ opened and resolved them, this station's resolution
 * requests, the waitlist mirror, the contact/refund list and HQ's badge revocations.
 */
import { sql, type Selectable } from 'kysely';
import type { CaseRequestView, OversellCase, WaitlistEntryView } from '../../core/api';
import type { DeadlineAction } from '../../core/conference';
import type { Payload } from '../../core/messages';
import type { SaleBasis, SaleTier } from '../../core/policy';
import { minutesLeft } from '../../core/reconciliation';
import type { Db, Tx } from './db';
import type { CaseRequestRow, ReconciliationCaseRow, ResolutionName } from './schema';

type Q = Db | Tx;
export type CaseRecord = Selectable<ReconciliationCaseRow>;
export type CaseRequestRecord = Selectable<CaseRequestRow>;

// ---- cases ------------------------------------------------------------------------------------------------------

/** Records HQ's OversellCaseOpened; keyed by sale (a case this station opened before it knew HQ's id takes it). */
export async function upsertOpenedCase(
  q: Q,
  p: Payload<'OversellCaseOpened'>,
  openedAt: string,
): Promise<'inserted' | 'updated'> {
  const existed = (await getCaseBySale(q, p.saleId)) !== undefined;
  const row = {
    id: p.caseId,
    sale_id: p.saleId,
    session_id: p.sessionId,
    registrant_id: p.registrantId,
    station: p.station,
    tier: p.tier,
    over_by: p.overBy,
    basis_json: p.basis ? JSON.stringify(p.basis) : null,
    opened_at: openedAt,
    due_at: p.dueAt,
    default_action: p.defaultAction,
  };
  // The opening facts only: a case whose resolution arrived first stays resolved.
  await q
    .insertInto('reconciliation_case')
    .values({ ...row, status: 'open' })
    .onConflict((oc) =>
      oc.column('sale_id').doUpdateSet((eb) => ({
        id: eb.ref('excluded.id'),
        station: eb.ref('excluded.station'),
        tier: eb.ref('excluded.tier'),
        over_by: eb.ref('excluded.over_by'),
        basis_json: sql<string | null>`coalesce(reconciliation_case.basis_json, excluded.basis_json)`,
        opened_at: sql<string>`coalesce(reconciliation_case.opened_at, excluded.opened_at)`,
        due_at: eb.ref('excluded.due_at'),
        default_action: eb.ref('excluded.default_action'),
      })),
    )
    .execute();
  return existed ? 'updated' : 'inserted';
}

/** Closes the case with HQ's decision; a case not heard of yet is recorded closed. False if it was closed already. */
export async function resolveCaseRow(q: Q, p: Payload<'OversellCaseResolved'>, resolvedAt: string): Promise<boolean> {
  const set = {
    status: 'resolved' as const,
    resolution: p.resolution,
    resolved_at: resolvedAt,
    resolved_by: p.by,
    decided_by: p.decidedBy,
    resolution_id: p.resolutionId,
    supervisor_id: p.supervisorId,
    note: p.note,
    outcome_json: JSON.stringify(p.outcome),
  };
  const existing = await getCaseBySale(q, p.saleId);
  if (existing) {
    if (existing.status === 'resolved') return false;
    await q
      .updateTable('reconciliation_case')
      .set(set)
      .where('sale_id', '=', p.saleId)
      .where('status', '=', 'open')
      .execute();
    return true;
  }
  await q
    .insertInto('reconciliation_case')
    .values({
      id: p.caseId,
      sale_id: p.saleId,
      session_id: p.sessionId,
      registrant_id: p.registrantId,
      station: p.station,
      ...set,
    })
    .execute();
  return true;
}

export async function markCaseEscalated(q: Q, saleId: string, at: string): Promise<boolean> {
  const r = await q
    .updateTable('reconciliation_case')
    .set({ escalated_at: at })
    .where('sale_id', '=', saleId)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function getCase(q: Q, id: string): Promise<CaseRecord | undefined> {
  return q.selectFrom('reconciliation_case').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getCaseBySale(q: Q, saleId: string): Promise<CaseRecord | undefined> {
  return q.selectFrom('reconciliation_case').selectAll().where('sale_id', '=', saleId).executeTakeFirst();
}

export async function listCaseRows(q: Q, status: 'open' | 'resolved' | 'all'): Promise<CaseRecord[]> {
  let sel = q.selectFrom('reconciliation_case').selectAll().orderBy('opened_at').orderBy('id');
  if (status !== 'all') sel = sel.where('status', '=', status);
  return sel.execute();
}

export async function countOpenCases(q: Q): Promise<number> {
  const r = await q
    .selectFrom('reconciliation_case')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return r.n;
}

/** The case as staff see it: `me` is this station's origin, `nowMs` its clock (time left). */
export function caseView(
  r: CaseRecord,
  request: CaseRequestRecord | undefined,
  me: string,
  nowMs: number,
): OversellCase {
  return {
    id: r.id,
    saleId: r.sale_id,
    sessionId: r.session_id,
    registrantId: r.registrant_id,
    station: r.station,
    soldHere: r.station === me,
    tier: r.tier as SaleTier | null,
    overBy: r.over_by,
    basis: r.basis_json ? (JSON.parse(r.basis_json) as SaleBasis) : null,
    status: r.status,
    openedAt: r.opened_at,
    dueAt: r.due_at,
    minutesLeft: r.status === 'open' && r.due_at ? minutesLeft(Date.parse(r.due_at), nowMs) : null,
    defaultAction: r.default_action as DeadlineAction | null,
    escalated: r.escalated_at !== null,
    resolution: r.resolution,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    decidedBy: r.decided_by,
    supervisorId: r.supervisor_id,
    note: r.note,
    outcome: r.outcome_json ? (JSON.parse(r.outcome_json) as OversellCase['outcome']) : null,
    request: request ? requestView(request) : null,
  };
}

// ---- this station's requests ------------------------------------------------------------------------------------

export async function insertRequest(
  q: Q,
  r: {
    id: string;
    caseId: string;
    saleId: string;
    action: ResolutionName;
    moveToSessionId: string | null;
    supervisorId: string;
    note: string;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('case_request')
    .values({
      id: r.id,
      case_id: r.caseId,
      sale_id: r.saleId,
      action: r.action,
      move_to_session_id: r.moveToSessionId,
      supervisor_id: r.supervisorId,
      note: r.note,
      requested_at: r.at,
      status: 'pending',
      answered_at: null,
      answer: null,
    })
    .execute();
}

export async function getRequest(q: Q, id: string): Promise<CaseRequestRecord | undefined> {
  return q.selectFrom('case_request').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function pendingRequests(q: Q, saleId: string): Promise<CaseRequestRecord[]> {
  return q
    .selectFrom('case_request')
    .selectAll()
    .where('sale_id', '=', saleId)
    .where('status', '=', 'pending')
    .orderBy('requested_at')
    .execute();
}

/** The latest request per case, for the listed cases. */
export async function latestRequests(q: Q, saleIds: string[]): Promise<Map<string, CaseRequestRecord>> {
  const out = new Map<string, CaseRequestRecord>();
  for (let i = 0; i < saleIds.length; i += 500) {
    const part = saleIds.slice(i, i + 500);
    if (part.length === 0) continue;
    for (const r of await q
      .selectFrom('case_request')
      .selectAll()
      .where('sale_id', 'in', part)
      .orderBy('requested_at')
      .orderBy('id')
      .execute())
      out.set(r.sale_id, r);
  }
  return out;
}

/** Records HQ's answer; false when the request already had one. */
export async function answerRequest(
  q: Q,
  id: string,
  status: 'won' | 'lost' | 'refused',
  answer: string,
  at: string,
): Promise<boolean> {
  const r = await q
    .updateTable('case_request')
    .set({ status, answer: answer.slice(0, 1000), answered_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

function requestView(r: CaseRequestRecord): CaseRequestView {
  return {
    id: r.id,
    action: r.action,
    moveToSessionId: r.move_to_session_id,
    supervisorId: r.supervisor_id,
    note: r.note,
    requestedAt: r.requested_at,
    status: r.status,
    answeredAt: r.answered_at,
    answer: r.answer,
  };
}

// ---- the waitlist mirror ------------------------------------------------------------------------------------------

/** An entry from a waitlist resolution; a promotion heard first keeps the entry promoted. */
export async function addWaitlistEntry(
  q: Q,
  e: {
    id: string;
    sessionId: string;
    registrantId: string;
    station: string;
    caseId: string;
    position: number | null;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('waitlist_entry')
    .values({
      id: e.id,
      session_id: e.sessionId,
      registrant_id: e.registrantId,
      station: e.station,
      case_id: e.caseId,
      position: e.position,
      status: 'waiting',
      added_at: e.at,
      promoted_at: null,
      sale_id: null,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ position: e.position, added_at: e.at }))
    .execute();
}

/** Returns false when the promotion was already recorded. */
export async function promoteWaitlistEntry(q: Q, p: Payload<'WaitlistPromoted'>, at: string): Promise<boolean> {
  const existing = await q.selectFrom('waitlist_entry').select('status').where('id', '=', p.entryId).executeTakeFirst();
  if (existing?.status === 'promoted') return false;
  await q
    .insertInto('waitlist_entry')
    .values({
      id: p.entryId,
      session_id: p.sessionId,
      registrant_id: p.registrantId,
      station: p.station,
      case_id: p.caseId,
      position: null,
      status: 'promoted',
      added_at: null,
      promoted_at: at,
      sale_id: p.saleId,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet({ status: 'promoted', promoted_at: at, sale_id: p.saleId }))
    .execute();
  return true;
}

export async function listWaitlist(q: Q, sessionId: string): Promise<WaitlistEntryView[]> {
  const rows = await q
    .selectFrom('waitlist_entry as w')
    .leftJoin('registrant as r', 'r.id', 'w.registrant_id')
    .select([
      'w.id',
      'w.session_id',
      'w.registrant_id',
      'w.station',
      'w.case_id',
      'w.position',
      'w.status',
      'w.added_at',
      'w.promoted_at',
      'w.sale_id',
      'r.first_name',
      'r.last_name',
    ])
    .where('w.session_id', '=', sessionId)
    .orderBy(sql`w.status = 'promoted'`)
    .orderBy('w.position')
    .orderBy('w.promoted_at')
    .execute();
  let place = 0;
  return rows.map((w) => ({
    id: w.id,
    sessionId: w.session_id,
    registrantId: w.registrant_id,
    name: w.first_name === null ? null : `${w.first_name} ${w.last_name ?? ''}`.trim(),
    station: w.station,
    caseId: w.case_id,
    place: w.status === 'waiting' ? ++place : null,
    status: w.status,
    addedAt: w.added_at,
    promotedAt: w.promoted_at,
    saleId: w.sale_id,
  }));
}

// ---- contact and refund -----------------------------------------------------------------------------------------

export async function flagForContact(
  q: Q,
  f: {
    caseId: string;
    registrantId: string;
    sessionId: string;
    action: string;
    refund: boolean;
    reason: string;
    at: string;
  },
): Promise<void> {
  await q
    .insertInto('contact_flag')
    .values({
      case_id: f.caseId,
      registrant_id: f.registrantId,
      session_id: f.sessionId,
      action: f.action,
      refund: f.refund ? 1 : 0,
      reason: f.reason,
      flagged_at: f.at,
      updated_at: f.at,
    })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  await q.updateTable('registrant').set({ flagged_for_contact: 1 }).where('id', '=', f.registrantId).execute();
}

/** A waitlisted person got a seat after all: no refund; tell them. */
export async function contactPromoted(q: Q, caseId: string, reason: string, at: string): Promise<void> {
  await q
    .updateTable('contact_flag')
    .set({ refund: 0, reason, updated_at: at })
    .where('case_id', '=', caseId)
    .execute();
}

export interface ContactRow {
  registrantId: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  company: string | null;
  confirmationCode: string | null;
  sessionId: string;
  sessionTitle: string | null;
  action: string;
  refund: boolean;
  reason: string;
  caseId: string;
  soldBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  flaggedAt: string;
  updatedAt: string;
}

export async function contactRows(q: Q): Promise<ContactRow[]> {
  const rows = await q
    .selectFrom('contact_flag as f')
    .leftJoin('registrant as r', 'r.id', 'f.registrant_id')
    .leftJoin('session as s', 's.id', 'f.session_id')
    .leftJoin('reconciliation_case as c', 'c.id', 'f.case_id')
    .select([
      'f.registrant_id',
      'r.first_name',
      'r.last_name',
      'r.email',
      'r.company',
      'r.confirmation_code',
      'f.session_id',
      's.title',
      'f.action',
      'f.refund',
      'f.reason',
      'f.case_id',
      'c.station',
      'c.resolved_at',
      'c.resolved_by',
      'f.flagged_at',
      'f.updated_at',
    ])
    .orderBy('f.flagged_at')
    .orderBy('f.case_id')
    .execute();
  return rows.map((r) => ({
    registrantId: r.registrant_id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    company: r.company,
    confirmationCode: r.confirmation_code,
    sessionId: r.session_id,
    sessionTitle: r.title,
    action: r.action,
    refund: r.refund === 1,
    reason: r.reason,
    caseId: r.case_id,
    soldBy: r.station,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    flaggedAt: r.flagged_at,
    updatedAt: r.updated_at,
  }));
}

/** Every case with its session's title, for the cases report. */
export async function caseReportRows(q: Q): Promise<(CaseRecord & { session_title: string | null })[]> {
  return q
    .selectFrom('reconciliation_case as c')
    .leftJoin('session as s', 's.id', 'c.session_id')
    .selectAll('c')
    .select('s.title as session_title')
    .orderBy('c.opened_at')
    .execute();
}

// ---- badges: revocations from HQ, and what the door knows ----------------------------------------------------------

/** Records HQ's revocation; false when already known. */
export async function recordRevocation(
  q: Q,
  r: { registrantId: string; version: number; reason: string; at: string },
): Promise<boolean> {
  const res = await q
    .insertInto('badge_revocation')
    .values({ registrant_id: r.registrantId, version: r.version, reason: r.reason, received_at: r.at })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** HQ's revocations of the registrant's badges: version → reason. */
export async function revocationsOf(q: Q, registrantId: string): Promise<Map<number, string>> {
  const rows = await q
    .selectFrom('badge_revocation')
    .select(['version', 'reason'])
    .where('registrant_id', '=', registrantId)
    .execute();
  return new Map(rows.map((r) => [r.version, r.reason]));
}

/** This station's badges of the registrant that are still valid (the person may hold one). */
export async function validBadgeVersions(q: Q, registrantId: string): Promise<number[]> {
  const rows = await q
    .selectFrom('badge')
    .select('version')
    .where('registrant_id', '=', registrantId)
    .where('status', '!=', 'voided')
    .orderBy('version')
    .execute();
  return rows.map((r) => r.version);
}

/**
 * Whether a badge carrying a seat sold at `since` may be in the person's hands: printed here since then, or a print
 * queued, sending or of unknown outcome.
 */
export async function badgePrintedSince(q: Q, registrantId: string, since: string): Promise<boolean> {
  const job = await q
    .selectFrom('print_job')
    .select('id')
    .where('registrant_id', '=', registrantId)
    .where('kind', '=', 'badge')
    .where('created_at', '>=', since)
    .where('status', 'in', ['queued', 'sending', 'printed', 'uncertain'])
    .limit(1)
    .executeTakeFirst();
  if (job) return true;
  const badge = await q
    .selectFrom('badge')
    .select('version')
    .where('registrant_id', '=', registrantId)
    .where('printed_at', '>=', since)
    .limit(1)
    .executeTakeFirst();
  return badge !== undefined;
}
