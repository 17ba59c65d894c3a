/**
 * Durable mode: one SQLite file (WAL, synchronous=FULL). Writes reported between two commits go into one
 * transaction, opened lazily by the first write; `commit()` returns only once SQLite has synced it, which is
 * when the broker may acknowledge the sends and settlements it contains. kill -9 after an acknowledgement
 * therefore loses nothing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Journal, LoadedState, MessageRecord } from './store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS message (
  queue TEXT NOT NULL, seq INTEGER NOT NULL, state INTEGER NOT NULL, delivery_count INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL, expires_at INTEGER, scheduled_at INTEGER, session_id TEXT, message_id TEXT,
  ttl_ms INTEGER, durable INTEGER, priority INTEGER, dead_letter_source TEXT,
  annotations BLOB NOT NULL, body BLOB NOT NULL,
  PRIMARY KEY (queue, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS counter (entity TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS duplicate (
  entity TEXT NOT NULL, message_id TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (entity, message_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS session_state (
  queue TEXT NOT NULL, session_id TEXT NOT NULL, state BLOB NOT NULL, PRIMARY KEY (queue, session_id)
) WITHOUT ROWID;
`;

interface Row {
  queue: string;
  seq: number;
  state: number;
  delivery_count: number;
  enqueued_at: number;
  expires_at: number | null;
  scheduled_at: number | null;
  session_id: string | null;
  message_id: string | null;
  ttl_ms: number | null;
  durable: number | null;
  priority: number | null;
  dead_letter_source: string | null;
  annotations: Buffer;
  body: Buffer;
}

export class SqliteJournal implements Journal {
  readonly durable = true;
  private readonly db: Database.Database;
  private inTx = false;
  private readonly counters = new Map<string, number>();
  private readonly stmt;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'servicebus-emulator.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(SCHEMA);
    this.stmt = {
      put: this.db.prepare(
        `INSERT OR REPLACE INTO message VALUES (@queue, @seq, @state, @deliveryCount, @enqueuedAt, @expiresAt, @scheduledAt,
          @sessionId, @messageId, @ttlMs, @durable, @priority, @deadLetterSource, @annotations, @body)`,
      ),
      update: this.db.prepare('UPDATE message SET delivery_count = ?, state = ? WHERE queue = ? AND seq = ?'),
      del: this.db.prepare('DELETE FROM message WHERE queue = ? AND seq = ?'),
      counter: this.db.prepare('INSERT OR REPLACE INTO counter VALUES (?, ?)'),
      dup: this.db.prepare('INSERT OR REPLACE INTO duplicate VALUES (?, ?, ?)'),
      purge: this.db.prepare('DELETE FROM duplicate WHERE expires_at <= ?'),
      setState: this.db.prepare('INSERT OR REPLACE INTO session_state VALUES (?, ?, ?)'),
      delState: this.db.prepare('DELETE FROM session_state WHERE queue = ? AND session_id = ?'),
    };
  }

  load(): LoadedState {
    const rows = this.db.prepare('SELECT * FROM message ORDER BY queue, seq').all() as Row[];
    const messages: MessageRecord[] = rows.map((r) => ({
      queue: r.queue,
      seq: r.seq,
      state: r.state as 0 | 1 | 2,
      deliveryCount: r.delivery_count,
      enqueuedAt: r.enqueued_at,
      expiresAt: r.expires_at,
      scheduledAt: r.scheduled_at,
      sessionId: r.session_id,
      messageId: r.message_id,
      ttlMs: r.ttl_ms,
      durable: r.durable === null ? null : r.durable === 1,
      priority: r.priority,
      deadLetterSource: r.dead_letter_source,
      annotations: r.annotations,
      body: r.body,
    }));
    const counters = new Map(
      (this.db.prepare('SELECT entity, seq FROM counter').all() as { entity: string; seq: number }[]).map((c) => [
        c.entity,
        c.seq,
      ]),
    );
    const duplicates = (
      this.db.prepare('SELECT entity, message_id, expires_at FROM duplicate').all() as {
        entity: string;
        message_id: string;
        expires_at: number;
      }[]
    ).map((d) => ({ entity: d.entity, messageId: d.message_id, expiresAt: d.expires_at }));
    const sessionStates = (
      this.db.prepare('SELECT queue, session_id, state FROM session_state').all() as {
        queue: string;
        session_id: string;
        state: Buffer;
      }[]
    ).map((s) => ({ queue: s.queue, sessionId: s.session_id, state: s.state }));
    return { messages, counters, duplicates, sessionStates };
  }

  private tx(): void {
    if (!this.inTx) {
      this.db.exec('BEGIN');
      this.inTx = true;
    }
  }

  putMessage(rec: MessageRecord): void {
    this.tx();
    this.stmt.put.run({ ...rec, durable: rec.durable === null ? null : rec.durable ? 1 : 0 });
  }
  updateMessage(queue: string, seq: number, deliveryCount: number, state: 0 | 1 | 2): void {
    this.tx();
    this.stmt.update.run(deliveryCount, state, queue, seq);
  }
  deleteMessage(queue: string, seq: number): void {
    this.tx();
    this.stmt.del.run(queue, seq);
  }
  setCounter(entity: string, seq: number): void {
    // Coalesced: a batch of 1,000 sends writes the counter once.
    this.tx();
    this.counters.set(entity, seq);
  }
  putDuplicate(entity: string, messageId: string, expiresAt: number): void {
    this.tx();
    this.stmt.dup.run(entity, messageId, expiresAt);
  }
  purgeDuplicates(now: number): void {
    this.tx();
    this.stmt.purge.run(now);
  }
  setSessionState(queue: string, sessionId: string, state: Buffer | null): void {
    this.tx();
    if (state) this.stmt.setState.run(queue, sessionId, state);
    else this.stmt.delState.run(queue, sessionId);
  }
  commit(): void {
    if (!this.inTx) return;
    for (const [entity, seq] of this.counters) this.stmt.counter.run(entity, seq);
    this.counters.clear();
    this.db.exec('COMMIT');
    this.inTx = false;
  }
  close(): void {
    if (this.inTx) this.commit();
    this.db.close();
  }
}
