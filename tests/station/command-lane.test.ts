/**
 * The command lane (main/store/db.ts) and `inTx` over it: one transaction object serves every command, so what
 * Kysely's own transactions gave must still hold — commands one at a time with nothing else in between, a failure
 * (in the command or at COMMIT) rolled back, the transaction unusable once its command ended, and nothing kept per
 * transaction object (the audit chain's head, the outbox seq a command appended) carried into the next command.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStationDb, type OpenedDb, type Tx } from '../../main/store/db';
import { auditWriter, verifyAudit } from '../../main/store/audit';
import { outboxWriter } from '../../main/store/queues';
import { inTx, noteAppended, type StationContext } from '../../main/station/context';
import type { StationEvent } from '../../core/events';
import { dayAt, tempDir } from '../support/fixtures';

let t: ReturnType<typeof tempDir>;
let o: OpenedDb;
beforeEach(async () => {
  t = tempDir();
  o = await openStationDb(`${t.dir}/lane.db`);
  o.raw.exec('CREATE TABLE note (n INTEGER PRIMARY KEY, text TEXT NOT NULL)');
});
afterEach(async () => {
  await o.close();
  t.cleanup();
});

const notes = () => (o.raw.prepare('SELECT text FROM note ORDER BY n').all() as { text: string }[]).map((r) => r.text);
const write = (tx: Tx, text: string) =>
  tx
    .insertInto('note' as never)
    .values({ text } as never)
    .execute();

describe('the command lane', () => {
  it('commits a command, and rolls back one that throws — the next command runs as usual', async () => {
    expect(await o.command(async (tx) => (await write(tx, 'kept'), 'done'))).toBe('done');
    await expect(
      o.command(async (tx) => {
        await write(tx, 'gone');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(o.raw.inTransaction).toBe(false);
    await o.command((tx) => write(tx, 'after'));
    expect(notes()).toEqual(['kept', 'after']);
  });

  it('runs commands one at a time: a second command and a plain query wait for the first to end', async () => {
    const order: string[] = [];
    let release!: () => void;
    const first = o.command(async (tx) => {
      order.push('first begins');
      await write(tx, 'first');
      await new Promise<void>((r) => (release = r)); // awaits something while its transaction is open
      order.push('first ends');
    });
    const second = o.command(async (tx) => {
      order.push('second begins');
      await write(tx, 'second');
    });
    const read = o.db
      .selectFrom('note' as never)
      .select('text' as never)
      .execute()
      .then((rows) => (order.push('read'), rows));
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['first begins']);
    release();
    const [, , rows] = await Promise.all([first, second, read]);
    expect(order).toEqual(['first begins', 'first ends', 'second begins', 'read']);
    expect(rows).toEqual([{ text: 'first' }, { text: 'second' }]);
  });

  it('rolls back when COMMIT itself fails, and leaves the connection usable', async () => {
    o.raw.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (id TEXT PRIMARY KEY, parent_id TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    await expect(
      o.command(async (tx) => {
        await write(tx, 'with an orphan');
        await tx
          .insertInto('child' as never)
          .values({ id: 'c1', parent_id: 'nobody' } as never)
          .execute();
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(o.raw.inTransaction).toBe(false);
    await o.command((tx) => write(tx, 'next'));
    expect(notes()).toEqual(['next']);
  });

  it('refuses a query on the transaction once its command ended', async () => {
    let kept!: Tx;
    await o.command(async (tx) => {
      kept = tx;
    });
    await expect(write(kept, 'late')).rejects.toThrow('used after the command ended');
    expect(notes()).toEqual([]);
  });
});

describe('inTx over the lane', () => {
  const events: StationEvent[] = [];
  const ctxOf = (): StationContext =>
    ({
      db: o.db,
      command: o.command,
      auditLog: auditWriter(o.raw),
      outbox: outboxWriter(o.raw),
      integrity: { state: 'ok' },
      registrants: { endBulk: () => {} },
      events: { emit: (e: StationEvent) => events.push(e) },
    }) as unknown as StationContext;
  const at = dayAt('09:00');
  const origin = { stationId: 'desk-a', conferenceId: 'conf-1', at };

  it('does not carry the audit chain’s head of a rolled-back command into the next one', async () => {
    const ctx = ctxOf();
    await inTx(ctx, async (tx) =>
      ctx.auditLog.append(tx, at, { actor: 'sam', action: 'one', subject: 's', details: {} }),
    );
    await expect(
      inTx(ctx, async (tx) => {
        ctx.auditLog.append(tx, at, { actor: 'sam', action: 'two', subject: 's', details: {} });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await inTx(ctx, async (tx) =>
      ctx.auditLog.append(tx, at, { actor: 'sam', action: 'three', subject: 's', details: {} }),
    );
    expect(await verifyAudit(o.db)).toMatchObject({ ok: true, rows: 2 });
  });

  it('wakes the relay once a command that appended has committed — and not for the next command that did not', async () => {
    const ctx = ctxOf();
    events.length = 0;
    await inTx(ctx, async (tx) => {
      const ev = ctx.outbox.append(origin, 'CheckedIn', { registrantId: 'r1', sessionId: null, at }, null);
      noteAppended(tx, ev.seq);
    });
    await inTx(ctx, async () => {});
    await expect(
      inTx(ctx, async (tx) => {
        const ev = ctx.outbox.append(origin, 'CheckedIn', { registrantId: 'r2', sessionId: null, at }, null);
        noteAppended(tx, ev.seq);
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(events).toEqual([{ type: 'outbox.appended', lastSeq: 1 }]);
  });
});
