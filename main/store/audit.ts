/**
 * The append-only, hash-chained audit log. Each row's hash covers its content and the previous hash; the head
 * row remembers the newest seq and hash, so editing, deleting or truncating rows is detected by `verifyAudit`.
 * Triggers refuse UPDATE and DELETE, so tampering needs deliberate effort (and is still caught).
 */
import { createHash } from 'node:crypto';
import type { AuditVerification } from '../../core/api';
import type { Db, Tx } from './db';

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

export async function appendAudit(tx: Tx, at: string, entry: AuditEntry): Promise<void> {
  const head = await tx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  const seq = (head?.seq ?? 0) + 1;
  const prev = head?.hash ?? GENESIS;
  const detailsJson = JSON.stringify(entry.details ?? null);
  const hash = rowHash(prev, seq, at, entry.actor, entry.action, entry.subject, detailsJson);
  await tx
    .insertInto('audit_log')
    .values({
      seq,
      at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      details_json: detailsJson,
      prev_hash: prev,
      hash,
    })
    .execute();
  await tx
    .insertInto('audit_head')
    .values({ id: 1, seq, hash })
    .onConflict((oc) => oc.column('id').doUpdateSet({ seq, hash }))
    .execute();
}

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
