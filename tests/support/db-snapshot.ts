import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';

/** A digest of every row of every table (but `except`): equal digests mean nothing was written. */
export function dbDigest(path: string, except: string[] = []): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as { name: string }[];
    const h = createHash('sha256');
    for (const { name } of tables.filter((t) => !except.includes(t.name))) {
      h.update(`#${name}\n`);
      for (const row of db.prepare(`SELECT * FROM "${name}"`).raw().iterate())
        h.update(JSON.stringify(row, (_k, v) => (Buffer.isBuffer(v) ? v.toString('hex') : v)) + '\n');
    }
    return h.digest('hex');
  } finally {
    db.close();
  }
}

/** Runs SQL against a station file behind the app's back (to simulate tampering). */
export function rawExec(path: string, sql: string, ...params: unknown[]): void {
  const db = new Database(path);
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

export function rawAll<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
