/**
 * Finding a person at a desk (issue 19, item 5): a scanned badge or confirmation code first, then every word as a
 * prefix (FTS5, folded text, fold.ts), then — only when that finds nobody — near spellings of the words typed
 * ("jsoe" → José, "fitzgerld" → Fitzgerald) from the search_key index. Results say what the desk needs to see at a
 * glance: ticket type, whether the badge printed (or needs a reprint), whether they checked in.
 */
import distance from 'damerau-levenshtein';
import { sql, type Selectable } from 'kysely';
import type { RegistrantSummary } from '../../core/api';
import { parseBadgeCode } from '../../core/badge/badge-code';
import type { Db, RawDb, Tx } from './db';
import { codeKeys, queryTokens } from './fold';
import { indexRow, searchVocabulary } from './catalog';
import type { RegistrantRow } from './schema';

type Q = Db | Tx;
type Match = NonNullable<RegistrantSummary['match']>;

interface SummaryRow {
  id: string;
  confirmation_code: string;
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  ticket_type_id: string;
  ticket_type_name: string;
  status: RegistrantSummary['status'];
  needs_reprint: number;
  printed: number;
  checked_in: number;
}

/** The summary's columns over `registrant r` joined to `ticket_type t` (the two EXISTS use their indexes). */
const summaryColumns = sql`r.id, r.confirmation_code, r.first_name, r.last_name, r.email, r.company, r.ticket_type_id, t.name AS ticket_type_name, r.status,
  r.needs_reprint, EXISTS (SELECT 1 FROM badge_print bp WHERE bp.registrant_id = r.id) AS printed,
  EXISTS (SELECT 1 FROM check_in c WHERE c.registrant_id = r.id) AS checked_in`;

export const toSummary = (r: SummaryRow, match?: Match): RegistrantSummary => ({
  id: r.id,
  confirmationCode: r.confirmation_code,
  firstName: r.first_name,
  lastName: r.last_name,
  email: r.email,
  company: r.company,
  ticketTypeId: r.ticket_type_id,
  ticketTypeName: r.ticket_type_name,
  status: r.status,
  printed: r.printed === 1,
  needsReprint: r.needs_reprint === 1,
  checkedIn: r.checked_in === 1,
  ...(match ? { match } : {}),
});

export async function registrantSummary(q: Q, id: string): Promise<RegistrantSummary | undefined> {
  const r =
    await sql<SummaryRow>`SELECT ${summaryColumns} FROM registrant r JOIN ticket_type t ON t.id = r.ticket_type_id WHERE r.id = ${id}`.execute(
      q,
    );
  return r.rows[0] ? toSummary(r.rows[0]) : undefined;
}

/**
 * The registrant a desk means by `ref`: an id, or a confirmation code however it is typed ("ldc5scq9w",
 * "LDC-5SCQ9W"), or the code's last group alone ("5SCQ9W") when only one person has it. Prepared statements on the
 * raw connection: every request that names a registrant (a sale among them) resolves its reference first, and Kysely
 * built each of these queries anew (~15 µs a sale, the sale.commit benchmark). It reads the connection as it stands,
 * without waiting for Kysely's queue: a reference only becomes an id here, and the handler reads the person again in
 * its own transaction, so a row another command is half-way through writing changes at most which id is passed on.
 */
export function registrantRefResolver(raw: RawDb): (ref: string) => string | undefined {
  const byId = raw.prepare<[string], { id: string }>('SELECT id FROM registrant WHERE id = ?').pluck();
  const byKey = raw.prepare<[string], { id: string }>('SELECT id FROM registrant WHERE code_key = ? LIMIT 2').pluck();
  const byShort = raw
    .prepare<[string], { id: string }>('SELECT id FROM registrant WHERE code_short = ? LIMIT 2')
    .pluck();
  const one = (ids: unknown[]) => (ids.length === 1 ? (ids[0] as string) : undefined);
  return (ref) => {
    const id = byId.get(ref) as string | undefined;
    if (id !== undefined) return id;
    const { key } = codeKeys(ref);
    if (key.length < 3) return undefined;
    const keyed = byKey.all(key);
    return keyed.length > 0 ? one(keyed) : one(byShort.all(key));
  };
}

/** How far a word may be from what was typed: one edit for short words, two from six letters on. */
const maxEdits = (len: number) => (len >= 6 ? 2 : 1);

/**
 * Search: a badge's QR code (LY1|…) or a confirmation code finds that person; otherwise every word is a prefix of a
 * name, e-mail, company or code word, ranked by bm25 with names and codes above company; when nobody matches,
 * near spellings of the words (one or two edits) are tried.
 */
export async function searchRegistrants(q: Q, query: string, limit: number): Promise<RegistrantSummary[]> {
  const text = query.trim();
  const badge = parseBadgeCode(text);
  if (badge.ok) {
    const one = await registrantSummary(q, badge.claims.registrantId);
    return one ? [{ ...one, match: 'badge' }] : [];
  }
  const tokens = queryTokens(text);
  if (tokens.length === 0) return [];
  // A code typed or scanned any way (one word with a digit): an exact hit is the person.
  const { key } = codeKeys(text);
  if (key.length >= 4 && /\d/.test(key) && tokens.length <= 3) {
    const rows = await sql<SummaryRow>`
      SELECT ${summaryColumns} FROM registrant r JOIN ticket_type t ON t.id = r.ticket_type_id
      WHERE r.code_key = ${key} OR r.code_short = ${key} ORDER BY r.code_key = ${key} DESC, r.id LIMIT ${limit}`.execute(
      q,
    );
    if (rows.rows.length > 0) return rows.rows.map((r) => toSummary(r, 'code'));
  }
  const words = await ftsSearch(q, tokens.map((t) => `"${t}"*`).join(' '), limit);
  if (words.length > 0) return words.map((r) => toSummary(r, 'words'));
  return (await nearSearch(q, tokens, limit)).map((r) => toSummary(r, 'near'));
}

async function ftsSearch(q: Q, match: string, limit: number): Promise<SummaryRow[]> {
  // Ranked first, described after: the ticket name and the printed/checked-in state (two lookups a row) are worked
  // out for the `limit` rows shown, not for every row a short prefix matches (thousands for "jo").
  const rows = await sql<SummaryRow>`
    SELECT ${summaryColumns}
    FROM (
      SELECT r.rid, bm25(registrant_fts, 10.0, 4.0, 1.0, 8.0) AS rank, r.last_name AS ln, r.first_name AS fn
      FROM registrant_fts f JOIN registrant r ON r.rid = f.rowid
      WHERE registrant_fts MATCH ${match}
      ORDER BY rank, ln, fn
      LIMIT ${limit}
    ) h JOIN registrant r ON r.rid = h.rid JOIN ticket_type t ON t.id = r.ticket_type_id
    ORDER BY h.rank, h.ln, h.fn`.execute(q);
  return rows.rows;
}

/**
 * Near spellings: each word of 4 letters or more is looked up by its one-letter deletions in search_key (two words
 * one edit apart — a letter missing, added, changed or two swapped — share a key), the candidates are checked with
 * the real (Damerau) edit distance, and the closest few replace the word in the prefix query.
 */
async function nearSearch(q: Q, tokens: string[], limit: number): Promise<SummaryRow[]> {
  let widened = false;
  const parts: string[] = [];
  for (const t of tokens) {
    const len = [...t].length;
    if (len < 4) {
      parts.push(`"${t}"*`);
      continue;
    }
    const keys = [t, ...[...t].map((_, i) => [...t].slice(0, i).join('') + [...t].slice(i + 1).join(''))];
    const found = await q
      .selectFrom('search_key')
      .select('term')
      .distinct()
      .where('key', 'in', [...new Set(keys)])
      .limit(200)
      .execute();
    const near = found
      .map((f) => ({ term: f.term, steps: f.term === t ? 0 : distance(t, f.term).steps }))
      .filter((c) => c.steps > 0 && c.steps <= maxEdits(len))
      .sort((a, b) => a.steps - b.steps || a.term.localeCompare(b.term))
      .slice(0, 8);
    if (near.length > 0) widened = true;
    parts.push(`("${t}"*${near.map((c) => ` OR "${c.term}"`).join('')})`);
  }
  return widened ? ftsSearch(q, parts.join(' AND '), limit) : [];
}

/** The naive baseline the search benchmark compares against (LIKE over every row). */
export async function searchRegistrantsNaive(
  q: Q,
  query: string,
  limit: number,
): Promise<Pick<Selectable<RegistrantRow>, 'id'>[]> {
  const tokens = query.trim().split(/\s+/).filter(Boolean);
  let sel = q
    .selectFrom('registrant as r')
    .select(['r.id', 'r.first_name', 'r.last_name', 'r.email', 'r.company', 'r.confirmation_code']);
  for (const t of tokens) {
    const like = `%${t}%`;
    sel = sel.where((eb) =>
      eb.or([
        eb('r.first_name', 'like', like),
        eb('r.last_name', 'like', like),
        eb('r.email', 'like', like),
        eb('r.company', 'like', like),
        eb('r.confirmation_code', 'like', like),
      ]),
    );
  }
  return sel.limit(limit).execute();
}

/** Bumped when the index's words change (fold.ts); a database indexed by an older version is re-indexed at open. */
export const SEARCH_INDEX_VERSION = '2';

/**
 * Re-indexes every registrant when the database was indexed by an older version (the words of fold.ts, the code
 * keys, the near-spelling index): once, at open, in one transaction (~1 s for 50,000 registrants).
 */
export function ensureSearchIndex(raw: RawDb): boolean {
  const current = raw
    .prepare<[], { value: string }>(`SELECT value FROM settings WHERE key = 'search.index'`)
    .get()?.value;
  if (current === SEARCH_INDEX_VERSION) return false;
  raw.transaction(() => {
    const rows = raw
      .prepare<
        [],
        {
          rid: number;
          id: string;
          first_name: string;
          last_name: string;
          email: string;
          company: string;
          confirmation_code: string;
          profile_json: string | null;
        }
      >('SELECT rid, id, first_name, last_name, email, company, confirmation_code, profile_json FROM registrant')
      .all();
    if (rows.length > 0) {
      raw.exec(`INSERT INTO registrant_fts (registrant_fts) VALUES ('delete-all')`);
      const index = raw.prepare(
        'INSERT INTO registrant_fts (rowid, name, email, company, confirmation_code) VALUES (?, ?, ?, ?, ?)',
      );
      const codes = raw.prepare('UPDATE registrant SET code_key = ?, code_short = ? WHERE rid = ?');
      const vocabulary = searchVocabulary(raw);
      for (const r of rows) {
        const preferredName = r.profile_json
          ? (JSON.parse(r.profile_json) as { preferredName?: string }).preferredName
          : undefined;
        const person = {
          firstName: r.first_name,
          lastName: r.last_name,
          email: r.email,
          company: r.company,
          confirmationCode: r.confirmation_code,
          ...(preferredName ? { preferredName } : {}),
        };
        const f = indexRow(r.rid, person);
        index.run(f.rowid, f.name, f.email, f.company, f.confirmation_code);
        const k = codeKeys(r.confirmation_code);
        codes.run(k.key, k.short, r.rid);
        vocabulary.add(person);
      }
      vocabulary.flush();
    }
    raw
      .prepare(
        `INSERT INTO settings (key, value) VALUES ('search.index', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      )
      .run(SEARCH_INDEX_VERSION);
  })();
  return true;
}
