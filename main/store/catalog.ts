/** The conference catalogue: conference, sessions, ticket types, registrants and their search index. */
import { sql, type Selectable } from 'kysely';
import type { RegistrantDetail, RegistrantSummary } from '../../core/api';
import type { Conference, Registrant, Session, TicketType } from '../../core/conference';
import type { Db, Tx } from './db';
import { foldText, queryTokens } from './fold';
import type { ConferenceRow, RegistrantRow, SessionRow } from './schema';

type Q = Db | Tx;

export async function getConference(q: Q): Promise<Selectable<ConferenceRow> | undefined> {
  return q.selectFrom('conference').selectAll().limit(1).executeTakeFirst();
}

export async function upsertConference(q: Q, c: Conference, at: string): Promise<void> {
  const row = { id: c.id, name: c.name, timezone: c.timezone, starts_on: c.startsOn, ends_on: c.endsOn, policy_json: c.policy ? JSON.stringify(c.policy) : null, imported_at: at };
  await q.insertInto('conference').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ ...row })).execute();
}

export async function upsertSessions(q: Q, conferenceId: string, sessions: Session[]): Promise<void> {
  for (const part of chunks(sessions, 500)) {
    const rows = part.map((s) => ({
      id: s.id, conference_id: conferenceId, title: s.title, room: s.room, starts_at: s.startsAt, ends_at: s.endsAt,
      capacity: s.capacity, sellable: s.sellable ? 1 : 0, policy_json: s.policy ? JSON.stringify(s.policy) : null,
    }));
    await q
      .insertInto('session')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'), room: eb.ref('excluded.room'), starts_at: eb.ref('excluded.starts_at'),
          ends_at: eb.ref('excluded.ends_at'), capacity: eb.ref('excluded.capacity'), sellable: eb.ref('excluded.sellable'),
          policy_json: eb.ref('excluded.policy_json'),
        })),
      )
      .execute();
  }
}

/**
 * Until HQ speaks, a session's numbers come from the import (sold = entitlements held); once HQ has sent a
 * version, only HQ changes them.
 */
export async function refreshImportedAvailability(q: Q): Promise<void> {
  await sql`
    INSERT INTO availability (session_id, capacity, sold, allotted, version, sales_rate, hq_time, received_at)
    SELECT s.id, s.capacity, (SELECT count(*) FROM entitlement e WHERE e.session_id = s.id), 0, 0, 0, NULL, NULL
    FROM session s WHERE true
    ON CONFLICT (session_id) DO UPDATE SET capacity = excluded.capacity, sold = excluded.sold WHERE availability.version = 0`.execute(q);
}

export async function upsertTicketTypes(q: Q, conferenceId: string, types: TicketType[]): Promise<void> {
  for (const t of types) {
    const row = { id: t.id, conference_id: conferenceId, name: t.name, badge_template: t.badgeTemplate };
    await q.insertInto('ticket_type').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  }
}

/**
 * Inserts or updates registrants (by id) and keeps the search index in step. Entitlements listed in the input
 * replace the registrant's imported ones; seats sold at a desk are left alone.
 */
export async function upsertRegistrants(
  q: Q,
  conferenceId: string,
  registrants: Registrant[],
  origin: 'import' | 'walkup' | 'hq',
  at: string,
  onChunk?: (done: number) => void,
): Promise<{ inserted: number; updated: number; entitlements: number }> {
  let inserted = 0;
  let updated = 0;
  let entitlements = 0;
  let done = 0;
  for (const part of chunks(registrants, 400)) {
    const ids = part.map((r) => r.id);
    const existing = new Set((await q.selectFrom('registrant').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    const rows = part.map((r) => ({
      id: r.id, conference_id: conferenceId, confirmation_code: r.confirmationCode, first_name: r.firstName, last_name: r.lastName,
      email: r.email, company: r.company, ticket_type_id: r.ticketTypeId, origin, created_at: at, updated_at: at,
    }));
    const written = await q
      .insertInto('registrant')
      .values(rows)
      .onConflict((oc) =>
        oc
          .column('id')
          .doUpdateSet((eb) => ({
            confirmation_code: eb.ref('excluded.confirmation_code'), first_name: eb.ref('excluded.first_name'),
            last_name: eb.ref('excluded.last_name'), email: eb.ref('excluded.email'), company: eb.ref('excluded.company'),
            ticket_type_id: eb.ref('excluded.ticket_type_id'), updated_at: eb.ref('excluded.updated_at'),
          }))
          // Unchanged rows are not rewritten (a re-import of the same file touches nothing but entitlements).
          .where(sql<boolean>`(registrant.confirmation_code, registrant.first_name, registrant.last_name, registrant.email, registrant.company, registrant.ticket_type_id)
            IS NOT (excluded.confirmation_code, excluded.first_name, excluded.last_name, excluded.email, excluded.company, excluded.ticket_type_id)`),
      )
      .returning(['rid', 'id', 'first_name', 'last_name', 'email', 'company', 'confirmation_code'])
      .execute();
    for (const w of written) {
      if (existing.has(w.id)) updated++;
      else inserted++;
    }
    // The index is contentless: REPLACE by rowid keeps it in step with inserted and updated rows.
    if (written.length) await q.replaceInto('registrant_fts').values(written.map(indexRow)).execute();
    const withSessions = part.filter((r) => r.sessions.length > 0 || existing.has(r.id));
    if (withSessions.length) {
      await q.deleteFrom('entitlement').where('source', '=', 'import').where('registrant_id', 'in', withSessions.map((r) => r.id)).execute();
      const ents = withSessions.flatMap((r) => r.sessions.map((s) => ({ registrant_id: r.id, session_id: s, source: 'import' as const, sale_id: null, created_at: at })));
      for (const e of chunks(ents, 1000)) {
        await q.insertInto('entitlement').values(e).onConflict((oc) => oc.doNothing()).execute();
        entitlements += e.length;
      }
    }
    done += part.length;
    onChunk?.(done);
  }
  return { inserted, updated, entitlements };
}

function indexRow(w: { rid: number; first_name: string; last_name: string; email: string; company: string; confirmation_code: string }) {
  return {
    rowid: w.rid,
    name: foldText(`${w.first_name} ${w.last_name}`),
    email: foldText(w.email),
    company: foldText(w.company),
    confirmation_code: foldText(w.confirmation_code),
  };
}

const summaryColumns = ['r.id', 'r.confirmation_code', 'r.first_name', 'r.last_name', 'r.email', 'r.company', 'r.ticket_type_id'] as const;
const toSummary = (r: Pick<Selectable<RegistrantRow>, 'id' | 'confirmation_code' | 'first_name' | 'last_name' | 'email' | 'company' | 'ticket_type_id'>): RegistrantSummary => ({
  id: r.id, confirmationCode: r.confirmation_code, firstName: r.first_name, lastName: r.last_name, email: r.email, company: r.company, ticketTypeId: r.ticket_type_id,
});

/** Prefix match on every word, any order; ranked by bm25 with names and codes weighted above company. */
export async function searchRegistrants(q: Q, query: string, limit: number): Promise<RegistrantSummary[]> {
  const tokens = queryTokens(query);
  if (tokens.length === 0) return [];
  const match = tokens.map((t) => `"${t}"*`).join(' ');
  const rows = await sql<Selectable<RegistrantRow>>`
    SELECT r.id, r.confirmation_code, r.first_name, r.last_name, r.email, r.company, r.ticket_type_id
    FROM registrant_fts f JOIN registrant r ON r.rid = f.rowid
    WHERE registrant_fts MATCH ${match}
    ORDER BY bm25(registrant_fts, 10.0, 4.0, 1.0, 8.0), r.last_name, r.first_name
    LIMIT ${limit}`.execute(q);
  return rows.rows.map(toSummary);
}

/** The naive baseline the search benchmark compares against (LIKE over every row). */
export async function searchRegistrantsNaive(q: Q, query: string, limit: number): Promise<RegistrantSummary[]> {
  const tokens = query.trim().split(/\s+/).filter(Boolean);
  let sel = q.selectFrom('registrant as r').select(summaryColumns);
  for (const t of tokens) {
    const like = `%${t}%`;
    sel = sel.where((eb) => eb.or([eb('r.first_name', 'like', like), eb('r.last_name', 'like', like), eb('r.email', 'like', like), eb('r.company', 'like', like), eb('r.confirmation_code', 'like', like)]));
  }
  return (await sel.limit(limit).execute()).map(toSummary);
}

export async function getRegistrantRow(q: Q, id: string): Promise<Selectable<RegistrantRow> | undefined> {
  return q.selectFrom('registrant').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getRegistrantDetail(q: Q, id: string): Promise<RegistrantDetail | undefined> {
  const r = await q
    .selectFrom('registrant as r')
    .innerJoin('ticket_type as t', 't.id', 'r.ticket_type_id')
    .select([...summaryColumns, 'r.origin', 'r.flagged_for_contact', 't.name as ticket_type_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const sessions = await q
    .selectFrom('entitlement as e')
    .innerJoin('session as s', 's.id', 'e.session_id')
    .select(['e.session_id', 's.title', 'e.source', 'e.sale_id'])
    .where('e.registrant_id', '=', id)
    .orderBy('s.starts_at')
    .execute();
  const checkIns = await q.selectFrom('check_in').select(['session_id', 'at']).where('registrant_id', '=', id).orderBy('id').execute();
  return {
    ...toSummary(r),
    ticketTypeName: r.ticket_type_name,
    origin: r.origin,
    flaggedForContact: r.flagged_for_contact === 1,
    sessions: sessions.map((s) => ({ sessionId: s.session_id, title: s.title, source: s.source, saleId: s.sale_id })),
    checkIns: checkIns.map((c) => ({ sessionId: c.session_id, at: c.at })),
  };
}

export async function ticketTypeExists(q: Q, id: string): Promise<boolean> {
  return (await q.selectFrom('ticket_type').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export async function getSession(q: Q, id: string): Promise<Selectable<SessionRow> | undefined> {
  return q.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listSessions(q: Q): Promise<Selectable<SessionRow>[]> {
  return q.selectFrom('session').selectAll().orderBy('starts_at').orderBy('title').execute();
}

export async function catalogCounts(q: Q): Promise<{ sessions: number; registrants: number }> {
  const s = await q.selectFrom('session').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const r = await q.selectFrom('registrant').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { sessions: s.n, registrants: r.n };
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
