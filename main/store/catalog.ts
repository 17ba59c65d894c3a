/** The conference catalogue: conference, sessions, ticket types, registrants and their search index. */
import { sql, type Selectable } from 'kysely';
import type { RegistrantDetail, RegistrantSummary } from '../../core/api';
import type { Conference, Registrant, Session, TicketType } from '../../core/conference';
import { borrowBulkCache, returnBulkCache, type Db, type RawDb, type Tx } from './db';
import { foldText, queryTokens } from './fold';
import type { ConferenceRow, RegistrantRow, SessionRow } from './schema';

type Q = Db | Tx;

export async function getConference(q: Q): Promise<Selectable<ConferenceRow> | undefined> {
  return q.selectFrom('conference').selectAll().limit(1).executeTakeFirst();
}

export async function upsertConference(q: Q, c: Conference, at: string): Promise<void> {
  const row = { id: c.id, name: c.name, timezone: c.timezone, starts_on: c.startsOn, ends_on: c.endsOn, policy_json: c.policy ? JSON.stringify(c.policy) : null, imported_at: at, logo: c.logo ?? null };
  await q.insertInto('conference').values(row).onConflict((oc) => oc.column('id').doUpdateSet({ ...row })).execute();
}

export async function upsertSessions(q: Q, conferenceId: string, sessions: Session[]): Promise<void> {
  for (const part of chunks(sessions, 500)) {
    const rows = part.map((s) => ({
      id: s.id, conference_id: conferenceId, title: s.title, room: s.room, starts_at: s.startsAt, ends_at: s.endsAt,
      capacity: s.capacity, sellable: s.sellable ? 1 : 0, policy_json: s.policy ? JSON.stringify(s.policy) : null,
      room_for_extra_chair: s.roomForExtraChair === false ? 0 : 1, oversell_default: s.oversellDefault ?? null,
    }));
    await q
      .insertInto('session')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'), room: eb.ref('excluded.room'), starts_at: eb.ref('excluded.starts_at'),
          ends_at: eb.ref('excluded.ends_at'), capacity: eb.ref('excluded.capacity'), sellable: eb.ref('excluded.sellable'),
          policy_json: eb.ref('excluded.policy_json'), room_for_extra_chair: eb.ref('excluded.room_for_extra_chair'),
          oversell_default: eb.ref('excluded.oversell_default'),
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
    const row = { id: t.id, conference_id: conferenceId, name: t.name, badge_template: t.badgeTemplate, badge_label: t.badgeLabel || null, days_json: t.days ? JSON.stringify(t.days) : null };
    await q.insertInto('ticket_type').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
  }
}

/**
 * Writes registrants with prepared statements on the raw connection: imports of tens of thousands of rows are
 * the one place where query-builder overhead dominates (import.rate benchmark). Statements are prepared once per
 * station; callers must run `upsert` inside the command's transaction (same connection, so it is atomic with it).
 */
export function registrantWriter(raw: RawDb) {
  const exists = raw.prepare<[string], { rid: number }>('SELECT rid FROM registrant WHERE id = ?');
  const byId = raw.prepare<[string], RegistrantKeyRow>(`SELECT ${keyColumns} FROM registrant WHERE id = ?`);
  const byCode = raw.prepare<[string], RegistrantKeyRow>(`SELECT ${keyColumns} FROM registrant WHERE confirmation_code = ? ORDER BY id`);
  const upsert = raw.prepare(`
    INSERT INTO registrant (id, conference_id, confirmation_code, first_name, last_name, email, company, ticket_type_id, origin, created_at, updated_at, profile_json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET confirmation_code = excluded.confirmation_code, first_name = excluded.first_name,
      last_name = excluded.last_name, email = excluded.email, company = excluded.company, ticket_type_id = excluded.ticket_type_id,
      updated_at = excluded.updated_at, profile_json = excluded.profile_json
    -- unchanged rows are not rewritten: a re-import of the same file touches nothing but entitlements
    WHERE (registrant.confirmation_code, registrant.first_name, registrant.last_name, registrant.email, registrant.company, registrant.ticket_type_id, registrant.profile_json)
      IS NOT (excluded.confirmation_code, excluded.first_name, excluded.last_name, excluded.email, excluded.company, excluded.ticket_type_id, excluded.profile_json)`);
  // The index is contentless: REPLACE by rowid keeps it in step with inserted and updated rows.
  const index = raw.prepare('INSERT OR REPLACE INTO registrant_fts (rowid, name, email, company, confirmation_code) VALUES (?, ?, ?, ?, ?)');
  const dropImported = raw.prepare(`DELETE FROM entitlement WHERE registrant_id = ? AND source = 'import'`);
  const entitle = raw.prepare(`INSERT INTO entitlement (registrant_id, session_id, source, sale_id, created_at) VALUES (?, ?, 'import', NULL, ?) ON CONFLICT DO NOTHING`);
  /** A bulk upsert borrowed the large page cache (store/db.ts); `endBulk` gives it back after the commit. */
  let borrowed = false;

  return {
    /** The registrant with this id, for matching imported rows (inside the import's transaction). */
    find: (id: string): RegistrantKeyRow | undefined => byId.get(id),
    /** Registrants holding this confirmation code (one, unless older data has duplicates). */
    withCode: (code: string): RegistrantKeyRow[] => byCode.all(code),
    /**
     * Inserts or updates registrants (by id) and keeps the search index in step. With `seats: 'replace'` (the
     * default) the entitlements listed in the input replace the registrant's imported ones; with `'keep'` an
     * existing registrant's seats are left as they are (the input does not say). Seats sold at a desk are always
     * left alone.
     */
    upsert(
      conferenceId: string,
      registrants: Registrant[],
      origin: 'import' | 'walkup' | 'hq',
      at: string,
      onProgress?: (done: number) => void,
      seats: 'replace' | 'keep' = 'replace',
    ): { inserted: number; updated: number; entitlements: number } {
      if (!raw.inTransaction) throw new Error('registrantWriter.upsert must run inside a transaction');
      if (registrants.length >= BULK_ROWS && !borrowed) {
        borrowBulkCache(raw);
        borrowed = true;
      }
      let inserted = 0;
      let updated = 0;
      let entitlements = 0;
      // Two passes: rows first, then the search index. Interleaving the two B-tree writers costs twice as much.
      const toIndex: [number, Registrant][] = [];
      registrants.forEach((r, i) => {
        const existing = exists.get(r.id);
        const written = upsert.run(r.id, conferenceId, r.confirmationCode, r.firstName, r.lastName, r.email, r.company, r.ticketTypeId, origin, at, at, profileJson(r));
        if (written.changes > 0) {
          if (existing) updated++;
          else inserted++;
          toIndex.push([existing ? existing.rid : Number(written.lastInsertRowid), r]);
        }
        if (!existing || seats === 'replace') {
          if (existing) dropImported.run(r.id);
          for (const sessionId of r.sessions) entitlements += entitle.run(r.id, sessionId, at).changes;
        }
        if (onProgress && ((i + 1) % 2000 === 0 || i + 1 === registrants.length)) onProgress(i + 1);
      });
      for (const [rowid, r] of toIndex) {
        const f = indexRow(rowid, r);
        index.run(f.rowid, f.name, f.email, f.company, f.confirmation_code);
      }
      return { inserted, updated, entitlements };
    },
    /** Once the transaction of a bulk upsert has ended (the station's `inTx` calls it after every transaction). */
    endBulk(): void {
      if (borrowed && returnBulkCache(raw)) borrowed = false;
    },
  };
}
/** From this many rows an upsert is a bulk write (an import, HQ's snapshot chunk), with the large page cache. */
const BULK_ROWS = 1000;
export type RegistrantWriter = ReturnType<typeof registrantWriter>;

const keyColumns = 'id, confirmation_code, first_name, last_name, email, company, ticket_type_id, profile_json';
/** What an import needs to know about an existing registrant to match a row to them, or refuse to. */
export interface RegistrantKeyRow {
  id: string;
  confirmation_code: string;
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  ticket_type_id: string;
  profile_json: string | null;
}

/** The optional fields for badges, as stored (keys in a fixed order, so an unchanged re-import compares equal). */
export const profileKeys = ['preferredName', 'nameOrder', 'pronouns', 'country', 'accessibility', 'dietary', 'answers', 'sessionRoles'] as const;
export type RegistrantProfile = Partial<Pick<Registrant, (typeof profileKeys)[number]>>;

export function profileJson(r: RegistrantProfile): string | null {
  const out: Record<string, unknown> = {};
  for (const k of profileKeys) {
    const v = r[k];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)) continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

function indexRow(rowid: number, r: Registrant) {
  return {
    rowid,
    // The preferred name too: staff search for "Bill" when William asks for his badge.
    name: foldText(`${r.firstName} ${r.lastName}${r.preferredName ? ` ${r.preferredName}` : ''}`),
    email: foldText(r.email),
    company: foldText(r.company),
    confirmation_code: foldText(r.confirmationCode),
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
  const lastPrint = await q.selectFrom('badge_print').selectAll().where('registrant_id', '=', id).orderBy('version', 'desc').orderBy('printed_at', 'desc').executeTakeFirst();
  return {
    ...toSummary(r),
    ticketTypeName: r.ticket_type_name,
    origin: r.origin,
    flaggedForContact: r.flagged_for_contact === 1,
    sessions: sessions.map((s) => ({ sessionId: s.session_id, title: s.title, source: s.source, saleId: s.sale_id })),
    checkIns: checkIns.map((c) => ({ sessionId: c.session_id, at: c.at })),
    lastPrint: lastPrint ? { registrantId: id, version: lastPrint.version, station: lastPrint.station, printedAt: lastPrint.printed_at } : null,
  };
}

export async function listTicketTypes(q: Q): Promise<{ id: string; name: string }[]> {
  return q.selectFrom('ticket_type').select(['id', 'name']).orderBy('name').execute();
}

export async function ticketTypeExists(q: Q, id: string): Promise<boolean> {
  return (await q.selectFrom('ticket_type').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Every ticket type and session id, for checking imported rows. */
export async function catalogIds(q: Q): Promise<{ ticketTypes: Set<string>; sessions: Set<string> }> {
  const tickets = await q.selectFrom('ticket_type').select('id').execute();
  const sessions = await q.selectFrom('session').select('id').execute();
  return { ticketTypes: new Set(tickets.map((t) => t.id)), sessions: new Set(sessions.map((x) => x.id)) };
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
