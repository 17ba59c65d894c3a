/**
 * Prepared statements for the ledger's per-batch appends (inbox, sales, cases, feed rows). They run on the same
 * connection as Kysely, inside the batch's transaction; the query builder's per-statement cost dominated the
 * hq.apply benchmark for these plain inserts.
 */
import type Database from 'better-sqlite3';
import type { CaseRecord, SaleRecord } from './schema';

/** `body`: the event as the station sent it (kept so a restored station can be given its own events back). */
export type InboxInsert = {
  id: string;
  origin: string;
  seq: number;
  type: string;
  status: 'applied' | 'rejected';
  note: string | null;
  at: string;
  body: string | null;
};
export type FeedInsert = {
  seq: number;
  id: string;
  type: string;
  sessionId: string | null;
  station: string | null;
  body: string;
  at: string;
};

export interface HqWriter {
  inbox(rows: InboxInsert[]): void;
  sales(rows: SaleRecord[]): void;
  cases(rows: CaseRecord[]): void;
  feed(rows: FeedInsert[]): void;
}

export function hqWriter(raw: Database.Database): HqWriter {
  const inbox = raw.prepare(
    `INSERT INTO inbox (id, origin, seq, type, status, note, applied_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sale =
    raw.prepare(`INSERT INTO sale (id, session_id, station, registrant_id, tier, allotment_id, charged_allotment_id, event_id, verdict, over_by, held, decided_at, released_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const kase =
    raw.prepare(`INSERT INTO oversell_case (id, sale_id, session_id, station, over_by, status, resolution, resolved_by, opened_at, resolved_at,
    registrant_id, tier, basis_json, due_at, escalate_at, default_action, escalated_at, decided_by, resolution_id, supervisor_id, note, outcome_json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const feed = raw.prepare(
    `INSERT INTO feed_outbox (seq, id, type, session_id, station, body, created_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)`,
  );
  const inTx = () => {
    if (!raw.inTransaction) throw new Error('the HQ writer must run inside the batch transaction');
  };
  return {
    inbox(rows) {
      inTx();
      for (const r of rows) inbox.run(r.id, r.origin, r.seq, r.type, r.status, r.note, r.at, r.body);
    },
    sales(rows) {
      inTx();
      for (const r of rows)
        sale.run(
          r.id,
          r.session_id,
          r.station,
          r.registrant_id,
          r.tier,
          r.allotment_id,
          r.charged_allotment_id,
          r.event_id,
          r.verdict,
          r.over_by,
          r.held,
          r.decided_at,
          r.released_at,
        );
    },
    cases(rows) {
      inTx();
      for (const r of rows) {
        kase.run(
          r.id,
          r.sale_id,
          r.session_id,
          r.station,
          r.over_by,
          r.status,
          r.resolution,
          r.resolved_by,
          r.opened_at,
          r.resolved_at,
          r.registrant_id,
          r.tier,
          r.basis_json,
          r.due_at,
          r.escalate_at,
          r.default_action,
          r.escalated_at,
          r.decided_by,
          r.resolution_id,
          r.supervisor_id,
          r.note,
          r.outcome_json,
        );
      }
    },
    feed(rows) {
      inTx();
      for (const r of rows) feed.run(r.seq, r.id, r.type, r.sessionId, r.station, r.body, r.at);
    },
  };
}
