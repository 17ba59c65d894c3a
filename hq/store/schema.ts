/** Row types of the HQ database (migrations/hq). Column names are snake_case as in SQL. */
import type { Generated, Selectable } from 'kysely';

export type AllotmentStatus = 'active' | 'returned' | 'recalled' | 'reclaimed' | 'reissued';

export interface HqDB {
  meta: { key: string; value: string };
  counter: { name: string; value: number };
  conference: { id: string; body: string; seeded_at: string };
  ticket_type: { id: string; body: string };
  session: {
    id: string;
    body: string;
    starts_at: string;
    capacity: number;
    sellable: number;
    base_sold: number;
    sold: number;
    version: number;
    rate: Generated<number>;
    rate_at: number | null;
  };
  registrant: { id: string; body: string; origin: string; updated_at: string };
  station: {
    origin: string;
    next_seq: number;
    first_seen_at: string;
    last_event_at: string | null;
    key_id: string | null;
    public_key: string | null;
    snapshot_sent_at: string | null;
  };
  inbox: {
    id: string;
    origin: string;
    seq: number;
    type: string;
    status: 'applied' | 'rejected';
    note: string | null;
    applied_at: string;
    body: string | null;
  };
  parked: { origin: string; seq: number; id: string; body: string; poison: string | null; parked_at: string };
  dead_letter: {
    n: Generated<number>;
    message_id: string | null;
    event_id: string | null;
    origin: string | null;
    seq: number | null;
    reason: string;
    body: string;
    at: string;
  };
  allotment: {
    id: string;
    station: string;
    session_id: string;
    request_id: string | null;
    seats: number;
    used: Generated<number>;
    status: AllotmentStatus;
    granted_at: string;
    closed_at: string | null;
    note: string | null;
  };
  sale: {
    id: string;
    session_id: string;
    station: string;
    registrant_id: string;
    tier: string;
    allotment_id: string | null;
    charged_allotment_id: string | null;
    event_id: string;
    verdict: 'confirmed' | 'oversold';
    over_by: number | null;
    held: number;
    decided_at: string;
    released_at: string | null;
  };
  seat_wait: {
    sale_id: string;
    session_id: string;
    station: string;
    event_id: string;
    payload: string;
    since: string;
    until: string;
  };
  oversell_case: {
    id: string;
    sale_id: string;
    session_id: string;
    station: string;
    over_by: number;
    status: 'open' | 'resolved';
    resolution: string | null;
    resolved_by: string | null;
    opened_at: string;
    resolved_at: string | null;
    // 0003-reconciliation
    registrant_id: string | null;
    tier: string | null;
    basis_json: string | null;
    due_at: string | null;
    escalate_at: string | null;
    default_action: string | null;
    escalated_at: string | null;
    decided_by: 'station' | 'deadline' | 'release' | null;
    resolution_id: string | null;
    supervisor_id: string | null;
    note: string | null;
    outcome_json: string | null;
  };
  waitlist: {
    id: string;
    session_id: string;
    registrant_id: string;
    station: string;
    case_id: string | null;
    position: number;
    status: 'waiting' | 'promoted';
    added_at: string;
    promoted_at: string | null;
    sale_id: string | null;
  };
  badge_print: { registrant_id: string; version: number; station: string; applied_at: string };
  badge_revocation: { registrant_id: string; version: number; reason: string; at: string };
  // 0006-desk-day
  payment: {
    id: string;
    station: string;
    registrant_id: string;
    sale_id: string | null;
    purpose: string;
    description: string;
    amount: number;
    currency: string;
    method: string;
    reference: string | null;
    reason: string | null;
    staff_id: string | null;
    taken_at: string;
    status: 'paid' | 'voided' | 'refunded';
    closed_at: string | null;
    close_reason: string | null;
    supervisor_id: string | null;
  };
  registrant_change: {
    n: Generated<number>;
    event_id: string;
    station: string;
    registrant_id: string;
    kind: string;
    fields_json: string;
    reason: string;
    staff_id: string | null;
    at: string;
  };
  feed_outbox: {
    seq: number;
    id: string;
    type: string;
    session_id: string | null;
    station: string | null;
    body: string;
    created_at: string;
    sent_at: string | null;
  };
}

/** A sale and an oversell case as read back (the ledger's batch keeps the ones it wrote, hq/store/writer.ts). */
export type SaleRecord = Selectable<HqDB['sale']>;
export type CaseRecord = Selectable<HqDB['oversell_case']>;
