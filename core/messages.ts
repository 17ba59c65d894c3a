/**
 * The wire contract between stations and HQ (DESIGN §4): one envelope, one payload schema per message type.
 * Nothing from the bus is trusted before `parseEnvelope` accepted it.
 */
import { z } from 'zod';
import { Conference, Currency, DeadlineAction, Price, Registrant, Session, TicketType } from './conference';
import { Id, IsoTime, Origin } from './ids';
import { SaleBasis, SaleTier } from './policy';

const count = z.number().int().min(0).max(10_000_000);

// ---- station → station-events -------------------------------------------------------------------------------

export const StationHello = z
  .object({
    stationId: z.string(),
    publicKey: z.string().max(200),
    keyId: z.string().max(64),
    softwareVersion: z.string().max(40),
  })
  .strict();
export const RegistrantRegistered = z.object({ registrant: Registrant }).strict();
export const RegistrationUpgraded = z.object({ registrantId: Id, sessionId: Id, saleId: Id }).strict();
export const SeatSold = z
  .object({ saleId: Id, sessionId: Id, registrantId: Id, tier: SaleTier, allotmentId: Id.nullable(), basis: SaleBasis })
  .strict();
export const SeatReleased = z
  .object({ saleId: Id, sessionId: Id, registrantId: Id, reason: z.string().max(500) })
  .strict();
export const AllotmentRequested = z
  .object({ requestId: Id, sessionId: Id, seats: z.number().int().min(1).max(1000) })
  .strict();
export const AllotmentReturned = z.object({ allotmentId: Id, sessionId: Id, seats: count }).strict();
export const BadgePrinted = z.object({ registrantId: Id, badgeVersion: z.number().int().min(1), jobId: Id }).strict();
export const BadgeVoided = z
  .object({ registrantId: Id, badgeVersion: z.number().int().min(1), reason: z.string().max(500) })
  .strict();
export const CheckedIn = z.object({ registrantId: Id, sessionId: Id.nullable(), at: IsoTime }).strict();
export const OversellResolution = z.enum(['honor', 'reverse', 'move', 'waitlist', 'refuse']);
/** A supervisor's resolution: a request HQ applies if it is the first, or answers with OversellResolutionRejected. */
export const OversellResolved = z
  .object({
    caseId: Id,
    saleId: Id,
    resolution: OversellResolution,
    moveToSessionId: Id.nullable(),
    note: z.string().max(1000),
    /** The station's id for this request; HQ's answer (either one) carries it back. */
    resolutionId: Id,
    supervisorId: Id,
  })
  .strict()
  .refine((p) => (p.resolution === 'move') === (p.moveToSessionId !== null), {
    message: 'moveToSessionId is given for a move, and only then',
    path: ['moveToSessionId'],
  });

// ---- the desk's day (issue 19): corrections, status decisions, ticket changes, transfers, seats given back, money ----

/** What a change to a registration was, for people reading the history. */
export const RegistrantChangeKind = z.enum(['correction', 'status', 'ticket', 'transfer']);
/**
 * A desk changed a registration (corrected a name, settled a pending one, changed the ticket, transferred it to
 * another person). The registrant as it is now, and which fields the desk set: those stick on every station
 * across later imports of the source file (a misspelt name does not come back).
 */
export const RegistrantChanged = z
  .object({
    registrant: Registrant,
    kind: RegistrantChangeKind,
    fields: z.array(z.string().max(40)).min(1).max(30),
    reason: z.string().max(500),
    staffId: Id.nullable(),
  })
  .strict();
/**
 * A seat given back that has no sale at this desk: one that came with the import (`import`), or one HQ created
 * (a reconciliation move or a waitlist promotion, `hq`, with HQ's sale id).
 */
export const SeatReturned = z
  .object({
    registrantId: Id,
    sessionId: Id,
    saleId: Id.nullable(),
    source: z.enum(['import', 'hq']),
    reason: z.string().max(500),
  })
  .strict()
  .refine((p) => (p.source === 'hq') === (p.saleId !== null), {
    message: 'an HQ seat carries its sale id, an imported one none',
    path: ['saleId'],
  });
export const PaymentPurposeSchema = z.enum(['ticket', 'seat', 'ticket_change', 'balance']);
export const PaymentMethodSchema = z.enum(['cash', 'card', 'invoice', 'complimentary']);
export const PaymentRecorded = z
  .object({
    paymentId: Id,
    registrantId: Id,
    saleId: Id.nullable(),
    purpose: PaymentPurposeSchema,
    description: z.string().max(300),
    amount: Price,
    currency: Currency,
    method: PaymentMethodSchema,
    reference: z.string().max(120).nullable(),
    reason: z.string().max(200).nullable(),
    staffId: Id.nullable(),
  })
  .strict();
/** A payment voided (a mistake, the same day) or refunded (money given back), by a supervisor or by the station when HQ refused the seat. */
export const PaymentReversed = z
  .object({
    paymentId: Id,
    registrantId: Id,
    kind: z.enum(['void', 'refund']),
    amount: Price,
    currency: Currency,
    reason: z.string().max(500),
    supervisorId: Id.nullable(),
  })
  .strict();

// ---- HQ → station-feed --------------------------------------------------------------------------------------

export const SeatAvailability = z
  .object({
    sessionId: Id,
    capacity: count,
    sold: count,
    allotted: count,
    version: z.number().int().min(0),
    salesRatePerMin: z.number().min(0).max(100_000),
  })
  .strict();
export const SaleConfirmed = z.object({ saleId: Id, sessionId: Id }).strict();
export const SaleOversold = z
  .object({ saleId: Id, sessionId: Id, station: Origin, overBy: z.number().int().min(1) })
  .strict();
export const AllotmentGranted = z
  .object({ allotmentId: Id, requestId: Id.nullable(), station: Origin, sessionId: Id, seats: count })
  .strict();
export const AllotmentRecalled = z.object({ allotmentId: Id, station: Origin, sessionId: Id }).strict();
/**
 * HQ asks a station to give back its unused seats for a session (another desk has a buyer and the pool is empty).
 * Nothing is taken from the station: an online one answers at once (AllotmentReturned), an offline one when it is
 * back, so a seat in hand never oversells.
 */
export const AllotmentReturnRequested = z.object({ station: Origin, sessionId: Id }).strict();
export const RegistrantUpserted = z.object({ registrant: Registrant }).strict();
export const SessionUpserted = z.object({ session: Session }).strict();
/** Every station hears of every case (the selling station's SaleOversold only settles its own sale). */
export const OversellCaseOpened = z
  .object({
    caseId: Id,
    saleId: Id,
    sessionId: Id,
    station: Origin,
    overBy: z.number().int().min(1),
    registrantId: Id,
    tier: SaleTier,
    /** The selling desk's decision basis (null for a case opened before HQ kept it). */
    basis: SaleBasis.nullable(),
    dueAt: IsoTime,
    /** What HQ applies at `dueAt` if nobody resolved the case. */
    defaultAction: DeadlineAction,
  })
  .strict();
/** What HQ did when it applied a resolution; stations apply exactly this. */
export const CaseOutcome = z
  .object({
    /** honor: the session's capacity with the extra chair. */
    capacity: count.nullable(),
    moveToSessionId: Id.nullable(),
    /** move: HQ's sale of the seat in the other session. */
    moveSaleId: Id.nullable(),
    waitlistEntryId: Id.nullable(),
    waitlistPosition: z.number().int().min(1).nullable(),
    /** Badge versions HQ revoked (BadgeRevoked follows for each). */
    revokedBadgeVersions: z.array(z.number().int().min(1)).max(100),
  })
  .strict();
export const OversellCaseResolved = z
  .object({
    caseId: Id,
    saleId: Id,
    sessionId: Id,
    registrantId: Id,
    /** The station that sold the seat. */
    station: Origin,
    resolution: OversellResolution,
    /** Whose resolution HQ applied: a station, or HQ itself (deadline). */
    by: Origin,
    decidedBy: z.enum(['station', 'deadline', 'release']),
    /** The winning request (null when HQ decided: deadline, or the sale released at its desk). */
    resolutionId: Id.nullable(),
    supervisorId: Id.nullable(),
    note: z.string().max(1000),
    outcome: CaseOutcome,
  })
  .strict();
/** A case is close to its deadline: every supervisor is alerted. */
export const OversellCaseEscalated = z
  .object({ caseId: Id, saleId: Id, sessionId: Id, dueAt: IsoTime, defaultAction: DeadlineAction })
  .strict();
/** HQ's answer to a resolution it did not apply: another one won (lost), or it does not apply (refused). */
export const OversellResolutionRejected = z
  .object({
    caseId: Id,
    saleId: Id,
    resolutionId: Id,
    station: Origin,
    resolution: OversellResolution,
    outcome: z.enum(['lost', 'refused']),
    reason: z.string().max(1000),
    /** For a lost request: the resolution HQ had already applied. */
    resolvedAs: OversellResolution.nullable(),
  })
  .strict();
/** A seat freed and HQ gave it to the first person on the session's waitlist; `station` is the desk to call them. */
export const WaitlistPromoted = z
  .object({ entryId: Id, sessionId: Id, registrantId: Id, saleId: Id, station: Origin, caseId: Id.nullable() })
  .strict();
export const BadgeRevoked = z
  .object({ registrantId: Id, badgeVersion: z.number().int().min(1), reason: z.string().max(500).optional() })
  .strict();
/** A station printed a badge (HQ relays every BadgePrinted): kiosks elsewhere will not print it again. */
/**
 * Sent by a station restored from a backup, outside its seq order (HQ answers it whenever it arrives and does not
 * count it in the stream): "give me back my events from `fromSeq` on and tell me where my stream stands". Its
 * `seq` repeats the last one the backup holds (or 1), which HQ ignores.
 */
export const StreamRecoveryRequested = z
  .object({ stationId: z.string(), fromSeq: z.number().int().min(1), requestId: Id })
  .strict();
/**
 * HQ's answer, addressed to that station, in chunks: the station's own events HQ holds from `fromSeq` on (applied,
 * or parked ahead of a gap), exactly as the station sent them, with HQ's verdict on each sale among them; and
 * `nextSeq`, the first seq HQ has not seen from it — the restored station's outbox continues after it.
 */
export const StreamRecovered = z
  .object({
    station: Origin,
    requestId: Id,
    fromSeq: z.number().int().min(1),
    nextSeq: z.number().int().min(1),
    chunk: z.number().int().min(0),
    of: z.number().int().min(1),
    events: z.array(z.string().max(70_000)).max(500),
    sales: z
      .array(z.object({ saleId: Id, verdict: z.enum(['confirmed', 'oversold']), released: z.boolean() }).strict())
      .max(500),
  })
  .strict()
  .refine((c) => c.chunk < c.of, 'chunk must be below of');
export const BadgePrintRecorded = z
  .object({ registrantId: Id, badgeVersion: z.number().int().min(1), station: Origin, jobId: Id, printedAt: IsoTime })
  .strict();
/** HQ relays every RegistrantChanged, in its order, to every station (the sender included: all converge). */
export const RegistrantChangeRecorded = z
  .object({
    registrant: Registrant,
    kind: RegistrantChangeKind,
    fields: z.array(z.string().max(40)).min(1).max(30),
    station: Origin,
    reason: z.string().max(500),
  })
  .strict();
export const StationKeys = z
  .object({
    keys: z
      .array(z.object({ keyId: z.string().max(64), station: Origin, publicKey: z.string().max(200) }).strict())
      .max(1000),
  })
  .strict();
export const Heartbeat = z.object({ hqTime: IsoTime }).strict();
export const ConferenceSnapshotChunk = z
  .object({
    station: Origin,
    chunk: z.number().int().min(0),
    of: z.number().int().min(1),
    /** The conference, its sessions and ticket types travel in chunk 0; registrants in every chunk. */
    conference: Conference.nullable(),
    sessions: z.array(Session),
    ticketTypes: z.array(TicketType).default([]),
    registrants: z.array(Registrant),
  })
  .strict()
  .refine((c) => c.chunk < c.of, 'chunk must be below of');

export const payloadSchemas = {
  StationHello,
  RegistrantRegistered,
  RegistrationUpgraded,
  SeatSold,
  SeatReleased,
  AllotmentRequested,
  AllotmentReturned,
  BadgePrinted,
  BadgeVoided,
  CheckedIn,
  OversellResolved,
  StreamRecoveryRequested,
  RegistrantChanged,
  SeatReturned,
  PaymentRecorded,
  PaymentReversed,
  SeatAvailability,
  SaleConfirmed,
  SaleOversold,
  AllotmentGranted,
  AllotmentRecalled,
  AllotmentReturnRequested,
  RegistrantUpserted,
  SessionUpserted,
  OversellCaseOpened,
  OversellCaseResolved,
  OversellCaseEscalated,
  OversellResolutionRejected,
  WaitlistPromoted,
  BadgeRevoked,
  BadgePrintRecorded,
  RegistrantChangeRecorded,
  StationKeys,
  Heartbeat,
  ConferenceSnapshotChunk,
  StreamRecovered,
} as const;

export type MessageType = keyof typeof payloadSchemas;
export type Payload<T extends MessageType> = z.infer<(typeof payloadSchemas)[T]>;

export const stationEventTypes = [
  'StationHello',
  'RegistrantRegistered',
  'RegistrationUpgraded',
  'SeatSold',
  'SeatReleased',
  'AllotmentRequested',
  'AllotmentReturned',
  'BadgePrinted',
  'BadgeVoided',
  'CheckedIn',
  'OversellResolved',
  'StreamRecoveryRequested',
  'RegistrantChanged',
  'SeatReturned',
  'PaymentRecorded',
  'PaymentReversed',
] as const satisfies readonly MessageType[];
export const feedMessageTypes = [
  'SeatAvailability',
  'SaleConfirmed',
  'SaleOversold',
  'AllotmentGranted',
  'AllotmentRecalled',
  'AllotmentReturnRequested',
  'RegistrantUpserted',
  'SessionUpserted',
  'OversellCaseOpened',
  'OversellCaseResolved',
  'OversellCaseEscalated',
  'OversellResolutionRejected',
  'WaitlistPromoted',
  'BadgeRevoked',
  'StationKeys',
  'Heartbeat',
  'ConferenceSnapshotChunk',
  'BadgePrintRecorded',
  'StreamRecovered',
  'RegistrantChangeRecorded',
] as const satisfies readonly MessageType[];
export type StationEventType = (typeof stationEventTypes)[number];
export type FeedMessageType = (typeof feedMessageTypes)[number];

/** Payload schema versions; a consumer rejects a version it does not know. */
export const schemaVersion: Record<MessageType, number> = Object.fromEntries(
  Object.keys(payloadSchemas).map((t) => [t, 1]),
) as Record<MessageType, number>;

const EnvelopeBase = z
  .object({
    id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID'),
    type: z.string(),
    schema: z.number().int().min(1),
    conferenceId: Id,
    origin: Origin,
    seq: z.number().int().min(1),
    at: IsoTime,
    payload: z.unknown(),
  })
  .strict();

export type Envelope<T extends MessageType = MessageType> = {
  [K in T]: Omit<z.infer<typeof EnvelopeBase>, 'type' | 'payload'> & { type: K; payload: Payload<K> };
}[T];

export type ParseResult<T extends MessageType> = { ok: true; envelope: Envelope<T> } | { ok: false; reason: string };

/** Validates the envelope, its type against the allowed set, its schema version, and its payload. */
export function parseEnvelope<T extends MessageType>(raw: unknown, allowed: readonly T[]): ParseResult<T> {
  const env = EnvelopeBase.safeParse(raw);
  if (!env.success) return { ok: false, reason: `invalid envelope: ${issueText(env.error)}` };
  const type = env.data.type as T;
  if (!(allowed as readonly string[]).includes(type))
    return { ok: false, reason: `unexpected message type "${env.data.type.slice(0, 60)}"` };
  if (env.data.schema !== schemaVersion[type])
    return { ok: false, reason: `unsupported schema version ${env.data.schema} for ${type}` };
  const payload = payloadSchemas[type].safeParse(env.data.payload);
  if (!payload.success) return { ok: false, reason: `invalid ${type} payload: ${issueText(payload.error)}` };
  return { ok: true, envelope: { ...env.data, type, payload: payload.data } as Envelope<T> };
}

function issueText(e: z.ZodError): string {
  return e.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
