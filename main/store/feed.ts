/**
 * What applying HQ's feed runs for every message, as prepared statements on the raw connection: the inbox's check
 * and insert, HQ's availability numbers and the sale a verdict names. Kysely building these once per message was
 * the largest share of the station's own CPU in the sync.apply profile (bench/README.md). Inside the feed's
 * transaction only (`inTx`), like the outbox writer.
 */
import type { Selectable } from 'kysely';
import type { RawDb } from './db';
import type { InboxRow } from './queues';
import type { SaleRow } from './schema';

export function feedWriter(raw: RawDb) {
  // The ids travel as one JSON array: one statement for any number of them.
  const holds = raw.prepare<[string], { id: string }>(
    'SELECT id FROM inbox WHERE id IN (SELECT value FROM json_each(?))',
  );
  const insertInbox = raw.prepare<[string, string, string, number | null, string, string | null, string, string]>(
    'INSERT INTO inbox (id, type, origin, origin_seq, status, note, body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const availability = raw.prepare<[number, number, number, number, number, string, string, string, number]>(
    `UPDATE availability SET capacity = ?, sold = ?, allotted = ?, version = ?, sales_rate = ?, hq_time = ?,
       received_at = ? WHERE session_id = ? AND version < ?`,
  );
  const sale = raw.prepare<[string], Selectable<SaleRow>>('SELECT * FROM sale WHERE id = ?');
  const inside = () => {
    if (!raw.inTransaction) throw new Error('the feed is applied inside its transaction');
  };
  return {
    /** Which of these ids the inbox already holds. */
    inboxHolds(ids: string[]): Set<string> {
      inside();
      return new Set(ids.length ? holds.all(JSON.stringify(ids)).map((r) => r.id) : []);
    },
    recordInbox(rows: InboxRow[]): void {
      inside();
      for (const r of rows) insertInbox.run(r.id, r.type, r.origin, r.originSeq, r.status, r.note, r.body, r.at);
    },
    /** Applies HQ's numbers only if `version` is newer; returns whether anything changed. */
    applyAvailability(a: {
      sessionId: string;
      capacity: number;
      sold: number;
      allotted: number;
      version: number;
      salesRatePerMin: number;
      hqTime: string;
      receivedAt: string;
    }): boolean {
      inside();
      return (
        availability.run(
          a.capacity,
          a.sold,
          a.allotted,
          a.version,
          a.salesRatePerMin,
          a.hqTime,
          a.receivedAt,
          a.sessionId,
          a.version,
        ).changes > 0
      );
    },
    sale(id: string): Selectable<SaleRow> | undefined {
      inside();
      return sale.get(id);
    },
  };
}

export type FeedWriter = ReturnType<typeof feedWriter>;
