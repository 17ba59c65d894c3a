/** Row types of the station database (migrations/station). Column names are snake_case as in SQL. */
import type { ColumnType, Generated, Selectable } from 'kysely';

/** A column added by a later migration: NULL in older rows, optional when inserting. */
type Added<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ConferenceRow {
  id: string;
  name: string;
  timezone: string;
  starts_on: string;
  ends_on: string;
  policy_json: string | null;
  imported_at: string;
  logo: Added<string>;
  currency: Added<string>;
}
export interface SessionRow {
  id: string;
  conference_id: string;
  title: string;
  room: string;
  starts_at: string;
  ends_at: string;
  capacity: number;
  sellable: number;
  policy_json: string | null;
  room_for_extra_chair: Generated<number>;
  oversell_default: string | null;
  price: Added<number>;
  track: Added<string>;
}
export interface TicketTypeRow {
  id: string;
  conference_id: string;
  name: string;
  badge_template: string;
  badge_label: Added<string>;
  days_json: Added<string>;
  price: Added<number>;
  privileged: Generated<number>;
  tracks_json: Added<string>;
}
export interface RegistrantRow {
  rid: Generated<number>;
  id: string;
  conference_id: string;
  confirmation_code: string;
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  ticket_type_id: string;
  origin: 'import' | 'walkup' | 'hq';
  flagged_for_contact: Generated<number>;
  created_at: string;
  updated_at: string;
  /** The import format's optional fields for badges (core/conference.ts Registrant), JSON; NULL when none. */
  profile_json: Added<string>;
  status: Generated<'paid' | 'pending' | 'cancelled' | 'refunded'>;
  status_note: Added<string>;
  /** Fields a desk set ({field: value, null = cleared}); they win over a later import of the source file. */
  desk_fields_json: Added<string>;
  needs_reprint: Generated<number>;
  /** The conference-file import that last listed them (NULL: never in a file). */
  file_round: Added<number>;
  code_key: Added<string>;
  code_short: Added<string>;
}
export interface EntitlementRow {
  registrant_id: string;
  session_id: string;
  source: 'import' | 'sale';
  sale_id: string | null;
  created_at: string;
}
export interface AllotmentRow {
  id: string;
  session_id: string;
  request_id: string | null;
  seats: number;
  used: Generated<number>;
  status: 'active' | 'recalled' | 'returned';
  granted_at: string;
  closed_at: string | null;
}
export interface SaleRow {
  id: string;
  session_id: string;
  registrant_id: string;
  tier: 'online' | 'allotment' | 'overdraft' | 'override';
  status: 'pending' | 'confirmed' | 'oversold' | 'released' | 'refused';
  at_risk: number;
  proceed: number;
  allotment_id: string | null;
  basis_json: string;
  staff_id: string | null;
  created_at: string;
  decided_at: string | null;
  released_at: string | null;
  release_reason: string | null;
}
export interface AvailabilityRow {
  session_id: string;
  capacity: number;
  sold: number;
  allotted: number;
  version: number;
  sales_rate: number;
  hq_time: string | null;
  received_at: string | null;
}
export type ResolutionName = 'honor' | 'reverse' | 'move' | 'waitlist' | 'refuse';
/** An oversell case of the conference (any station's sale), as HQ opened and resolved it. */
export interface ReconciliationCaseRow {
  id: string;
  sale_id: string;
  session_id: string;
  registrant_id: string;
  station: string;
  tier: string | null;
  over_by: number | null;
  basis_json: string | null;
  status: 'open' | 'resolved';
  resolution: ResolutionName | null;
  opened_at: string | null;
  resolved_at: string | null;
  due_at: string | null;
  default_action: string | null;
  escalated_at: string | null;
  resolved_by: string | null;
  decided_by: 'station' | 'deadline' | 'release' | null;
  resolution_id: string | null;
  supervisor_id: string | null;
  note: string | null;
  outcome_json: string | null;
}
/** This station's resolution requests and HQ's answers. */
export interface CaseRequestRow {
  id: string;
  case_id: string;
  sale_id: string;
  action: ResolutionName;
  move_to_session_id: string | null;
  supervisor_id: string;
  note: string;
  requested_at: string;
  status: 'pending' | 'won' | 'lost' | 'refused';
  answered_at: string | null;
  answer: string | null;
}
export interface WaitlistEntryRow {
  id: string;
  session_id: string;
  registrant_id: string;
  station: string;
  case_id: string | null;
  position: number | null;
  status: 'waiting' | 'promoted';
  added_at: string | null;
  promoted_at: string | null;
  sale_id: string | null;
}
export interface ContactFlagRow {
  case_id: string;
  registrant_id: string;
  session_id: string;
  action: string;
  refund: number;
  reason: string;
  flagged_at: string;
  updated_at: string;
}
export interface BadgeRevocationRow {
  registrant_id: string;
  version: number;
  reason: string;
  received_at: string;
}
export interface CheckInRow {
  id: Generated<number>;
  registrant_id: string;
  session_id: string | null;
  at: string;
  staff_id: string | null;
  station: Added<string>;
}
export interface SeatReleaseRow {
  registrant_id: string;
  session_id: string;
  reason: string;
  released_at: string;
}
export interface PaymentRow {
  id: string;
  registrant_id: string;
  sale_id: string | null;
  purpose: 'ticket' | 'seat' | 'ticket_change' | 'balance';
  description: string;
  amount: number;
  currency: string;
  method: 'cash' | 'card' | 'invoice' | 'complimentary';
  reference: string | null;
  reason: string | null;
  staff_id: string | null;
  station: string;
  created_at: string;
  status: Generated<'paid' | 'voided' | 'refunded'>;
  closed_at: string | null;
  closed_by: string | null;
  close_reason: string | null;
}
export interface BadgeStockRow {
  id: Generated<number>;
  at: string;
  cards: number;
  staff_id: string | null;
  note: string;
}
export interface SearchKeyRow {
  key: string;
  term: string;
}
export interface PrintBatchRow {
  id: string;
  printer_uri: string;
  order_by: 'name' | 'company';
  ticket_type_id: string | null;
  dividers: number;
  state: 'running' | 'paused' | 'done' | 'cancelled';
  words: string | null;
  stopped_job_id: string | null;
  staff_id: string | null;
  created_at: string;
  updated_at: string;
}
export interface PrintBatchItemRow {
  batch_id: string;
  position: number;
  registrant_id: string | null;
  label: string | null;
  state: 'todo' | 'printed' | 'skipped';
  job_id: string | null;
  note: string | null;
}
export interface OutboxRow {
  seq: number;
  id: string;
  type: string;
  session_id: string | null;
  body: string;
  created_at: string;
  /** Set when a row was marked sent on its own; most rows are sent by `outbox_sent_through` (read `outbox_status`). */
  sent_at: string | null;
}
/** Every outbox row with seq <= `seq` is sent (the relay's batches in order); `at` is when the last one was marked. */
export interface OutboxSentThroughRow {
  id: number;
  seq: number;
  at: string | null;
}
/** The view `outbox_status`: each outbox row and when it was sent (null: not yet), however it was marked. */
export interface OutboxStatusRow {
  seq: number;
  id: string;
  type: string;
  session_id: string | null;
  created_at: string;
  sent_at: string | null;
}
export interface InboxRow {
  id: string;
  type: string;
  origin: string;
  origin_seq: number | null;
  status: 'applied' | 'ignored' | 'quarantined';
  note: string | null;
  body: string;
  received_at: string;
}
export interface KeyValueRow {
  key: string;
  value: string;
}
export interface CounterRow {
  name: string;
  value: number;
}
export interface StreamRecoveryRow {
  id: number;
  restored_at: string;
  backup_file: string;
  backup_last_seq: number;
  requested_at: string | null;
}
export interface StaffRow {
  id: string;
  name: string;
  role: 'desk' | 'supervisor';
  pin_hash: string;
  failed_attempts: Generated<number>;
  locked_until: string | null;
  created_at: string;
}
export interface AuditLogRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadRow {
  id: number;
  seq: number;
  hash: string;
}

/** The contentless FTS5 index; columns hold folded text (see fold.ts). */
export interface RegistrantFtsRow {
  rowid: number;
  name: string;
  email: string;
  company: string;
  confirmation_code: string;
}

export interface StationKeyRow {
  key_id: string;
  public_key: string;
  private_key: string;
  created_at: string;
  retired_at: string | null;
}
export interface BadgeRow {
  registrant_id: string;
  version: number;
  status: 'issued' | 'printed' | 'voided';
  template_id: string;
  code: string;
  key_id: string;
  created_at: string;
  printed_at: string | null;
  voided_at: string | null;
  void_reason: string | null;
}
export interface PrinterRow {
  uri: string;
  language: string;
  media: string;
  state: string | null;
  words: string | null;
  paper_low: Generated<number>;
  checked_at: string | null;
  last_job_at: string | null;
}
export type PrintJobStatus = 'queued' | 'sending' | 'printed' | 'failed' | 'uncertain';
export interface PrintJobRow {
  id: string;
  printer_uri: string;
  kind: 'badge' | 'test' | 'receipt' | 'divider';
  registrant_id: string | null;
  badge_version: number | null;
  status: PrintJobStatus;
  words: string | null;
  reason: string | null;
  reprint_of: string | null;
  staff_id: string | null;
  bytes: Uint8Array;
  created_at: string;
  sending_at: string | null;
  finished_at: string | null;
  /** BadgeWarning[] as JSON (core/badge/views.ts); NULL when there were none. */
  warnings_json: Added<string>;
}
export interface PrintLogRow {
  seq: Generated<number>;
  at: string;
  job_id: string | null;
  printer_uri: string;
  event: string;
  status: string | null;
  words: string | null;
  actor: string;
}

export interface BadgePrintRow {
  station: string;
  job_id: string;
  registrant_id: string;
  version: number;
  printed_at: string;
}

export interface StationDB {
  registrant_fts: RegistrantFtsRow;
  conference: ConferenceRow;
  session: SessionRow;
  ticket_type: TicketTypeRow;
  registrant: RegistrantRow;
  entitlement: EntitlementRow;
  allotment: AllotmentRow;
  sale: SaleRow;
  availability: AvailabilityRow;
  reconciliation_case: ReconciliationCaseRow;
  case_request: CaseRequestRow;
  waitlist_entry: WaitlistEntryRow;
  contact_flag: ContactFlagRow;
  badge_revocation: BadgeRevocationRow;
  check_in: CheckInRow;
  outbox: OutboxRow;
  outbox_sent_through: OutboxSentThroughRow;
  outbox_status: OutboxStatusRow;
  inbox: InboxRow;
  counter: CounterRow;
  stream_recovery: StreamRecoveryRow;
  sync_state: KeyValueRow;
  settings: KeyValueRow;
  staff: StaffRow;
  audit_log: AuditLogRow;
  audit_head: AuditHeadRow;
  station_key: StationKeyRow;
  badge: BadgeRow;
  badge_print: BadgePrintRow;
  printer: PrinterRow;
  print_job: PrintJobRow;
  print_log: PrintLogRow;
  seat_release: SeatReleaseRow;
  payment: PaymentRow;
  badge_stock: BadgeStockRow;
  search_key: SearchKeyRow;
  print_batch: PrintBatchRow;
  print_batch_item: PrintBatchItemRow;
}

/** Rows as read back (generated columns resolved), for code outside the store. */
export type StaffRecord = Selectable<StaffRow>;
export type SaleRecord = Selectable<SaleRow>;
export type SessionRecord = Selectable<SessionRow>;
