/**
 * Is the station database sound? `PRAGMA quick_check` (every page, cell and record; no cross-check of indexes
 * against their tables) when the station opens, `PRAGMA integrity_check` (everything) on demand (audit-verify).
 *
 * quick_check reads the whole file: ~1 ms per 1,000 registrants' worth on the build machine, 125–240 ms at 50,000
 * (main/README.md). A kiosk must be back within ~150 ms of opening, so a large database is checked in a worker
 * thread with its own read-only connection (WAL lets it read while the station serves), and writes wait for the
 * verdict. A small one is checked at once, on the station's own connection.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RawDb } from './db';

export interface IntegrityVerdict {
  ok: boolean;
  /** SQLite's first few findings, one line each (empty when ok). */
  problems: string[];
}

const MAX_PROBLEMS = 5;

function verdictOf(rows: unknown[]): IntegrityVerdict {
  const lines = rows
    .flatMap((r) => String(Object.values(r as Record<string, unknown>)[0] ?? r).split('\n'))
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('***'));
  const ok = lines.length === 1 && lines[0] === 'ok';
  return { ok, problems: ok ? [] : lines.slice(0, MAX_PROBLEMS) };
}

function failed(e: unknown): IntegrityVerdict {
  return { ok: false, problems: [e instanceof Error ? e.message : String(e)] };
}

/** Pages in the database (a cheap read of the header); decides where quick_check runs. */
export function pageCount(raw: RawDb): number {
  return raw.pragma('page_count', { simple: true }) as number;
}

export function quickCheck(raw: RawDb): IntegrityVerdict {
  try {
    return verdictOf(raw.pragma(`quick_check(${MAX_PROBLEMS})`) as unknown[]);
  } catch (e) {
    return failed(e);
  }
}

export function fullIntegrityCheck(raw: RawDb): IntegrityVerdict {
  try {
    return verdictOf(raw.pragma(`integrity_check(${MAX_PROBLEMS})`) as unknown[]);
  } catch (e) {
    return failed(e);
  }
}

// The worker is plain CommonJS evaluated from this string (no separate file for tsx, the bundler or Electron to
// find); it loads the same better-sqlite3 the station uses, by its resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  parentPort.postMessage({ rows: db.pragma('quick_check(' + workerData.max + ')') });
} catch (e) {
  parentPort.postMessage({ error: e && e.message ? e.message : String(e) });
} finally {
  if (db) db.close();
}`;

/** quick_check of the file at `path` in a worker thread; never rejects. */
export function quickCheckInWorker(path: string): Promise<IntegrityVerdict> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { path, driver: createRequire(import.meta.url).resolve('better-sqlite3'), max: MAX_PROBLEMS },
      });
    } catch (e) {
      resolve(failed(e));
      return;
    }
    worker.once('message', (m: { rows?: unknown[]; error?: string }) =>
      resolve(m.rows ? verdictOf(m.rows) : { ok: false, problems: [m.error ?? 'the integrity check failed'] }),
    );
    worker.once('error', (e) => resolve(failed(e)));
    worker.once('exit', (code) => resolve({ ok: false, problems: [`the integrity check stopped (exit ${code})`] }));
  });
}

/** After a failed check: the connection refuses every write (SQLite's query_only), whoever issues it. */
export function refuseWrites(raw: RawDb): void {
  raw.pragma('query_only = ON');
}
