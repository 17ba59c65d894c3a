/** The conference catalogue: conference, sessions, ticket types, registrants and their search index. */
import { sql, type Selectable } from 'kysely';
import type { Conference, Registrant, RegistrationStatus, Session, TicketType } from '../../core/conference';
import { borrowBulkCache, returnBulkCache, type Db, type RawDb, type Tx } from './db';
import { codeKeys, codeTerms, deletionKeys, foldText, nameTerms } from './fold';
import type { ConferenceRow, RegistrantRow, SessionRow } from './schema';

type Q = Db | Tx;

export async function getConference(q: Q): Promise<Selectable<ConferenceRow> | undefined> {
  return q.selectFrom('conference').selectAll().limit(1).executeTakeFirst();
}

export async function upsertConference(q: Q, c: Conference, at: string): Promise<void> {
  const row = {
    id: c.id,
    name: c.name,
    timezone: c.timezone,
    starts_on: c.startsOn,
    ends_on: c.endsOn,
    policy_json: c.policy ? JSON.stringify(c.policy) : null,
    imported_at: at,
    logo: c.logo ?? null,
    currency: c.currency ?? null,
  };
  await q
    .insertInto('conference')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row }))
    .execute();
}

export async function upsertSessions(q: Q, conferenceId: string, sessions: Session[]): Promise<void> {
  for (const part of chunks(sessions, 500)) {
    const rows = part.map((s) => ({
      id: s.id,
      conference_id: conferenceId,
      title: s.title,
      room: s.room,
      starts_at: s.startsAt,
      ends_at: s.endsAt,
      capacity: s.capacity,
      sellable: s.sellable ? 1 : 0,
      policy_json: s.policy ? JSON.stringify(s.policy) : null,
      room_for_extra_chair: s.roomForExtraChair === false ? 0 : 1,
      oversell_default: s.oversellDefault ?? null,
      price: s.price ?? null,
      track: s.track ?? null,
    }));
    await q
      .insertInto('session')
      .values(rows)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          title: eb.ref('excluded.title'),
          room: eb.ref('excluded.room'),
          starts_at: eb.ref('excluded.starts_at'),
          ends_at: eb.ref('excluded.ends_at'),
          capacity: eb.ref('excluded.capacity'),
          sellable: eb.ref('excluded.sellable'),
          policy_json: eb.ref('excluded.policy_json'),
          room_for_extra_chair: eb.ref('excluded.room_for_extra_chair'),
          oversell_default: eb.ref('excluded.oversell_default'),
          price: eb.ref('excluded.price'),
          track: eb.ref('excluded.track'),
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
    ON CONFLICT (session_id) DO UPDATE SET capacity = excluded.capacity, sold = excluded.sold WHERE availability.version = 0`.execute(
    q,
  );
}

export async function upsertTicketTypes(q: Q, conferenceId: string, types: TicketType[]): Promise<void> {
  for (const t of types) {
    const row = {
      id: t.id,
      conference_id: conferenceId,
      name: t.name,
      badge_template: t.badgeTemplate,
      badge_label: t.badgeLabel || null,
      days_json: t.days ? JSON.stringify(t.days) : null,
      price: t.price ?? null,
      privileged: t.privileged ? 1 : 0,
      tracks_json: t.tracks ? JSON.stringify(t.tracks) : null,
    };
    await q
      .insertInto('ticket_type')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }
}

/**
 * Writes registrants with prepared statements on the raw connection: imports of tens of thousands of rows are
 * the one place where query-builder overhead dominates (import.rate benchmark). Statements are prepared once per
 * station; callers must run `upsert` inside the command's transaction (same connection, so it is atomic with it).
 */
export function registrantWriter(raw: RawDb) {
  const exists = raw.prepare<[string], { rid: number; desk_fields_json: string | null }>(
    'SELECT rid, desk_fields_json FROM registrant WHERE id = ?',
  );
  const byId = raw.prepare<[string], RegistrantKeyRow>(`SELECT ${keyColumns} FROM registrant WHERE id = ?`);
  const byCode = raw.prepare<[string], RegistrantKeyRow>(
    `SELECT ${keyColumns} FROM registrant WHERE confirmation_code = ? ORDER BY id`,
  );
  const upsert = raw.prepare(`
    INSERT INTO registrant (id, conference_id, confirmation_code, first_name, last_name, email, company, ticket_type_id, origin, created_at, updated_at, profile_json, status,
                            file_round, code_key, code_short)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET confirmation_code = excluded.confirmation_code, first_name = excluded.first_name,
      last_name = excluded.last_name, email = excluded.email, company = excluded.company, ticket_type_id = excluded.ticket_type_id,
      updated_at = excluded.updated_at, profile_json = excluded.profile_json, code_key = excluded.code_key, code_short = excluded.code_short,
      -- a new status from the source replaces the note of the old one (a desk's "accepted by…", an import's "not in the file")
      status_note = CASE WHEN registrant.status IS excluded.status THEN registrant.status_note END, status = excluded.status,
      file_round = coalesce(excluded.file_round, registrant.file_round),
      -- what the badge shows changed after it printed (anywhere this station heard of): it needs a reprint
      needs_reprint = CASE WHEN (registrant.first_name, registrant.last_name, registrant.company, registrant.ticket_type_id, registrant.profile_json)
                                IS NOT (excluded.first_name, excluded.last_name, excluded.company, excluded.ticket_type_id, excluded.profile_json)
                            AND EXISTS (SELECT 1 FROM badge_print bp WHERE bp.registrant_id = registrant.id) THEN 1 ELSE registrant.needs_reprint END
    -- unchanged rows are not rewritten: a re-import of the same file touches nothing but entitlements
    WHERE (registrant.confirmation_code, registrant.first_name, registrant.last_name, registrant.email, registrant.company, registrant.ticket_type_id, registrant.profile_json, registrant.status)
      IS NOT (excluded.confirmation_code, excluded.first_name, excluded.last_name, excluded.email, excluded.company, excluded.ticket_type_id, excluded.profile_json, excluded.status)`);
  // An unchanged row listed by a conference file still records that file's round (see cancelMissing).
  const listed = raw.prepare('UPDATE registrant SET file_round = ? WHERE id = ?');
  // The index is contentless: REPLACE by rowid keeps it in step with inserted and updated rows.
  const index = raw.prepare(
    'INSERT OR REPLACE INTO registrant_fts (rowid, name, email, company, confirmation_code) VALUES (?, ?, ?, ?, ?)',
  );
  const dropImported = raw.prepare(`DELETE FROM entitlement WHERE registrant_id = ? AND source = 'import'`);
  // A seat given back at a desk (seat_release) does not come back with the next import of the file.
  const entitle = raw.prepare(`
    INSERT INTO entitlement (registrant_id, session_id, source, sale_id, created_at)
    SELECT ?, ?, 'import', NULL, ? WHERE NOT EXISTS (SELECT 1 FROM seat_release WHERE registrant_id = ? AND session_id = ?)
    ON CONFLICT DO NOTHING`);
  const vocabulary = searchVocabulary(raw);
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
     * left alone. An import (`origin: 'import'`) never undoes what a desk set (desk_fields_json); `fileRound` marks
     * the registrants a conference file listed.
     */
    upsert(
      conferenceId: string,
      registrants: Registrant[],
      origin: 'import' | 'walkup' | 'hq',
      at: string,
      onProgress?: (phase: 'writing' | 'indexing', done: number, total: number) => void,
      seats: 'replace' | 'keep' = 'replace',
      fileRound: number | null = null,
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
      registrants.forEach((given, i) => {
        const existing = exists.get(given.id);
        const r =
          origin === 'import' && existing?.desk_fields_json ? withDeskFields(given, existing.desk_fields_json) : given;
        const code = codeKeys(r.confirmationCode);
        const written = upsert.run(
          r.id,
          conferenceId,
          r.confirmationCode,
          r.firstName,
          r.lastName,
          r.email,
          r.company,
          r.ticketTypeId,
          origin,
          at,
          at,
          profileJson(r),
          r.status ?? 'paid',
          fileRound,
          code.key,
          code.short,
        );
        if (written.changes > 0) {
          if (existing) updated++;
          else inserted++;
          toIndex.push([existing ? existing.rid : Number(written.lastInsertRowid), r]);
        } else if (fileRound !== null) listed.run(fileRound, r.id);
        if (!existing || seats === 'replace') {
          if (existing) dropImported.run(r.id);
          for (const sessionId of r.sessions) entitlements += entitle.run(r.id, sessionId, at, r.id, sessionId).changes;
        }
        if (onProgress && ((i + 1) % 2000 === 0 || i + 1 === registrants.length))
          onProgress('writing', i + 1, registrants.length);
      });
      // The index pass takes about as long as the rows: its own progress, or a full bar would sit still meanwhile.
      toIndex.forEach(([rowid, r], i) => {
        const f = indexRow(rowid, r);
        index.run(f.rowid, f.name, f.email, f.company, f.confirmation_code);
        vocabulary.add(r);
        if (onProgress && ((i + 1) % 2000 === 0 || i + 1 === toIndex.length))
          onProgress('indexing', i + 1, toIndex.length);
      });
      vocabulary.flush();
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

/** Fields a desk corrected win over the source's (null: the desk cleared the field); a desk's "paid" wins over "pending" only. */
export function withDeskFields(r: Registrant, deskFieldsJson: string): Registrant {
  const desk = JSON.parse(deskFieldsJson) as Record<string, unknown>;
  const out: Record<string, unknown> = { ...r };
  for (const [k, v] of Object.entries(desk)) {
    if (k === 'status') {
      if (r.status === undefined || r.status === 'pending') out.status = v;
    } else if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as Registrant;
}

const keyColumns = 'id, confirmation_code, first_name, last_name, email, company, ticket_type_id, profile_json, status';
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
  status: RegistrationStatus;
}

/** The optional fields for badges, as stored (keys in a fixed order, so an unchanged re-import compares equal). */
export const profileKeys = [
  'preferredName',
  'nameOrder',
  'pronouns',
  'country',
  'accessibility',
  'dietary',
  'answers',
  'sessionRoles',
] as const;
export type RegistrantProfile = Partial<Pick<Registrant, (typeof profileKeys)[number]>>;

export function profileJson(r: RegistrantProfile): string | null {
  const out: Record<string, unknown> = {};
  for (const k of profileKeys) {
    const v = r[k];
    if (
      v === undefined ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)
    )
      continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? JSON.stringify(out) : null;
}

/** The search index's row of a registrant: folded words of each column (fold.ts). */
export function indexRow(
  rowid: number,
  r: Pick<Registrant, 'firstName' | 'lastName' | 'preferredName' | 'email' | 'company' | 'confirmationCode'>,
) {
  return {
    rowid,
    // The preferred name too: staff search for "Bill" when William asks for his badge.
    name: nameTerms(`${r.firstName} ${r.lastName}${r.preferredName ? ` ${r.preferredName}` : ''}`).join(' '),
    email: foldText(r.email),
    company: nameTerms(r.company).join(' '),
    confirmation_code: codeTerms(r.confirmationCode).join(' '),
  };
}

/**
 * The near-spelling index (search_key): each name and company word of 3 letters or more, and its one-letter
 * deletions. Words are collected as registrants are written and added once per write (a word already known is
 * not written again).
 */
export function searchVocabulary(raw: RawDb) {
  const known = raw.prepare<[string, string], { n: number }>(
    'SELECT 1 AS n FROM search_key WHERE key = ? AND term = ?',
  );
  const insert = raw.prepare('INSERT OR IGNORE INTO search_key (key, term) VALUES (?, ?)');
  const pending = new Set<string>();
  return {
    add(r: Pick<Registrant, 'firstName' | 'lastName' | 'preferredName' | 'company'>) {
      for (const t of nameTerms(`${r.firstName} ${r.lastName} ${r.preferredName ?? ''} ${r.company}`))
        if ([...t].length >= 3) pending.add(t);
    },
    flush() {
      for (const t of pending) {
        if (known.get(t, t)) continue;
        for (const k of deletionKeys(t)) insert.run(k, t);
      }
      pending.clear();
    },
  };
}

export async function getRegistrantRow(q: Q, id: string): Promise<Selectable<RegistrantRow> | undefined> {
  return q.selectFrom('registrant').selectAll().where('id', '=', id).executeTakeFirst();
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
  const s = await q
    .selectFrom('session')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const r = await q
    .selectFrom('registrant')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { sessions: s.n, registrants: r.n };
}

function* chunks<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
