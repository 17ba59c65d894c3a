/**
 * The outbox as the relay uses it (main/store/queues.ts): unsent rows read in seq order from a point, a batch marked
 * sent by its seq range, and the one write that is not flushed to disk by itself — the mark — leaving the connection
 * as durable as before for everything else.
 */
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStationDb, type OpenedDb } from '../../main/store/db';
import { appendEvent, outboxQueue, outboxStats } from '../../main/store/queues';
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
  (
    o.raw.prepare('SELECT seq FROM outbox_status WHERE sent_at IS NOT NULL ORDER BY seq').all() as { seq: number }[]
  ).map((r) => r.seq);
const sentThrough = () => o.raw.prepare('SELECT seq FROM outbox_sent_through').pluck().get();

describe('the outbox for the relay', () => {
  it('reads unsent rows in seq order after a point, and marks exactly the unsent rows of a seq range', async () => {
    const queue = outboxQueue(o.db, o.raw);
    expect((await queue.unsent(4)).map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await queue.unsent(4, 8)).map((r) => r.seq)).toEqual([9, 10]);
    // Out of order (1 and 2 still unsent): the rows get their own sent_at.
    await queue.markSent(3, 5, at);
    expect(sentSeqs()).toEqual([3, 4, 5]);
    expect(sentThrough()).toBe(0);
    // A range over rows already sent leaves their time alone; from the first unsent row on, the sent prefix moves.
    await queue.markSent(1, 6, dayAt('09:05'));
    expect(sentSeqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(sentThrough()).toBe(6);
    expect(o.raw.prepare('SELECT sent_at FROM outbox_status WHERE seq = 4').pluck().get()).toBe(at);
    expect(o.raw.prepare('SELECT sent_at FROM outbox_status WHERE seq = 2').pluck().get()).toBe(dayAt('09:05'));
    expect((await queue.unsent(100)).map((r) => r.seq)).toEqual([7, 8, 9, 10]);
    expect((await queue.unsent(100, 2)).map((r) => r.seq)).toEqual([7, 8, 9, 10]);
    expect(await outboxStats(o.db)).toMatchObject({ depth: 4, lastSeq: 10 });
    // A mark behind the prefix changes nothing.
    await queue.markSent(2, 3, dayAt('09:10'));
    expect(sentThrough()).toBe(6);
    expect(o.raw.prepare('SELECT sent_at FROM outbox_status WHERE seq = 2').pluck().get()).toBe(dayAt('09:05'));
  });

  it('marks the relay’s batches in order by moving one number: no outbox row is rewritten', async () => {
    const queue = outboxQueue(o.db, o.raw);
    const rowsBefore = o.raw.prepare('SELECT seq, sent_at FROM outbox ORDER BY seq').all();
    for (const [first, last] of [
      [1, 4],
      [5, 9],
      [10, 10],
    ] as const) {
      const batch = await queue.unsent(100);
      expect(batch[0]!.seq).toBe(first);
      await queue.markSent(first, last, at);
      expect(sentThrough()).toBe(last);
    }
    expect(await queue.unsent(100)).toEqual([]);
    expect(sentSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(o.raw.prepare('SELECT seq, sent_at FROM outbox ORDER BY seq').all()).toEqual(rowsBefore);
    expect(await outboxStats(o.db)).toMatchObject({ depth: 0, oldestUnsentAt: null, lastSeq: 10 });
  });

  it('reads a body as the UTF-8 bytes of its stored text, whatever the script', async () => {
    await o.db
      .transaction()
      .execute((tx) =>
        appendEvent(
          tx,
          { stationId: 'desk-a', conferenceId: 'conf-1', at },
          'CheckedIn',
          { registrantId: 'Zoë-李-😀', sessionId: null, at },
          null,
        ),
      );
    const [row] = await outboxQueue(o.db, o.raw).unsent(1, 10);
    const text = o.raw.prepare('SELECT body FROM outbox WHERE seq = 11').pluck().get() as string;
    expect(Buffer.isBuffer(row!.body)).toBe(true);
    expect(row!.body.equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(JSON.parse(row!.body.toString('utf8'))).toMatchObject({ payload: { registrantId: 'Zoë-李-😀' } });
  });

  it('the mark is written without waiting for the disk; every other write on the connection still does (synchronous=FULL)', async () => {
    const FULL = 2;
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    // The statements the mark runs, in order, on the same connection.
    const ran: string[] = [];
    const logged = new Proxy(o.raw, {
      get(target, key) {
        if (key !== 'prepare') return Reflect.get(target, key, target);
        return (text: string) => {
          const stmt = target.prepare(text);
          return new Proxy(stmt, {
            get: (s, k) => {
              if (k === 'run') return (...args: unknown[]) => (ran.push(text.split(' WHERE ')[0]!), s.run(...args));
              const v: unknown = Reflect.get(s, k, s);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v; // reads: not logged
            },
          });
        };
      },
    }) as Database.Database;
    const queue = outboxQueue(o.db, logged);
    await queue.markSent(1, 2, at);
    expect(ran).toEqual([
      'PRAGMA synchronous = NORMAL',
      'UPDATE outbox_sent_through SET seq = ?, at = ?',
      'PRAGMA synchronous = FULL',
    ]);
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    // A batch out of order is marked row by row, the same way.
    ran.length = 0;
    await queue.markSent(5, 5, at);
    expect(ran).toEqual(['PRAGMA synchronous = NORMAL', 'UPDATE outbox SET sent_at = ?', 'PRAGMA synchronous = FULL']);
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    // Also when the mark fails.
    o.raw.exec(
      `CREATE TRIGGER outbox_mark_fails BEFORE UPDATE ON outbox_sent_through WHEN NEW.seq = 3 BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    await expect(queue.markSent(3, 3, at)).rejects.toThrow('disk full');
    expect(o.raw.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(sentSeqs()).toEqual([1, 2, 5]);
  });

  it('waits for a command’s open transaction: never reads rows before they are committed, nor marks inside it', async () => {
    const queue = outboxQueue(o.db, o.raw);
    await queue.markSent(1, 10, at);
    let release!: () => void;
    let appended!: () => void;
    const appendedNow = new Promise<void>((r) => (appended = r));
    const command = o.db.transaction().execute(async (tx) => {
      await appendEvent(
        tx,
        { stationId: 'desk-a', conferenceId: 'conf-1', at },
        'CheckedIn',
        { registrantId: 'r-late', sessionId: null, at },
        null,
      );
      appended();
      await new Promise<void>((r) => (release = r)); // the command awaits something while its transaction is open
      throw new Error('the command fails: its row is rolled back');
    });
    await appendedNow;
    const read = queue.unsent(10);
    const marked = queue.markSent(11, 11, at);
    await new Promise((r) => setTimeout(r, 20));
    release();
    await expect(command).rejects.toThrow('rolled back');
    expect(await read).toEqual([]);
    await marked;
    expect(o.raw.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(10);
  });
});
