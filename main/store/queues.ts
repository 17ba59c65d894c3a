/** The two durable queues: the outbox of events this station produced and the inbox of what HQ told it. */
import { sql, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope, Payload, StationEventType } from '../../core/messages';
import { schemaVersion } from '../../core/messages';
import type { Db, RawDb, Tx } from './db';

type Q = Db | Tx;

/** Next value of a named gap-free counter; must run inside the caller's transaction. */
export async function nextCounter(tx: Q, name: string): Promise<number> {
  const row = await tx
    .insertInto('counter')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql`value + 1` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return row.value;
}

export interface EventOrigin {
  stationId: string;
  conferenceId: string;
  at: string;
}

function envelopeOf<T extends StationEventType>(
  origin: EventOrigin,
  seq: number,
  type: T,
  payload: Payload<T>,
): Envelope<T> {
  return {
    id: uuidv7(),
    type,
    schema: schemaVersion[type],
    conferenceId: origin.conferenceId,
    origin: `station:${origin.stationId}`,
    seq,
    at: origin.at,
    payload,
  } as Envelope<T>;
}

/** Appends one event to the outbox with the next per-station seq; returns its envelope. */
export async function appendEvent<T extends StationEventType>(
  tx: Tx,
  origin: EventOrigin,
  type: T,
  payload: Payload<T>,
  sessionId: string | null = null,
): Promise<Envelope<T>> {
  const envelope = envelopeOf(origin, await nextCounter(tx, 'outbox'), type, payload);
  await tx
    .insertInto('outbox')
    .values({
      seq: envelope.seq,
      id: envelope.id,
      type,
      session_id: sessionId,
      body: JSON.stringify(envelope),
      created_at: origin.at,
    })
    .execute();
  return envelope;
}

/**
 * `appendEvent` with prepared statements on the raw connection, for the station's commands (sale.commit benchmark:
 * Kysely's building of the two statements cost more than running them). Inside the command's transaction only.
 */
export function outboxWriter(raw: RawDb) {
  const next = raw.prepare<[], { value: number }>(
    `INSERT INTO counter (name, value) VALUES ('outbox', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
  );
  const insert = raw.prepare(
    'INSERT INTO outbox (seq, id, type, session_id, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const conference = raw.prepare<[], { id: string }>('SELECT id FROM conference LIMIT 1');
  return {
    append<T extends StationEventType>(
      origin: EventOrigin,
      type: T,
      payload: Payload<T>,
      sessionId: string | null = null,
    ): Envelope<T> {
      if (!raw.inTransaction) throw new Error('outbox events are appended inside the command’s transaction');
      const envelope = envelopeOf(origin, next.get()!.value, type, payload);
      insert.run(envelope.seq, envelope.id, type, sessionId, JSON.stringify(envelope), origin.at);
      return envelope;
    },
    /** The loaded conference's id (every event names it), or undefined before one is loaded. */
    conferenceId: (): string | undefined => conference.get()?.id,
  };
}

export type OutboxWriter = ReturnType<typeof outboxWriter>;

/** An unsent outbox row as the relay sends it: the body as its UTF-8 bytes, the form it goes on the wire in. */
export interface UnsentEvent {
  seq: number;
  id: string;
  type: string;
  sessionId: string | null;
  body: Buffer;
}

/**
 * The outbox as the relay reads and marks it: prepared statements, since a drain after an hour offline runs these
 * for every batch (sync.drain: Kysely's building of them cost more than running them). Each call holds Kysely's one
 * connection while it runs, so it waits for a command's open transaction to end rather than reading its rows before
 * they are committed.
 */
/** An outbox row not yet sent: no `sent_at` of its own, and after the sent prefix (`outbox_sent_through`). */
const UNSENT = 'sent_at IS NULL AND seq > (SELECT seq FROM outbox_sent_through)';

export function outboxQueue(db: Db, raw: RawDb) {
  const unsent = raw.prepare<[number, number], UnsentEvent>(
    // The body read as bytes (a TEXT column cast to BLOB is its UTF-8 as stored): no JavaScript string is made of
    // it only to be encoded back to UTF-8 for the wire. `UNSENT` with the read-ahead point folded into one lower
    // bound: the partial index keeps the prefix's rows, and one bound is where SQLite starts reading it.
    `SELECT seq, id, type, session_id AS sessionId, CAST(body AS BLOB) AS body FROM outbox
     WHERE sent_at IS NULL AND seq > max(?, (SELECT seq FROM outbox_sent_through)) ORDER BY seq LIMIT ?`,
  );
  // An unsent row before the batch: then the batch does not continue the sent prefix, and its rows are marked one by one.
  const unsentBefore = raw.prepare<[number]>(`SELECT 1 FROM outbox WHERE ${UNSENT} AND seq < ? LIMIT 1`);
  const moveThrough = raw.prepare<[number, string, number]>(
    'UPDATE outbox_sent_through SET seq = ?, at = ? WHERE seq < ?',
  );
  const markRows = raw.prepare<[string, number, number]>(
    `UPDATE outbox SET sent_at = ? WHERE seq >= ? AND seq <= ? AND ${UNSENT}`,
  );
  const syncNormal = raw.prepare('PRAGMA synchronous = NORMAL');
  const syncFull = raw.prepare('PRAGMA synchronous = FULL');
  const alone = <T>(fn: () => T): Promise<T> => db.connection().execute(async () => fn());
  return {
    /** Unsent rows in seq order; `afterSeq` skips rows already on their way (the relay reads ahead while it sends). */
    unsent: (limit: number, afterSeq = 0): Promise<UnsentEvent[]> => alone(() => unsent.all(afterSeq, limit)),
    /**
     * Marks the unsent rows from `firstSeq` to `lastSeq` sent. The relay sends unsent rows in seq order and seqs only
     * grow, so a batch is exactly the unsent rows of its seq range. When no unsent row comes before it (the relay's
     * every batch), the batch is marked by moving `outbox_sent_through` to `lastSeq`: one short row written however
     * large the batch. Otherwise its rows get their own `sent_at`.
     *
     * The only write on the station that is not flushed to disk by itself (synchronous=NORMAL for this statement): a
     * mark lost to a power cut only sends its batch again, which the broker's duplicate detection and HQ's inbox
     * absorb, and the next command's commit (FULL) makes it durable anyway. A flush of hundreds of batches after an
     * hour offline then does not wait on the disk once per batch — on a disk other programs keep busy, that wait was
     * most of the relay's own time.
     */
    markSent: (firstSeq: number, lastSeq: number, at: string): Promise<void> =>
      alone(() => {
        const prefix = unsentBefore.get(firstSeq) === undefined;
        syncNormal.run();
        try {
          if (prefix) moveThrough.run(lastSeq, at, lastSeq);
          else markRows.run(at, firstSeq, lastSeq);
        } finally {
          syncFull.run();
        }
      }),
  };
}

export type OutboxQueue = ReturnType<typeof outboxQueue>;

/** An outbox row not yet sent, for Kysely queries (`UNSENT` above). */
export const unsentRow = sql.raw<SqlBool>(UNSENT);

export async function outboxStats(q: Q): Promise<{ depth: number; oldestUnsentAt: string | null; lastSeq: number }> {
  // Only unsent rows: the partial index outbox_unsent, read from after the sent prefix, keeps this cheap however long
  // the sent history grows (the relay asks after every batch).
  const r = await q
    .selectFrom('outbox')
    .select(sql<number>`count(*)`.as('depth'))
    .where(unsentRow)
    .executeTakeFirstOrThrow();
  // Rows are appended in seq order, so the oldest unsent is the first by seq (read through the index, not every row).
  const oldest = await q
    .selectFrom('outbox')
    .select('created_at')
    .where(unsentRow)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  const last = await q.selectFrom('counter').select('value').where('name', '=', 'outbox').executeTakeFirst();
  return { depth: r.depth, oldestUnsentAt: oldest?.created_at ?? null, lastSeq: last?.value ?? 0 };
}

export async function inboxSeen(q: Q, id: string): Promise<boolean> {
  return (await q.selectFrom('inbox').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

export type InboxRow = {
  id: string;
  type: string;
  origin: string;
  originSeq: number | null;
  status: 'applied' | 'ignored' | 'quarantined';
  note: string | null;
  body: string;
  at: string;
};

/** Inbox rows of one type with one note (e.g. snapshot chunks waiting for the first), oldest first. */
export async function inboxWaiting(q: Q, type: string, note: string): Promise<{ id: string; body: string }[]> {
  return q
    .selectFrom('inbox')
    .select(['id', 'body'])
    .where('type', '=', type)
    .where('note', '=', note)
    .orderBy('received_at')
    .execute();
}

export async function setInboxOutcome(
  q: Q,
  id: string,
  status: 'applied' | 'ignored',
  note: string | null,
): Promise<void> {
  await q.updateTable('inbox').set({ status, note }).where('id', '=', id).execute();
}

export async function recordInbox(q: Q, row: InboxRow): Promise<void> {
  await q
    .insertInto('inbox')
    .values({
      id: row.id,
      type: row.type,
      origin: row.origin,
      origin_seq: row.originSeq,
      status: row.status,
      note: row.note,
      body: row.body,
      received_at: row.at,
    })
    .execute();
}

export async function inboxStats(q: Q): Promise<{ applied: number; quarantined: number }> {
  const r = await q
    .selectFrom('inbox')
    .select([
      sql<number>`count(*) filter (where status != 'quarantined')`.as('applied'),
      sql<number>`count(*) filter (where status = 'quarantined')`.as('quarantined'),
    ])
    .executeTakeFirstOrThrow();
  return r;
}

// ---- small key/value stores -------------------------------------------------------------------------------------

export async function getValue(q: Q, table: 'settings' | 'sync_state', key: string): Promise<string | null> {
  return (await q.selectFrom(table).select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
}

export async function setValue(q: Q, table: 'settings' | 'sync_state', key: string, value: string): Promise<void> {
  await q
    .insertInto(table)
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

// ---- for the supervisor's sync screen -----------------------------------------------------------------------------

/** The oldest unsent outbox row's seq (null when everything is sent) and the last seq ever appended. */
export async function outboxSeqs(q: Q): Promise<{ oldestUnsent: number | null; last: number }> {
  const oldest = await q.selectFrom('outbox').select('seq').where(unsentRow).orderBy('seq').limit(1).executeTakeFirst();
  const last = await q.selectFrom('counter').select('value').where('name', '=', 'outbox').executeTakeFirst();
  return { oldestUnsent: oldest?.seq ?? null, last: last?.value ?? 0 };
}

/** Feed messages that failed validation, newest first (index inbox_status). */
export async function quarantinedMessages(
  q: Q,
  limit: number,
): Promise<{ id: string; note: string | null; received_at: string }[]> {
  return q
    .selectFrom('inbox')
    .select(['id', 'note', 'received_at'])
    .where('status', '=', 'quarantined')
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
}
