/**
 * The station API, declared once: channel name (noun.verb) → request schema → result type. The same contract is
 * served in-process (tests, CLI), over Electron IPC (preload allow-list) and over the loopback WebSocket. Adding a
 * feature means one entry here and one handler in main/station.
 */
import { z } from 'zod';
import { ConferenceFile, registrantCsvFields } from './conference';
import type { Conference, Registrant as RegistrantSchema } from './conference';
import { PaymentInput, type PaymentMethod, type PaymentPurpose } from './money';
import { Id, StationId } from './ids';
import type { DeadlineAction } from './conference';
import { type CaseOutcome as CaseOutcomeSchema, OversellResolution } from './messages';
import type { FailedCondition, SaleBasis, SaleTier } from './policy';
import type { BoardVerdictState } from './board';
import {
  allModes,
  staffModes,
  StationMode as StationModeSchema,
  type Access,
  type Caller,
  type StaffRole,
  type StationMode,
} from './access';
import type { StationEvent, StationEventType } from './events';
import type { Result } from './result';
import type { RegistrantSummary } from './registrant-summary';

export type { RegistrantSummary } from './registrant-summary';
import type { StalenessUnknownReason } from './staleness';
import { PrinterUri } from './badge/printer';
import type {
  BadgePreview,
  BadgeVerification,
  PrintJobView,
  PrinterView,
  PrintLogEntry,
  StationKeyView,
} from './badge/views';
import { SalePolicyParams } from './conference';
import type { CsvField } from './csv-mapping';

// ---- result shapes ----------------------------------------------------------------------------------------------

export interface Progress {
  operation: string;
  /** `indexing`: the second pass of a registrant import, the search index (as long again as writing the rows). */
  phase: 'validating' | 'writing' | 'indexing' | 'done';
  done: number;
  total: number;
}

export interface ImportReport {
  conferenceId: string;
  /** The conference's first day as imported (after a shift). */
  startsOn?: string;
  sessions: number;
  ticketTypes: number;
  registrants: { inserted: number; updated: number };
  entitlements: number;
  /**
   * CSV rows that were not imported, with their line and why (nothing of such a row is written); the first
   * REJECTED_LISTED of them. A JSON conference file is imported whole or not at all, so it has none.
   */
  rejected: RejectedRow[];
  /** How many rows were rejected in all (more than `rejected.length` when the list is capped). */
  rejectedCount: number;
  /**
   * A conference file is the whole list: registrants an earlier file brought in that this one no longer has are
   * marked cancelled (never deleted; they keep their history). The first REJECTED_LISTED ids, and how many.
   * CSV imports are partial lists and cancel nobody.
   */
  cancelled?: { ids: string[]; count: number };
}

export interface RejectedRow {
  /** Line in the file (the header is line 1). */
  line: number;
  reason: string;
}

export const REJECTED_LISTED = 100;

/** Money as integers in the currency's minor unit (cents). */
export interface MoneyView {
  amount: number;
  currency: string;
}

export interface PaymentView {
  id: string;
  registrantId: string;
  saleId: string | null;
  purpose: PaymentPurpose;
  description: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  reference: string | null;
  reason: string | null;
  staffId: string | null;
  station: string;
  createdAt: string;
  /** paid; voided (a mistake, by a supervisor); refunded (money given back, by a supervisor or when HQ refused the seat). */
  status: 'paid' | 'voided' | 'refunded';
  closedAt: string | null;
  closedBy: string | null;
  closeReason: string | null;
}

export interface TicketTypeView {
  id: string;
  name: string;
  label: string | null;
  /** Conference days it is valid on, with their dates; null: every day. */
  days: { day: number; date: string }[] | null;
  tracks: string[] | null;
  price: MoneyView | null;
  /** Needs a supervisor to sell or change to (speaker, staff). */
  privileged: boolean;
}

export interface RegistrantDetail extends RegistrantSummary {
  origin: 'import' | 'walkup' | 'hq';
  flaggedForContact: boolean;
  ticket: TicketTypeView;
  /** Why it is cancelled or pending, or how a pending one was settled. */
  statusNote: string | null;
  sessions: {
    sessionId: string;
    title: string;
    room: string;
    startsAt: string;
    endsAt: string;
    source: 'import' | 'sale';
    saleId: string | null;
    /** This desk's sale of the seat and what HQ said; null for imported seats and HQ's own (moves, waitlists). */
    sale: { status: SaleStatus; atRisk: boolean; tier: SaleTier } | null;
  }[];
  checkIns: { sessionId: string | null; at: string; station: string; staffId: string | null }[];
  /** The newest print of this person's badge known here (this station's or another's), null if none yet. */
  lastPrint: BadgePrintView | null;
  /** The current badge version here: where, when and by whom it printed (by whom: this station's prints). */
  badge: {
    version: number;
    status: 'issued' | 'printed' | 'voided';
    printedAt: string | null;
    station: string | null;
    printedBy: string | null;
  } | null;
  payments: PaymentView[];
  /** What was paid, less voids and refunds; null when nothing was ever paid here. */
  paid: MoneyView | null;
  /** Changes made at desks (corrections, decisions, ticket changes, transfers, seats given back), newest first. */
  history: { at: string; actor: string; action: string; summary: string }[];
}

/** A walk-up registered, and the seats chosen for them sold one by one (each its own sale). */
export interface WalkUpOutcome extends RegistrantDetail {
  sales: { sessionId: string; outcome: SaleOutcome | null; error: { code: string; message: string } | null }[];
}

export interface SeatSwapOutcome {
  /** The new seat's sale. */
  sale: SaleOutcome;
  /** The old seat was given back (only once the new one is sold or covered). */
  released: boolean;
  message: string;
}

export interface ReceiptView {
  registrantId: string;
  /** The receipt as staff see it and the printer gets it: PNG (base64), one raster. */
  png: string;
  width: number;
  height: number;
  lines: string[];
  total: MoneyView | null;
}

export interface StockView {
  /** The venue's day (YYYY-MM-DD). */
  day: string;
  /** Blank badges loaded today (recorded by staff). */
  loaded: number;
  /** Badges printed today (cards used), voided today, and spoiled (a job that failed after sending, a test page). */
  issued: number;
  voided: number;
  spoiled: number;
  /** loaded − issued − spoiled; null when nothing was recorded as loaded. */
  left: number | null;
}

export interface PrintBatchView {
  id: string;
  printer: string;
  order: 'name' | 'company';
  state: 'running' | 'paused' | 'done' | 'cancelled';
  /** Badges to print, and how many printed; dividers are not counted. */
  total: number;
  printed: number;
  skipped: number;
  /** Why it paused, for staff; the job that stopped it (an uncertain one is confirmed before resuming). */
  words: string | null;
  stoppedJobId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type SaleStatus = 'pending' | 'confirmed' | 'oversold' | 'released' | 'refused';

export interface Sale {
  id: string;
  sessionId: string;
  registrantId: string;
  tier: SaleTier;
  status: SaleStatus;
  /** Sold without HQ's word and not yet decided: may turn out oversold. */
  atRisk: boolean;
  /** The person leaves with the seat (badge may print) even though HQ has not answered yet. */
  proceed: boolean;
  allotmentId: string | null;
  basis: SaleBasis;
  createdAt: string;
  decidedAt: string | null;
}

export interface AvailabilityView {
  sessionId: string;
  capacity: number;
  sold: number;
  allotted: number;
  version: number;
  salesRatePerMin: number;
  /** HQ's time of the numbers, null if never heard from HQ (numbers come from the import). */
  hqTime: string | null;
  /** Seats in this station's hands (allotments), and this station's sales HQ has not decided yet. */
  allotmentRemaining: number;
  pendingHere: number;
}

export interface SessionView {
  id: string;
  title: string;
  room: string;
  startsAt: string;
  endsAt: string;
  sellable: boolean;
  availability: AvailabilityView;
  /** People checked in at this session's door (scans on this station). */
  checkedIn: number;
}

export interface SalePreview {
  allowed: boolean;
  tier: SaleTier | null;
  basis: SaleBasis;
  failed: FailedCondition[];
  availability: AvailabilityView;
  /** What the seat costs (null: free). */
  price: MoneyView | null;
}

export interface SaleOutcome {
  /**
   * confirmed: HQ confirmed; proceed: sold on the station's own authority (allotment, overdraft, override, or no
   * verdict in time but covered); awaiting: no verdict in time and not covered (wait or cancel); refused: the
   * policy or HQ said no.
   */
  outcome: 'confirmed' | 'proceed' | 'awaiting' | 'refused';
  /**
   * Why, for a screen to word: how a `proceed` sale was covered, or what HQ said (`oversold`) or that staff
   * `cancelled` while waiting.
   */
  why:
    | 'hq_confirmed'
    | 'allotment'
    | 'overdraft'
    | 'override'
    | 'no_verdict_allotment'
    | 'no_verdict_overdraft'
    | 'no_verdict_not_covered'
    | 'oversold'
    | 'cancelled';
  sale: Sale | null;
  failed: FailedCondition[];
  /** The same in English (command line, logs). */
  message: string;
}

/** What a screen needs to know about the station it runs on (the mode is the shell's, never the page's). */
export interface StationSettings {
  stationId: string;
  mode: StationMode;
  /** Printers a screen may choose from; the first is the default. */
  printers: string[];
  /** A kiosk goes back to its start screen after this long without a touch. */
  kioskIdleSec: number;
  /** A signed-in member of staff is signed out after this long without using the station. */
  staffIdleMin: number;
}

export interface StaffSessionView {
  staffId: string;
  name: string;
  role: StaffRole;
}

/** One badge printed by a station (this one, or another whose BadgePrinted reached this station through HQ). */
export interface BadgePrintView {
  registrantId: string;
  version: number;
  station: string;
  printedAt: string;
}

/** A badge printed at two stations that could not see each other (two kiosks offline): staff must know. */
export interface DuplicatePrint {
  registrantId: string;
  name: string;
  prints: BadgePrintView[];
}

export interface StaffView {
  id: string;
  name: string;
  role: StaffRole;
  lockedUntil: string | null;
}

export interface SupportBundle {
  file: string;
  bytes: number;
  entries: string[];
  /** The zip itself (base64), when the screen asked to download it. */
  zipBase64?: string;
}

export interface BackupFile {
  file: string;
  bytes: number;
  takenAt: string;
}

export interface BackupReport extends BackupFile {
  /** The backups kept after this one (newest first); older ones were deleted. */
  kept: BackupFile[];
  removed: string[];
}

export interface BackupStatus {
  folder: string;
  keep: number;
  backups: BackupFile[];
  /** Restored from a backup and not yet told by HQ where its stream stands: nothing that sends an event works. */
  streamRecovery: { restoredAt: string; backupFile: string; backupLastSeq: number; requestedAt: string | null } | null;
}

export interface AuditVerification {
  /** The audit chain is intact and the database passed SQLite's full integrity check. */
  ok: boolean;
  rows: number;
  problem: string | null;
  firstBadSeq: number | null;
  integrity: DatabaseIntegrity;
}

/** The database's integrity check (at open: quick_check; audit-verify: the full integrity_check). */
export interface DatabaseIntegrity {
  /** `checking` while the check at open runs in the background (a large database). */
  state: 'checking' | 'ok' | 'damaged';
  /** SQLite's first findings when damaged. */
  problems: string[];
  /** What staff should do, when damaged. */
  message: string | null;
}

// ---- reconciliation (DESIGN §8) ----

export type ResolutionAction = z.infer<typeof OversellResolution>;

/** A resolution this station asked HQ for, and HQ's answer. */
export interface CaseRequestView {
  id: string;
  action: ResolutionAction;
  moveToSessionId: string | null;
  supervisorId: string;
  note: string;
  requestedAt: string;
  /** pending: no answer from HQ yet (queued while offline); won: HQ applied it; lost: another one won; refused: it did not apply. */
  status: 'pending' | 'won' | 'lost' | 'refused';
  answeredAt: string | null;
  answer: string | null;
}

/** An oversell case of the conference, whichever station sold the seat: its whole story. */
export interface OversellCase {
  id: string;
  saleId: string;
  sessionId: string;
  registrantId: string;
  /** The station that sold the seat ("station:desk-a"), and whether that is this one. */
  station: string;
  soldHere: boolean;
  /** Null only until HQ's OversellCaseOpened arrives (its resolution came first). */
  tier: SaleTier | null;
  overBy: number | null;
  basis: SaleBasis | null;
  status: 'open' | 'resolved';
  openedAt: string | null;
  dueAt: string | null;
  /** Time left by this station's clock (negative once overdue); null once resolved. */
  minutesLeft: number | null;
  /** What HQ applies at `dueAt` if nobody resolved it. */
  defaultAction: DeadlineAction | null;
  /** Due soon: every supervisor was alerted. */
  escalated: boolean;
  resolution: ResolutionAction | null;
  resolvedAt: string | null;
  /** Whose resolution HQ applied ("station:desk-b", or "hq" for the deadline). */
  resolvedBy: string | null;
  decidedBy: 'station' | 'deadline' | 'release' | null;
  supervisorId: string | null;
  note: string | null;
  outcome: z.infer<typeof CaseOutcomeSchema> | null;
  /** This station's latest request for the case. */
  request: CaseRequestView | null;
}

export interface CaseResolutionOutcome {
  /** applied: HQ applied this request; pending: no answer yet (sent, or queued offline: another one may win); lost; refused. */
  outcome: 'applied' | 'pending' | 'lost' | 'refused';
  case: OversellCase;
  message: string;
}

export interface WaitlistEntryView {
  id: string;
  sessionId: string;
  registrantId: string;
  name: string | null;
  /** The desk that registered the person (told when they are promoted). */
  station: string;
  caseId: string | null;
  /** Place in line among those still waiting (1 = next); null once promoted. */
  place: number | null;
  status: 'waiting' | 'promoted';
  addedAt: string | null;
  promotedAt: string | null;
  saleId: string | null;
}

export interface CsvExport {
  report: 'contacts' | 'cases' | 'day';
  /** A suggested file name. */
  filename: string;
  rows: number;
  /** UTF-8 text starting with a byte order mark, so spreadsheet programs read accents right. */
  csv: string;
}

/** Something staff should notice now (the UI turns these into toasts and OS notifications): core/events.ts. */
export type { StaffNotification } from './events';

export interface StationStatus {
  stationId: string;
  conference: Pick<Conference, 'id' | 'name' | 'startsOn' | 'endsOn'> | null;
  counts: { sessions: number; registrants: number; sales: number; pendingSales: number; checkIns: number };
  outbox: { depth: number; oldestUnsentAt: string | null; lastSeq: number };
  inbox: { applied: number; quarantined: number };
  staleness: { known: true; minutes: number } | { known: false; reason: StalenessUnknownReason };
  lastHqContact: string | null;
  openCases: number;
  integrity: DatabaseIntegrity;
}

/** One session's seats in hand and what this desk should hold (`allotment.plan`). */
export interface AllotmentPlan {
  sessionId: string;
  startsAt: string;
  /** Seats in hand now, and the active allotments they are in (an allotment goes back whole). */
  held: number;
  allotments: { allotmentId: string; unused: number }[];
  /** This desk's own recent sales rate for the session, seats per minute. */
  ownSalesRatePerMin: number;
  /** The outage length the desk plans for, from the outages it has seen (and the session's typicalOutageMin). */
  planningOutageMin: number;
  outagesSeen: number;
  /** Minutes until the seats go back (≤ 0: give them back now). */
  minutesToReturn: number;
  /** Seats to hold. */
  target: number;
  /** Seats neither sold nor held by anyone, as HQ last said. */
  unallocated: number;
}

export interface SyncStatus {
  /** False for a station without sync configuration (headless, tests, the demo without a bus). */
  configured: boolean;
  state: 'offline' | 'connecting' | 'online' | 'degraded';
  /** Why, in words for staff. */
  reason: string;
  workOffline: boolean;
  lastHqContact: string | null;
  staleness: StationStatus['staleness'];
  outbox: {
    depth: number;
    oldestUnsentAt: string | null;
    oldestAgeMin: number | null;
    sentTotal: number;
    ratePerSec: number;
  };
  inbox: { applied: number; quarantined: number };
  lastError: string | null;
}

export interface FeedApplyResult {
  status: 'applied' | 'duplicate' | 'ignored';
  type: string;
  note: string | null;
}

/** One result per envelope of `feed.applyBatch`, in order: invalid ones are rejected alone and write nothing. */
export type FeedBatchItem = FeedApplyResult | { status: 'invalid'; reason: string };

// ---- the supervisor console (issue 14) ----

/** One session on the availability board: HQ's numbers with their age, this station's hands, and its verdict. */
export interface BoardSession {
  id: string;
  title: string;
  room: string;
  startsAt: string;
  endsAt: string;
  sellable: boolean;
  /** By this station's clock. */
  phase: 'upcoming' | 'running' | 'over';
  capacity: number;
  sold: number;
  /** Seats held in allotments by every station (HQ's number), this one's included. */
  allotted: number;
  /** Of those, the seats in this station's own hands, unused. */
  heldHere: number;
  /** Seats neither sold nor held in any allotment (never below 0). */
  free: number;
  /** Seats sold beyond capacity (an oversold session: extra chairs or cases). */
  over: number;
  /** This station's sales HQ has not decided yet. */
  pendingHere: number;
  salesRatePerMin: number;
  /** HQ's time of these numbers and their age in minutes by this station's clock; both null: from the import. */
  hqTime: string | null;
  ageMin: number | null;
  /**
   * What this station may do now — the sale policy, as `sale.preview` decides it, and the board's word on it
   * (core/board.ts: `full` when online but HQ has no seat left to confirm); null for sessions not sold at desks.
   */
  verdict: { allowed: boolean; tier: SaleTier | null; failed: FailedCondition[]; state: BoardVerdictState } | null;
  /** Oversell cases still open for the session. */
  openCases: number;
}

/** Every session, upcoming first (soonest first), then running, then over. */
export interface SessionBoard {
  at: string;
  sessions: BoardSession[];
}

export interface ConnectivitySpan {
  state: SyncStatus['state'];
  reason: string;
  from: string;
  to: string;
}

/** What a supervisor checks when something is not arriving: the sync engine in detail. */
export interface SyncDetails {
  status: SyncStatus;
  /** The link over the last hour (since the station started, if later), oldest first; empty without sync. */
  history: { from: string; to: string; spans: ConnectivitySpan[] };
  /** The backlog being sent since the link last came back: null when nothing was waiting then. */
  drain: { total: number; sent: number; since: string } | null;
  /** Feed messages that failed validation (dead-lettered on the bus), newest first, with why. */
  quarantined: { id: string; reason: string; receivedAt: string }[];
  /** Seats HQ granted this station, still in hand. */
  allotments: {
    allotmentId: string;
    sessionId: string;
    title: string;
    seats: number;
    used: number;
    remaining: number;
    grantedAt: string;
    startsAt: string | null;
  }[];
}

export type PolicyParamName = keyof SalePolicyParams;

/** One sale-policy setting as it applies on this station, and where its value comes from. */
export interface PolicySetting {
  name: PolicyParamName;
  value: number;
  defaultValue: number;
  /** The conference's own value, and this station's (its configuration), when they set one. */
  conference: number | null;
  station: number | null;
  source: 'default' | 'conference' | 'station';
}

/** The station's setup as a supervisor sees it (the connection's secret never leaves the station). */
export interface StationSetup {
  stationId: string;
  mode: StationMode;
  connection: { configured: boolean; masked: string | null; endpoint: string | null; keyName: string | null };
  printers: string[];
  policy: PolicySetting[];
  integrity: DatabaseIntegrity;
  /** Saved settings that take effect at the next start (station id, mode, connection), as saved. */
  pendingRestart: SettingsField[];
}

/** What `settings.save` can change; the first three take effect when the station restarts, the others at once. */
export const settingsFields = ['stationId', 'mode', 'connection', 'printers', 'policy'] as const;
export type SettingsField = (typeof settingsFields)[number];
export const restartFields: readonly SettingsField[] = ['stationId', 'mode', 'connection'];

export interface SettingsSaved {
  /** The fields that changed and were saved. */
  saved: SettingsField[];
  /** Of those, the ones that need a restart of the station (the rest already apply). */
  restartNeeded: SettingsField[];
  /** The connection test that let a new connection string be saved. */
  connectionCheck: ConnectionCheck | null;
  setup: StationSetup;
}

/** A connection string tried against the bus, step by step (the secret is never echoed). */
export interface ConnectionCheck {
  ok: boolean;
  endpoint: string | null;
  keyName: string | null;
  steps: { step: 'read' | 'send' | 'listen'; ok: boolean; words: string }[];
}

/** The head of a CSV file read as the import would read it, and what the mapping would do with its first rows. */
export interface CsvPreview {
  headers: string[];
  rows: { line: number; cells: string[] }[];
  /** The mapping as given, or guessed from the header when none was given. */
  mapping: Partial<Record<CsvField, string>>;
  fields: { field: CsvField; need: 'always' | 'or_default' | 'optional'; column: string | null }[];
  /** Required fields neither mapped nor covered by a default: the import would refuse the file. */
  missing: CsvField[];
  /** Problems with the file as a whole (a header named twice, a mapped column that is not there): nothing would import. */
  problems: string[];
  /** The preview rows checked against this station now (nothing written). */
  checks: { line: number; outcome: 'insert' | 'update' | 'reject'; reason: string | null }[];
}

/** A badge version that no longer opens doors (reprinted, reversed), newest first. */
export interface VoidedBadge {
  registrantId: string;
  name: string | null;
  version: number;
  voidedAt: string;
  reason: string;
}

// ---- requests -----------------------------------------------------------------------------------------------------

const Payment = PaymentInput;
const PinText = z.string().regex(/^\d{4,12}$/, 'a PIN is 4 to 12 digits');
export const SupervisorAuth = z.object({ supervisorId: Id, pin: PinText }).strict();
const Note = z.string().trim().max(500);
const NoArgs = z.object({}).strict();

/** A mapping being built on screen: it may still be empty. */
const CsvMappingDraft = z.partialRecord(z.enum(registrantCsvFields), z.string().min(1).max(200));
const ConnectionText = z.string().trim().min(1, 'paste the connection string').max(4096);

export const CsvMapping = z
  .partialRecord(z.enum(registrantCsvFields), z.string().min(1).max(200))
  .refine((m) => Object.keys(m).length > 0, 'map at least one column');

/** Who may call it (see core/access.ts): the station modes whose screens may, and the staff role needed. */
const anyone = (modes: readonly StationMode[] = allModes): Access => ({ modes, role: 'anyone' });
const staff = (modes: readonly StationMode[] = staffModes): Access => ({ modes, role: 'staff' });
const supervisor = (modes: readonly StationMode[] = ['supervisor']): Access => ({ modes, role: 'supervisor' });
const selling = ['desk', 'supervisor'] as const;
/** The modes that sell seats (and so keep seats in hand: the allotment keeper runs only there). */
export const sellingModes: readonly StationMode[] = selling;
const printing = ['kiosk', 'desk', 'supervisor'] as const;

const op = <Req extends z.ZodType>(request: Req, access: Access) => ({
  returns: <Res>() => ({ request, access, result: undefined as unknown as Res }),
});

export const contract = {
  'station.status': op(NoArgs, anyone()).returns<StationStatus>(),
  'station.settings': op(NoArgs, anyone()).returns<StationSettings>(),
  /**
   * `shiftTo` moves the conference so that its first day is that date (or the venue's today): for the embedded demo
   * only, so that it is always upcoming. A real conference is imported as it is.
   */
  'conference.import': op(
    z.object({ data: ConferenceFile, shiftTo: z.union([z.iso.date(), z.literal('today')]).optional() }).strict(),
    supervisor(),
  ).returns<ImportReport>(),
  /**
   * Registrants from another system's CSV through a column mapping. A row updates an existing registrant only on an
   * explicit key — its mapped `id`, or its confirmation code and email together — and only the mapped fields; an
   * unkeyed row is a new registrant with id `csv-<code>`. A row that cannot be imported (invalid, unknown ticket
   * type or session, or one that would overwrite a different person) is rejected alone and listed; a file-level
   * problem (unreadable, a mapped column missing, a duplicate header, no rows, every row rejected) imports nothing.
   */
  'registrants.importCsv': op(
    z
      .object({
        csv: z.string().min(1, 'the CSV is empty').max(100_000_000),
        mapping: CsvMapping,
        /** For new registrants, where the mapped column is absent or empty (an existing one keeps its own). */
        defaults: z.object({ ticketTypeId: Id.optional() }).strict().default({}),
        sessionsSeparator: z.string().min(1).max(3).default(';'),
      })
      .strict(),
    supervisor(),
  ).returns<ImportReport>(),
  'sessions.list': op(NoArgs, anyone(staffModes)).returns<SessionView[]>(),
  'ticketTypes.list': op(NoArgs, anyone(selling)).returns<TicketTypeView[]>(),
  /** At a kiosk without staff signed in, results leave out e-mail addresses (a stranger may be typing). */
  'registrant.search': op(
    z.object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).default(20) }).strict(),
    anyone(),
  ).returns<RegistrantSummary[]>(),
  'registrant.get': op(z.object({ id: Id }).strict(), anyone()).returns<RegistrantDetail>(),
  /**
   * A walk-up: a priced ticket needs `payment`, a privileged one (speaker, staff) a supervisor; someone who looks
   * already registered (same name and e-mail, or a similar name) is refused with the matches (`possible_duplicate`)
   * unless `allowDuplicate`. `sessions` are sold right after, each as its own sale (with the same payment method).
   */
  'registrant.registerWalkUp': op(
    z
      .object({
        firstName: z.string().trim().max(120),
        lastName: z.string().trim().max(120),
        email: z.union([z.literal(''), z.email().max(254)]).default(''),
        company: z.string().trim().max(200).default(''),
        ticketTypeId: Id,
        payment: Payment.optional(),
        supervisor: SupervisorAuth.optional(),
        sessions: z.array(Id).max(20).default([]),
        allowDuplicate: z.boolean().default(false),
      })
      .strict()
      .refine((r) => (r.firstName + r.lastName).length > 0, {
        message: 'enter a first or last name',
        path: ['firstName'],
      })
      .refine((r) => new Set(r.sessions).size === r.sessions.length, {
        message: 'a session is listed twice',
        path: ['sessions'],
      }),
    staff(selling),
  ).returns<WalkUpOutcome>(),
  'sale.preview': op(
    z.object({ sessionId: Id, registrantId: Id.optional() }).strict(),
    anyone(selling),
  ).returns<SalePreview>(),
  /** A priced seat needs `payment` (recorded with the sale; given back automatically if HQ refuses the seat). */
  'sale.sell': op(
    z
      .object({ sessionId: Id, registrantId: Id, override: SupervisorAuth.optional(), payment: Payment.optional() })
      .strict(),
    staff(selling),
  ).returns<SaleOutcome>(),
  'registration.upgrade': op(
    z
      .object({ registrantId: Id, sessionId: Id, override: SupervisorAuth.optional(), payment: Payment.optional() })
      .strict(),
    staff(selling),
  ).returns<SaleOutcome>(),
  'sale.release': op(
    z.object({ saleId: Id, reason: Note.min(1, 'give a reason') }).strict(),
    staff(selling),
  ).returns<Sale>(),
  'checkin.record': op(
    z.object({ registrantId: Id, sessionId: Id.nullable().default(null) }).strict(),
    staff(),
  ).returns<{
    registrantId: string;
    sessionId: string | null;
    at: string;
    firstTime: boolean;
  }>(),
  'staff.add': op(
    z
      .object({
        id: Id,
        name: z.string().trim().min(1).max(120),
        role: z.enum(['desk', 'supervisor']),
        pin: PinText,
        /** Needed once any supervisor exists, unless a supervisor is signed in; the very first staff member must be a supervisor. */
        by: SupervisorAuth.optional(),
      })
      .strict(),
    anyone(['supervisor']),
  ).returns<StaffView>(),
  'staff.verify': op(z.object({ staffId: Id, pin: PinText }).strict(), anyone()).returns<StaffView>(),
  /** Signs in at this window or connection (the shell keeps the session; it ends after `staffIdleMin` idle). */
  'staff.signIn': op(z.object({ staffId: Id, pin: PinText }).strict(), anyone()).returns<StaffSessionView>(),
  'staff.signOut': op(NoArgs, anyone()).returns<null>(),
  /** Who is signed in at this window or connection, if anyone. */
  'staff.session': op(NoArgs, anyone()).returns<StaffSessionView | null>(),
  'staff.list': op(NoArgs, anyone()).returns<StaffView[]>(),
  'audit.verify': op(NoArgs, supervisor()).returns<AuditVerification>(),
  /** An online backup of the station database now (also taken on a schedule by the runtime), kept N deep. */
  'backup.create': op(NoArgs, supervisor(allModes)).returns<BackupReport>(),
  /**
   * A zip for support (the console's button, the CLI's support-bundle): logs, sync status, versions, configuration
   * without secrets, queue counts and the audit-chain check — no personal data beyond ids.
   */
  'support.bundle': op(
    z.object({ download: z.boolean().default(false) }).strict(),
    staff(allModes),
  ).returns<SupportBundle>(),
  /** The backups kept, and whether this station (restored from one) still waits for HQ to say where its stream stands. */
  'backup.status': op(NoArgs, staff(allModes)).returns<BackupStatus>(),
  'cases.list': op(
    z.object({ status: z.enum(['open', 'resolved', 'all']).default('open') }).strict(),
    staff(selling),
  ).returns<OversellCase[]>(),
  'sync.status': op(NoArgs, anyone()).returns<SyncStatus>(),
  /** The manual "work offline" switch (DESIGN §6). */
  'sync.setWorkOffline': op(z.object({ on: z.boolean() }).strict(), staff()).returns<SyncStatus>(),
  /** HQ feed messages; the sync receiver calls this, the screens may not. */
  'feed.apply': op(z.object({ envelope: z.unknown() }).strict(), 'internal').returns<FeedApplyResult>(),
  /** Many feed messages in one transaction (the receiver's group commit); each is validated on its own. */
  'feed.applyBatch': op(z.object({ envelopes: z.array(z.unknown()).min(1).max(1000) }).strict(), 'internal').returns<
    FeedBatchItem[]
  >(),
  // ---- badges and printing (DESIGN §9) ----
  'badge.preview': op(
    z.object({ registrantId: Id, printer: PrinterUri.optional() }).strict(),
    anyone(printing),
  ).returns<BadgePreview>(),
  /**
   * Prints the registrant's badge through the queue (default: the station's first printer); with `wait` (default)
   * returns once the job is final. Without staff signed in (an attendee at a kiosk), a badge already printed is
   * refused (`conflict`, `already_printed`): staff reprint it at a desk, with a reason.
   */
  'badge.print': op(
    z
      .object({
        registrantId: Id,
        printer: PrinterUri.optional(),
        reason: Note.min(1).optional(),
        wait: z.boolean().default(true),
      })
      .strict(),
    anyone(printing),
  ).returns<PrintJobView>(),
  /** Every print of the registrant's badges known here (this station's, and others' through HQ). */
  'badge.prints': op(z.object({ registrantId: Id }).strict(), staff(selling)).returns<BadgePrintView[]>(),
  /** Badges printed at two stations that could not see each other. */
  'badge.duplicates': op(NoArgs, staff(selling)).returns<DuplicatePrint[]>(),
  'print.jobs': op(
    z
      .object({
        status: z.enum(['queued', 'sending', 'printed', 'failed', 'uncertain']).optional(),
        registrantId: Id.optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    staff(printing),
  ).returns<PrintJobView[]>(),
  /** Staff looked at the printer after an uncertain job: did the badge come out? */
  'print.confirm': op(z.object({ jobId: Id, printed: z.boolean() }).strict(), staff(printing)).returns<PrintJobView>(),
  'print.reprint': op(
    z
      .object({
        jobId: Id,
        reason: Note.min(1, 'give a reason'),
        printer: PrinterUri.optional(),
        wait: z.boolean().default(true),
      })
      .strict(),
    staff(selling),
  ).returns<PrintJobView>(),
  'print.log': op(
    z.object({ jobId: Id.optional(), limit: z.number().int().min(1).max(1000).default(100) }).strict(),
    staff(selling),
  ).returns<PrintLogEntry[]>(),
  'printer.status': op(z.object({ printer: PrinterUri }).strict(), anyone(printing)).returns<PrinterView>(),
  'printer.list': op(NoArgs, anyone()).returns<PrinterView[]>(),
  'printer.testPage': op(
    z.object({ printer: PrinterUri, wait: z.boolean().default(true) }).strict(),
    staff(selling),
  ).returns<PrintJobView>(),
  /** Door scanning: checks a scanned badge code offline (signature, station key, revocation). */
  'badge.verify': op(z.object({ code: z.string().max(1000) }).strict(), staff()).returns<BadgeVerification>(),
  /** This station's signing key (created, and announced in StationHello, on first use). */
  'badge.stationKey': op(NoArgs, anyone(selling)).returns<StationKeyView>(),
  /** Seats in hand (DESIGN §5 tier 2): ask HQ for an allotment; HQ answers with AllotmentGranted on the feed. */
  'allotment.request': op(
    z.object({ sessionId: Id, seats: z.number().int().min(1).max(1000) }).strict(),
    staff(selling),
  ).returns<{ requestId: string; sessionId: string; seats: number }>(),
  /** Gives unused allotment seats back to HQ: one allotment, or every active one of a session. */
  // ---- reconciliation (DESIGN §8) ----
  /**
   * A supervisor's one-action resolution of an oversell case, sent to HQ: HQ applies the first resolution it
   * receives, and every station (this one included) applies HQ's decision. Waits briefly for HQ's answer when online.
   */
  'cases.resolve': op(
    z
      .object({
        caseId: Id,
        action: OversellResolution,
        supervisor: SupervisorAuth,
        moveToSessionId: Id.optional(),
        note: Note.default(''),
      })
      .strict()
      .refine((r) => (r.action === 'move') === (r.moveToSessionId !== undefined), {
        message: 'give moveToSessionId for a move, and only for a move',
        path: ['moveToSessionId'],
      }),
    // Staff at a desk or the supervisor's station; the supervisor's PIN in the request authorises the resolution.
    staff(selling),
  ).returns<CaseResolutionOutcome>(),
  /** A session's waitlist as HQ keeps it (people waiting in order, then those promoted). */
  'waitlist.list': op(z.object({ sessionId: Id }).strict(), staff(selling)).returns<WaitlistEntryView[]>(),
  /** CSV exports: the contact/refund list, and the cases report per session, station and sale tier. */
  /** Contact details of people to call: a supervisor's. */
  'reports.export': op(z.object({ report: z.enum(['contacts', 'cases']) }).strict(), supervisor()).returns<CsvExport>(),
  'allotment.return': op(
    z
      .object({ allotmentId: Id.optional(), sessionId: Id.optional() })
      .strict()
      .refine(
        (r) => (r.allotmentId === undefined) !== (r.sessionId === undefined),
        'give an allotmentId or a sessionId',
      ),
    staff(selling),
  ).returns<{ returned: { allotmentId: string; sessionId: string; seats: number }[] }>(),
  /**
   * Seats this desk should hold per session it sells (core/allotment-sizing.ts): its own sales rate, the outages it
   * has seen, and the session's policy. The allotment keeper asks for the missing seats and gives back a surplus.
   */
  'allotment.plan': op(
    z
      .object({
        returnBeforeStartMin: z
          .number()
          .min(0)
          .max(24 * 60)
          .default(20),
      })
      .strict(),
    staff(selling),
  ).returns<AllotmentPlan[]>(),
  // ---- the supervisor console (issue 14) ----
  /** The availability board: every session with HQ's numbers, their age, this station's seats and its verdict. */
  'sessions.board': op(NoArgs, staff(selling)).returns<SessionBoard>(),
  /** The sync engine in detail: the last hour of the link, the backlog draining, quarantined messages, seats in hand. */
  'sync.details': op(NoArgs, staff(selling)).returns<SyncDetails>(),
  'settings.get': op(NoArgs, supervisor()).returns<StationSetup>(),
  /** Tries a connection string against the bus (send on the events topic, listen on this station's feed); saves nothing. */
  'settings.testConnection': op(
    z.object({ connectionString: ConnectionText }).strict(),
    supervisor(),
  ).returns<ConnectionCheck>(),
  /**
   * Saves the station's setup behind a supervisor's PIN, into the station's settings store (the desktop app keeps the
   * connection string encrypted). A new connection string is tested first (send and listen): a failed test saves
   * nothing. Printers and policy apply at once; station id, mode and connection at the next start. A field left out
   * stays as it is; `connectionString: null` removes the connection (the station works alone after a restart).
   */
  'settings.save': op(
    z
      .object({
        supervisor: SupervisorAuth,
        stationId: StationId.optional(),
        mode: StationModeSchema.optional(),
        connectionString: ConnectionText.nullable().optional(),
        printers: z.array(PrinterUri).max(20).optional(),
        /** This station's adjustments to the conference's sale policy (replaces the previous ones; {} clears them). */
        policy: SalePolicyParams.partial().strict().optional(),
      })
      .strict(),
    supervisor(),
  ).returns<SettingsSaved>(),
  /** A new PIN for a member of staff (also lifts a lockout). */
  'staff.setPin': op(
    z.object({ id: Id, pin: PinText, by: SupervisorAuth }).strict(),
    supervisor(),
  ).returns<StaffView>(),
  /** The first rows of a CSV as `registrants.importCsv` would read them, checked against this station; writes nothing. */
  'registrants.previewCsv': op(
    z
      .object({
        csv: z.string().min(1, 'the CSV is empty').max(4_000_000),
        mapping: CsvMappingDraft.default({}),
        defaults: z.object({ ticketTypeId: Id.optional() }).strict().default({}),
        sessionsSeparator: z.string().min(1).max(3).default(';'),
        rows: z.number().int().min(1).max(50).default(8),
      })
      .strict(),
    supervisor(),
  ).returns<CsvPreview>(),
  'badge.voids': op(
    z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    staff(printing),
  ).returns<VoidedBadge[]>(),
  // ---- the desk's day (issue 19): corrections, decisions, changes, money, batch printing ----
  /**
   * Corrects a registration before (or after) its badge prints: audited, sent to HQ and to every station; a field
   * the desk set sticks across later imports of the source file. A change to what the badge shows after it printed
   * marks the registration "needs reprint".
   */
  'registrant.correct': op(
    z
      .object({
        registrantId: Id,
        // No defaults here: a field left out is left as it is. An empty optional field clears it.
        changes: z
          .object({
            firstName: z.string().trim().max(120),
            lastName: z.string().trim().max(120),
            email: z.union([z.literal(''), z.email().max(254)]),
            company: z.string().trim().max(200),
            preferredName: z.string().trim().max(120),
            nameOrder: z.enum(['given-first', 'family-first']),
            pronouns: z.string().trim().max(40),
            country: z.union([
              z.literal(''),
              z
                .string()
                .trim()
                .regex(/^[A-Za-z]{2}$/, 'is a two-letter country code (ISO 3166-1)')
                .transform((c) => c.toUpperCase()),
            ]),
            accessibility: z.string().trim().max(120),
            dietary: z.string().trim().max(120),
          })
          .partial()
          .strict()
          .refine((c) => Object.keys(c).length > 0, 'change at least one field'),
        reason: Note.default(''),
      })
      .strict(),
    staff(selling),
  ).returns<RegistrantDetail>(),
  /** A pending registration: a supervisor accepts it as it is, or the desk takes the ticket's price now. */
  'registration.settle': op(
    z.discriminatedUnion('decision', [
      z
        .object({
          registrantId: Id,
          decision: z.literal('accept'),
          supervisor: SupervisorAuth,
          note: Note.min(1, 'say why it is accepted'),
        })
        .strict(),
      z.object({ registrantId: Id, decision: z.literal('pay'), payment: Payment }).strict(),
    ]),
    staff(selling),
  ).returns<RegistrantDetail>(),
  /**
   * Another ticket type (a day pass upgraded to a full pass): the price difference is paid (`payment`); a cheaper or
   * privileged ticket needs a supervisor. The badge needs a reprint if it printed.
   */
  'registration.changeTicket': op(
    z
      .object({
        registrantId: Id,
        ticketTypeId: Id,
        payment: Payment.optional(),
        supervisor: SupervisorAuth.optional(),
        reason: Note.default(''),
      })
      .strict(),
    staff(selling),
  ).returns<RegistrantDetail>(),
  /** The registration (ticket, seats, payments) goes to another person; a printed badge is voided (it names the other person). */
  'registration.transfer': op(
    z
      .object({
        registrantId: Id,
        to: z
          .object({
            firstName: z.string().trim().max(120),
            lastName: z.string().trim().max(120),
            email: z.union([z.literal(''), z.email().max(254)]).default(''),
            company: z.string().trim().max(200).default(''),
          })
          .strict()
          .refine((r) => (r.firstName + r.lastName).length > 0, {
            message: 'enter a first or last name',
            path: ['firstName'],
          }),
        reason: Note.min(1, 'give a reason'),
      })
      .strict(),
    staff(selling),
  ).returns<RegistrantDetail>(),
  /** Gives a seat back, whatever it came from: this desk's sale, the import, or HQ (a move or a waitlist promotion). */
  'seat.release': op(
    z.object({ registrantId: Id, sessionId: Id, reason: Note.min(1, 'give a reason') }).strict(),
    staff(selling),
  ).returns<RegistrantDetail>(),
  /** A seat in one session for a seat in another: the new one is sold first, the old one given back only once it is. */
  'seat.swap': op(
    z
      .object({
        registrantId: Id,
        fromSessionId: Id,
        toSessionId: Id,
        payment: Payment.optional(),
        override: SupervisorAuth.optional(),
      })
      .strict()
      .refine((r) => r.fromSessionId !== r.toSessionId, { message: 'choose another session', path: ['toSessionId'] }),
    staff(selling),
  ).returns<SeatSwapOutcome>(),
  /** Payments taken at this desk: one person's, or a venue day's (default today). */
  'payment.list': op(
    z
      .object({
        registrantId: Id.optional(),
        day: z.iso.date().optional(),
        limit: z.number().int().min(1).max(5000).default(500),
      })
      .strict(),
    staff(selling),
  ).returns<PaymentView[]>(),
  /** Voids (a mistake) or refunds (money given back) a payment: a supervisor's PIN. */
  'payment.reverse': op(
    z
      .object({
        paymentId: Id,
        kind: z.enum(['void', 'refund']),
        reason: Note.min(1, 'give a reason'),
        supervisor: SupervisorAuth,
      })
      .strict(),
    staff(selling),
  ).returns<PaymentView>(),
  /** A person's receipt (their payments here, voids and refunds shown) as the printer would print it. */
  'receipt.preview': op(z.object({ registrantId: Id }).strict(), staff(selling)).returns<ReceiptView>(),
  'receipt.print': op(
    z.object({ registrantId: Id, printer: PrinterUri.optional(), wait: z.boolean().default(true) }).strict(),
    staff(selling),
  ).returns<PrintJobView>(),
  /** The cash-up: this desk's day (default today at the venue) per staff member and payment method, badges against stock, what HQ has not confirmed. */
  'reports.day': op(z.object({ day: z.iso.date().optional() }).strict(), staff(selling)).returns<CsvExport>(),
  /** Blank badges loaded into this desk's printers today. */
  'stock.record': op(
    z.object({ cards: z.number().int().min(1).max(100_000), note: Note.default('') }).strict(),
    staff(selling),
  ).returns<StockView>(),
  'stock.status': op(z.object({ day: z.iso.date().optional() }).strict(), staff(selling)).returns<StockView>(),
  /**
   * The night before: every badge not yet printed (of a ticket type, or all), alphabetical or by company, with a
   * divider slip per letter, in this one process. Pauses when a job does not print (paper out); resumes where it
   * stopped. With `wait` it answers once done or paused; otherwise at once, with `print.batch` events as it goes.
   */
  'print.batch': op(
    z
      .object({
        printer: PrinterUri.optional(),
        order: z.enum(['name', 'company']).default('name'),
        ticketTypeId: Id.optional(),
        dividers: z.boolean().default(true),
        wait: z.boolean().default(false),
      })
      .strict(),
    supervisor(['desk', 'supervisor']),
  ).returns<PrintBatchView>(),
  'print.batchResume': op(
    z.object({ batchId: Id, wait: z.boolean().default(false) }).strict(),
    supervisor(['desk', 'supervisor']),
  ).returns<PrintBatchView>(),
  'print.batchCancel': op(
    z.object({ batchId: Id }).strict(),
    supervisor(['desk', 'supervisor']),
  ).returns<PrintBatchView>(),
  'print.batches': op(NoArgs, staff(selling)).returns<PrintBatchView[]>(),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResultOf<C extends Channel> = Contract[C]['result'];

export const channels = Object.keys(contract) as Channel[];
/** Channels some screen (an Electron window, a browser) may call: the preload refuses every other name. */
export const screenChannels = channels.filter((c) => contract[c].access !== 'internal');
export const isChannel = (name: unknown): name is Channel => typeof name === 'string' && Object.hasOwn(contract, name);

/** Calling the station as one caller: the in-process shorthand (internal), a window, a connection. */
export interface StationApi {
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>>;
}

/** The API boundary itself: every call names its caller. */
export interface StationBoundary {
  call<C extends Channel>(caller: Caller, channel: C, request: RequestOf<C>): Promise<Result<ResultOf<C>>>;
  /** A channel named at run time (IPC, WebSocket, CLI): unknown names and bad payloads are error values. */
  callUnknown(caller: Caller, channel: unknown, request: unknown): Promise<Result<unknown>>;
}

/**
 * What the desktop app's preload puts on `window.lanyard` for its page (preload/bridge.ts): the contract's screen
 * channels and the station's events, nothing else.
 */
export interface ScreenBridge {
  invoke(channel: string, request: unknown): Promise<Result<unknown>>;
  /** Returns a function that stops listening. */
  on(event: StationEventType, listener: (event: StationEvent) => void): () => void;
}

export type RegistrantInput = z.input<typeof RegistrantSchema>;
