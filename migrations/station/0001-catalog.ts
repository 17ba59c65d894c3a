/** The conference catalogue: conference, sessions, ticket types, registrants (+ FTS5), entitlements. */
import type { Kysely } from 'kysely';
import { runSql } from './run-sql';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runSql(db, [
    `CREATE TABLE conference (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, timezone TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL,
      policy_json TEXT, imported_at TEXT NOT NULL) STRICT`,
    `CREATE TABLE session (
      id TEXT PRIMARY KEY, conference_id TEXT NOT NULL REFERENCES conference(id), title TEXT NOT NULL, room TEXT NOT NULL,
      starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, capacity INTEGER NOT NULL CHECK (capacity >= 0),
      sellable INTEGER NOT NULL DEFAULT 1, policy_json TEXT) STRICT`,
    `CREATE TABLE ticket_type (
      id TEXT PRIMARY KEY, conference_id TEXT NOT NULL REFERENCES conference(id), name TEXT NOT NULL,
      badge_template TEXT NOT NULL) STRICT`,
    // rid is the stable integer key the FTS index points at; id is the domain id.
    `CREATE TABLE registrant (
      rid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, conference_id TEXT NOT NULL REFERENCES conference(id),
      confirmation_code TEXT NOT NULL, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL,
      company TEXT NOT NULL, ticket_type_id TEXT NOT NULL REFERENCES ticket_type(id),
      origin TEXT NOT NULL CHECK (origin IN ('import', 'walkup', 'hq')),
      flagged_for_contact INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`,
    `CREATE INDEX registrant_code ON registrant(confirmation_code)`,
    // Search index over the fields staff type at a desk. Contentless (it stores only the index): the repository
    // writes folded text (José → jose, Łukasz → lukasz, Søren → soren) that SQLite's own diacritic folding misses.
    `CREATE VIRTUAL TABLE registrant_fts USING fts5(
      name, email, company, confirmation_code,
      content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')`,
    `CREATE TABLE entitlement (
      registrant_id TEXT NOT NULL REFERENCES registrant(id), session_id TEXT NOT NULL REFERENCES session(id),
      source TEXT NOT NULL CHECK (source IN ('import', 'sale')), sale_id TEXT, created_at TEXT NOT NULL,
      PRIMARY KEY (registrant_id, session_id)) STRICT, WITHOUT ROWID`,
    `CREATE INDEX entitlement_session ON entitlement(session_id)`,
  ]);
}
