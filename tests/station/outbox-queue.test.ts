/**
 * The outbox as the relay uses it (main/store/queues.ts): unsent rows read in seq order from a point, a batch marked
 * sent by its seq range, and the one write that is not flushed to disk by itself — the mark — leaving the connection
 * as durable as before for everything else.
 */
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StationDB } from '../../main/store/schema';
import { openStationDb, type OpenedDb } from '../../main/store/db';
import { appendEvent, markSent, outboxStats, unsentEvents } from '../../main/store/queues';
import { dayAt, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let o: OpenedDb;
const at = dayAt('09:00');

beforeEach(async () => {
  t = tempDir();
  o = await openStationDb(`${t.dir}/q.db`);
  await o.db.transaction().execute(async (tx) => {
    for (let i = 0; i < 10; i++)
      await appendEvent(
        tx,
        { stationId: 'desk-a', conferenceId: 'conf-1', at },
        'CheckedIn',
        { registrantId: `r${i}`, sessionId: null, at },
        null,
      );
  });
});
afterEach(async () => {
  await o.close();
  t.cleanup();
});

const sentSeqs = () =>
  (o.raw.prepare('SELECT seq FROM outbox WHERE sent_at IS NOT NULL ORDER BY seq').all() as { seq: number }[]).map(
    (r) => r.seq,
  );

describe('the outbox for the relay', () => {
  it('reads unsent rows in seq order after a point, and marks exactly the unsent rows of a seq range', async () => {
    expect((await unsentEvents(o.db, 4)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await unsentEvents(o.db, 4, 8)).map((r) => r.seq)).toEqual([9, 10]);
    await markSent(o.db, 3, 5, at);
    expect(sentSeqs()).toEqual([3, 4, 5]);
    // A range over rows already sent leaves their time alone.
    await markSent(o.db, 1, 6, dayAt('09:05'));
    expect(sentSeqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(o.raw.prepare('SELECT sent_at FROM outbox WHERE seq = 4').pluck().get()).toBe(at);
    expect((await unsentEvents(o.db, 100)).map((r) => r.seq)).toEqual([7, 8, 9, 10]);
    expect(await outboxStats(o.db)).toMatchObject({ depth: 4, lastSeq: 10 });
  });

  it('the mark is written without waiting for the disk; every other write on the connection still does (synchronous=FULL)', async () => {
    const FULL = 2;
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    // The statements the mark runs, in order, on the same connection.
    const ran: string[] = [];
    const db = new Kysely<StationDB>({
      dialect: new SqliteDialect({ database: o.raw }),
      log: (e) => void ran.push(e.query.sql.split(' where ')[0]!),
    });
    await markSent(db, 1, 2, at);
    expect(ran).toEqual([
      'PRAGMA synchronous = NORMAL',
      'update "outbox" set "sent_at" = ?',
      'PRAGMA synchronous = FULL',
    ]);
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    // Also when the mark fails.
    o.raw.exec(
      `CREATE TRIGGER outbox_mark_fails BEFORE UPDATE OF sent_at ON outbox WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    await expect(markSent(db, 3, 3, at)).rejects.toThrow('disk full');
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(sentSeqs()).toEqual([1, 2]);
  });
});
