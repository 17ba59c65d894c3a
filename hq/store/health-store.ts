/** Read-only queries behind HQ's health endpoint. Each is cheap: per-station rows, the parked table, an index. */
import { sql } from 'kysely';
import type { HqDb } from './db';

export interface OriginProgress {
  origin: string;
  /** The last seq applied in order (0: nothing yet). */
  seq: number;
  /** HQ's time when that event was applied. */
  appliedAt: string | null;
  /** HQ's time when anything last arrived from this origin (applied, parked or refused). */
  lastHeardAt: string | null;
}

export async function originProgress(db: HqDb): Promise<OriginProgress[]> {
  const rows = await db
    .selectFrom('station as s')
    .leftJoin('inbox as i', (j) => j.onRef('i.origin', '=', 's.origin').on('i.seq', '=', sql<number>`s.next_seq - 1`))
    .select([
      's.origin as origin',
      sql<number>`s.next_seq - 1`.as('seq'),
      'i.applied_at as appliedAt',
      's.last_event_at as lastHeardAt',
    ])
    .orderBy('s.origin')
    .execute();
  return rows.map((r) => ({
    origin: r.origin,
    seq: Number(r.seq),
    appliedAt: r.appliedAt ?? null,
    lastHeardAt: r.lastHeardAt ?? null,
  }));
}

export interface ParkedSummary {
  origin: string;
  count: number;
  /** The seq HQ waits for before it can apply them. */
  waitingForSeq: number;
  oldestParkedAt: string;
}

export async function parkedByOrigin(db: HqDb): Promise<ParkedSummary[]> {
  const rows = await db
    .selectFrom('parked as p')
    .innerJoin('station as s', 's.origin', 'p.origin')
    .select([
      'p.origin as origin',
      sql<number>`count(*)`.as('count'),
      's.next_seq as waitingForSeq',
      sql<string>`min(p.parked_at)`.as('oldestParkedAt'),
    ])
    .groupBy(['p.origin', 's.next_seq'])
    .orderBy('p.origin')
    .execute();
  return rows.map((r) => ({
    origin: r.origin,
    count: Number(r.count),
    waitingForSeq: r.waitingForSeq,
    oldestParkedAt: r.oldestParkedAt,
  }));
}

export async function unsentFeedSummary(db: HqDb): Promise<{ unsent: number; oldestCreatedAt: string | null }> {
  const r = await db
    .selectFrom('feed_outbox')
    .select([sql<number>`count(*)`.as('unsent'), sql<string | null>`min(created_at)`.as('oldestCreatedAt')])
    .where('sent_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { unsent: Number(r.unsent), oldestCreatedAt: r.oldestCreatedAt ?? null };
}
