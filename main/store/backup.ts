/**
 * Backups of the station database and what a restore must do before the station takes another seq.
 *
 * A backup is SQLite's online backup (better-sqlite3's `backup`): a consistent copy taken page by page while the
 * station keeps serving. Restoring one is checked first (SQLite's full integrity check and the audit log's hash
 * chain) and then marks the stream as unknown (`stream_recovery`, migration 0015): HQ may already hold events this
 * station sent after the backup, under seqs the restored outbox would hand out again.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { AuditChainVerification } from './audit';
import { verifyAudit } from './audit';
import type { Db, RawDb, Tx } from './db';
import { fullIntegrityCheck, type IntegrityVerdict } from './integrity';
import type { StationDB } from './schema';

type Q = Db | Tx;

/** An online backup of the open database into `file` (which must not exist yet). */
export async function backupDatabase(raw: RawDb, file: string): Promise<{ pages: number }> {
  const r = await raw.backup(file);
  return { pages: r.totalPages };
}

export interface BackupCheck {
  integrity: IntegrityVerdict;
  audit: AuditChainVerification;
  /** Whose database it is (null when the file does not say). */
  stationId: string | null;
  /** The last seq the backup's outbox handed out (0: none). */
  lastSeq: number;
}

/** Reads a backup without changing it: SQLite's full integrity check, the audit chain, whose it is. */
export async function checkBackupFile(file: string): Promise<BackupCheck> {
  const raw = new Database(file, { readonly: true, fileMustExist: true });
  const db = new Kysely<StationDB>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    const integrity = fullIntegrityCheck(raw);
    if (!integrity.ok)
      return {
        integrity,
        audit: { ok: false, rows: 0, problem: 'not checked: the file is damaged', firstBadSeq: null },
        stationId: null,
        lastSeq: 0,
      };
    let audit: AuditChainVerification;
    try {
      audit = await verifyAudit(db);
    } catch (e) {
      audit = {
        ok: false,
        rows: 0,
        problem: `the audit log cannot be read (${e instanceof Error ? e.message : String(e)})`,
        firstBadSeq: null,
      };
    }
    const id = await db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', 'station.id')
      .executeTakeFirst()
      .catch(() => undefined);
    const seq = await db
      .selectFrom('counter')
      .select('value')
      .where('name', '=', 'outbox')
      .executeTakeFirst()
      .catch(() => undefined);
    return { integrity, audit, stationId: id?.value ?? null, lastSeq: seq?.value ?? 0 };
  } finally {
    await db.destroy();
  }
}

// ---- the stream after a restore ---------------------------------------------------------------------------------

export interface StreamRecovery {
  restoredAt: string;
  backupFile: string;
  backupLastSeq: number;
  requestedAt: string | null;
}

export async function streamRecovery(q: Q): Promise<StreamRecovery | null> {
  const r = await q.selectFrom('stream_recovery').selectAll().where('id', '=', 1).executeTakeFirst();
  return r
    ? {
        restoredAt: r.restored_at,
        backupFile: r.backup_file,
        backupLastSeq: r.backup_last_seq,
        requestedAt: r.requested_at,
      }
    : null;
}

/** From now until HQ answered, SQLite refuses every new outbox row (the trigger of migration 0015). */
export async function beginStreamRecovery(q: Q, r: { restoredAt: string; backupFile: string }): Promise<number> {
  const lastSeq =
    (await q.selectFrom('counter').select('value').where('name', '=', 'outbox').executeTakeFirst())?.value ?? 0;
  await q
    .insertInto('stream_recovery')
    .values({
      id: 1,
      restored_at: r.restoredAt,
      backup_file: r.backupFile,
      backup_last_seq: lastSeq,
      requested_at: null,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        restored_at: r.restoredAt,
        backup_file: r.backupFile,
        backup_last_seq: lastSeq,
        requested_at: null,
      }),
    )
    .execute();
  return lastSeq;
}

export async function markStreamRecoveryRequested(q: Q, at: string): Promise<void> {
  await q.updateTable('stream_recovery').set({ requested_at: at }).where('id', '=', 1).execute();
}

/** An event of this station's own that HQ gave back: kept in the outbox as sent (its seq is taken for good). */
export async function recordRecoveredEvent(
  tx: Tx,
  e: { seq: number; id: string; type: string; sessionId: string | null; body: string; at: string; sentAt: string },
): Promise<'added' | 'held' | 'other'> {
  const held = await tx.selectFrom('outbox').select('id').where('seq', '=', e.seq).executeTakeFirst();
  if (held) return held.id === e.id ? 'held' : 'other';
  await tx
    .insertInto('outbox')
    .values({
      seq: e.seq,
      id: e.id,
      type: e.type,
      session_id: e.sessionId,
      body: e.body,
      created_at: e.at,
      sent_at: e.sentAt,
    })
    .execute();
  return 'added';
}

/** HQ answered: the outbox continues after `nextSeq - 1` (never below what it already handed out). */
export async function endStreamRecovery(tx: Tx, nextSeq: number): Promise<number> {
  await tx.deleteFrom('stream_recovery').execute();
  const row = await tx
    .insertInto('counter')
    .values({ name: 'outbox', value: nextSeq - 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`max(value, ${nextSeq - 1})` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}
