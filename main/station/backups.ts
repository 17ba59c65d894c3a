/**
 * Backups of a station's database, kept N deep in a folder beside it, and restoring one (DESIGN §3, issue 16).
 *
 * Taking one is an online SQLite backup (the station keeps serving). Restoring is done with the station stopped
 * (the CLI's `restore`): the backup must pass SQLite's full integrity check and its audit chain must verify, or it
 * is refused and nothing changes; the file it replaces is kept beside it, never deleted; and the restored station
 * does not send another event until HQ has said where its stream stands (main/store/backup.ts).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { BackupFile, BackupReport } from '../../core/api';
import { err, ok, type Result } from '../../core/result';
import { auditWriter } from '../store/audit';
import { backupDatabase, beginStreamRecovery, checkBackupFile, streamRecovery } from '../store/backup';
import { openStationDb, type OpenedDb, type RawDb } from '../store/db';
import type { Handlers } from './serve';
import { nowIso, type StationContext } from './context';

export interface BackupOptions {
  /** Default: `backups/` beside the database. */
  dir: string;
  /** How many backups to keep (default 12: six hours at the runtime's default of one every 30 minutes). */
  keep: number;
}

const NAME = /^station-([a-z0-9-]+)-(\d{8}T\d{9}Z)\.db$/;

export function backupName(stationId: string, at: string): string {
  return `station-${stationId}-${at.replace(/[-:.]/g, '')}.db`;
}

/** This station's backups in the folder, newest first. */
export function listBackups(dir: string, stationId: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ f, m: NAME.exec(f) }))
    .filter((x) => x.m && x.m[1] === stationId)
    .sort((a, b) => (a.m![2]! < b.m![2]! ? 1 : -1))
    .map(({ f, m }) => {
      const t = m![2]!;
      return {
        file: join(dir, f),
        bytes: statSync(join(dir, f)).size,
        takenAt: `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}.${t.slice(15, 18)}Z`,
      };
    });
}

export async function takeBackup(
  raw: RawDb,
  o: BackupOptions & { stationId: string; at: string },
): Promise<BackupReport> {
  mkdirSync(o.dir, { recursive: true });
  const file = join(o.dir, backupName(o.stationId, o.at));
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  // Written under another name and renamed: a backup cut off half-way is never listed as one.
  await backupDatabase(raw, partial);
  renameSync(partial, file);
  const all = listBackups(o.dir, o.stationId);
  const kept = all.slice(0, Math.max(1, o.keep));
  const removed = all.slice(kept.length).map((b) => b.file);
  for (const f of removed) rmSync(f, { force: true });
  return { file, bytes: statSync(file).size, takenAt: o.at, kept, removed };
}

export function backupHandlers(
  ctx: StationContext,
  raw: RawDb,
  o: BackupOptions,
): Pick<Handlers, 'backup.create' | 'backup.status'> {
  return {
    'backup.create': () => takeBackup(raw, { ...o, stationId: ctx.stationId, at: nowIso(ctx) }),
    'backup.status': async () => ({
      folder: o.dir,
      keep: o.keep,
      backups: listBackups(o.dir, ctx.stationId),
      streamRecovery: await streamRecovery(ctx.db),
    }),
  };
}

export interface RestoreReport {
  stationId: string;
  restoredFrom: string;
  /** Where the database it replaced was put (null: there was none). */
  replacedKeptAt: string | null;
  /** The last seq the backup's outbox had handed out; HQ gives back the station's events after it. */
  backupLastSeq: number;
  auditRows: number;
  /** False with `--no-hq`: a station that never syncs has no stream to recover. */
  waitsForHq: boolean;
}

/**
 * Replaces the (stopped) station's database with a checked backup. Refused, with nothing changed, when the backup
 * fails SQLite's integrity check or its audit chain, or belongs to another station.
 */
export async function restoreStation(o: {
  dbPath: string;
  from: string;
  at: string;
  withHq?: boolean;
}): Promise<Result<RestoreReport>> {
  if (!existsSync(o.from)) return err('not_found', `No backup at ${o.from}.`);
  let check;
  try {
    check = await checkBackupFile(o.from);
  } catch (e) {
    return err(
      'damaged',
      `${o.from} is not a readable station backup (${e instanceof Error ? e.message : String(e)}); nothing was changed. Choose another backup.`,
    );
  }
  if (!check.integrity.ok)
    return err(
      'damaged',
      `The backup ${basename(o.from)} fails SQLite's integrity check (${check.integrity.problems.join('; ')}); nothing was changed. Choose an older backup.`,
    );
  if (!check.audit.ok)
    return err(
      'damaged',
      `The backup ${basename(o.from)} has an altered audit log (${check.audit.problem ?? 'unknown problem'}); nothing was changed. Choose another backup.`,
    );
  if (!check.stationId)
    return err(
      'invalid_input',
      `${basename(o.from)} is not a station's backup (it names no station); nothing was changed.`,
    );
  const current = existsSync(o.dbPath) ? await checkBackupFile(o.dbPath).catch(() => null) : null;
  if (current?.stationId && current.stationId !== check.stationId) {
    return err(
      'invalid_input',
      `The backup belongs to station "${check.stationId}", but ${basename(o.dbPath)} is station "${current.stationId}"; nothing was changed.`,
    );
  }
  let replacedKeptAt: string | null = null;
  if (existsSync(o.dbPath)) {
    replacedKeptAt = `${o.dbPath}.replaced-${o.at.replace(/[-:.]/g, '')}`;
    renameSync(o.dbPath, replacedKeptAt);
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(o.dbPath + suffix)) renameSync(o.dbPath + suffix, replacedKeptAt + suffix);
  }
  copyFileSync(o.from, o.dbPath);
  const opened = await openStationDb(o.dbPath); // migrates an older backup to this version
  try {
    const withHq = o.withHq ?? true;
    const lastSeq = await restoreMark(opened, { at: o.at, from: o.from, withHq });
    return ok({
      stationId: check.stationId,
      restoredFrom: o.from,
      replacedKeptAt,
      backupLastSeq: lastSeq,
      auditRows: check.audit.rows + 1,
      waitsForHq: withHq,
    });
  } finally {
    await opened.close();
  }
}

async function restoreMark(opened: OpenedDb, o: { at: string; from: string; withHq: boolean }): Promise<number> {
  return opened.db.transaction().execute(async (tx) => {
    const lastSeq = o.withHq ? await beginStreamRecovery(tx, { restoredAt: o.at, backupFile: basename(o.from) }) : 0;
    auditWriter(opened.raw).append(tx, o.at, {
      actor: 'station',
      action: 'station.restored',
      subject: basename(o.from),
      details: { backupLastSeq: lastSeq, waitsForHq: o.withHq },
    });
    return lastSeq;
  });
}
