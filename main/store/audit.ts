/**
 * The append-only, hash-chained audit log. Each row's hash covers its content and the previous hash; the head
 * row remembers the newest seq and hash, so editing, deleting or truncating rows is detected by `verifyAudit`.
 * Triggers refuse UPDATE and DELETE, so tampering needs deliberate effort (and is still caught).
 */
import { createHash } from 'node:crypto';
import type { AuditVerification } from '../../core/api';
import type { Db, RawDb, Tx } from './db';

const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actor: string;
  action: string;
  subject: string;
  details: unknown;
}

function rowHash(
  prev: string,
  seq: number,
  at: string,
  actor: string,
  action: string,
  subject: string,
  detailsJson: string,
): string {
  return createHash('sha256')
    .update(JSON.stringify([prev, seq, at, actor, action, subject, detailsJson]))
    .digest('hex');
}

/**
 * Appends to the chain with prepared statements on the raw connection, inside the command's transaction. The head
 * is read once a transaction and kept in memory for its further entries (a sale with a payment writes two); it is
 * keyed by the transaction object, which the command lane reuses: `forget` at each command's start (`inTx` does) so
 * that one rolled back leaves nothing behind. Every entry on a station goes through here.
 */
export function auditWriter(raw: RawDb) {
  const readHead = raw.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
  const insert = raw.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, subject, details_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const writeHead = raw.prepare(
    'INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash',
  );
  const heads = new WeakMap<object, { seq: number; hash: string }>();
  return {
    /** `tx` is the open transaction (its identity keys the head held in memory). */
    append(tx: object, at: string, entry: AuditEntry): void {
      if (!raw.inTransaction) throw new Error('audit entries are written inside the command’s transaction');
      const head = heads.get(tx) ?? readHead.get() ?? { seq: 0, hash: GENESIS };
      const seq = head.seq + 1;
      const detailsJson = JSON.stringify(entry.details ?? null);
      const hash = rowHash(head.hash, seq, at, entry.actor, entry.action, entry.subject, detailsJson);
      insert.run(seq, at, entry.actor, entry.action, entry.subject, detailsJson, head.hash, hash);
      writeHead.run(seq, hash);
      heads.set(tx, { seq, hash });
    },
    /** A new command on `tx` (the command lane reuses one transaction object): read the head afresh. */
    forget(tx: object): void {
      heads.delete(tx);
    },
  };
}

export type AuditWriter = ReturnType<typeof auditWriter>;

/** The hash chain's verdict (audit.verify adds the database's integrity check). */
export type AuditChainVerification = Omit<AuditVerification, 'integrity'>;

export async function verifyAudit(db: Db | Tx): Promise<AuditChainVerification> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  let prev = GENESIS;
  let expectedSeq = 1;
  let rows = 0;
  const bad = (problem: string, seq: number | null): AuditChainVerification => ({
    ok: false,
    rows,
    problem,
    firstBadSeq: seq,
  });
  // Streamed in pages so a long event day does not load the whole log into memory.
  for (let from = 0; ;) {
    const page = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', from)
      .orderBy('seq')
      .limit(1000)
      .execute();
    if (page.length === 0) break;
    for (const r of page) {
      if (r.seq !== expectedSeq) return bad(`row ${expectedSeq} is missing`, expectedSeq);
      if (r.prev_hash !== prev) return bad(`row ${r.seq} does not follow row ${r.seq - 1}`, r.seq);
      if (rowHash(prev, r.seq, r.at, r.actor, r.action, r.subject, r.details_json) !== r.hash)
        return bad(`row ${r.seq} was altered`, r.seq);
      prev = r.hash;
      expectedSeq++;
      rows++;
    }
    from = page[page.length - 1]!.seq;
  }
  if (!head)
    return rows === 0 ? { ok: true, rows, problem: null, firstBadSeq: null } : bad('the audit head is missing', null);
  if (head.seq !== rows || head.hash !== prev)
    return bad(`the log ends at row ${rows} but should end at row ${head.seq}`, rows + 1);
  return { ok: true, rows, problem: null, firstBadSeq: null };
}
