/**
 * The wire contract between stations and HQ (DESIGN §4): one envelope, one payload schema per message type.
 * Nothing from the bus is trusted before `parseEnvelope` accepted it.
 */
import { z } from 'zod';
import { Conference, Registrant, Session, TicketType } from './conference';
import { Id, IsoTime, Origin } from './ids';
import { SaleBasis, SaleTier } from './policy';

const count = z.number().int().min(0).max(10_000_000);

// ---- station → station-events -------------------------------------------------------------------------------

export const StationHello = z.object({ stationId: z.string(), publicKey: z.string().max(200), keyId: z.string().max(64), softwareVersion: z.string().max(40) }).strict();
export const RegistrantRegistered = z.object({ registrant: Registrant }).strict();
export const RegistrationUpgraded = z.object({ registrantId: Id, sessionId: Id, saleId: Id }).strict();
export const SeatSold = z
  .object({ saleId: Id, sessionId: Id, registrantId: Id, tier: SaleTier, allotmentId: Id.nullable(), basis: SaleBasis })
  .strict();
export const SeatReleased = z.object({ saleId: Id, sessionId: Id, registrantId: Id, reason: z.string().max(500) }).strict();
export const AllotmentRequested = z.object({ requestId: Id, sessionId: Id, seats: z.number().int().min(1).max(1000) }).strict();
export const AllotmentReturned = z.object({ allotmentId: Id, sessionId: Id, seats: count }).strict();
export const BadgePrinted = z.object({ registrantId: Id, badgeVersion: z.number().int().min(1), jobId: Id }).strict();
export const BadgeVoided = z.object({ registrantId: Id, badgeVersion: z.number().int().min(1), reason: z.string().max(500) }).strict();
export const CheckedIn = z.object({ registrantId: Id, sessionId: Id.nullable(), at: IsoTime }).strict();
export const OversellResolution = z.enum(['honor', 'reverse', 'move', 'waitlist', 'refuse']);
export const OversellResolved = z
  .object({ caseId: Id, saleId: Id, resolution: OversellResolution, moveToSessionId: Id.nullable(), note: z.string().max(1000) })
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
export const SaleOversold = z.object({ saleId: Id, sessionId: Id, station: Origin, overBy: z.number().int().min(1) }).strict();
export const AllotmentGranted = z.object({ allotmentId: Id, requestId: Id.nullable(), station: Origin, sessionId: Id, seats: count }).strict();
export const AllotmentRecalled = z.object({ allotmentId: Id, station: Origin, sessionId: Id }).strict();
export const RegistrantUpserted = z.object({ registrant: Registrant }).strict();
export const SessionUpserted = z.object({ session: Session }).strict();
export const OversellCaseOpened = z.object({ caseId: Id, saleId: Id, sessionId: Id, station: Origin, overBy: z.number().int().min(1) }).strict();
export const OversellCaseResolved = z.object({ caseId: Id, saleId: Id, resolution: OversellResolution, by: Origin }).strict();
export const BadgeRevoked = z.object({ registrantId: Id, badgeVersion: z.number().int().min(1) }).strict();
/** A station printed a badge (HQ relays every BadgePrinted): kiosks elsewhere will not print it again. */
export const BadgePrintRecorded = z.object({ registrantId: Id, badgeVersion: z.number().int().min(1), station: Origin, jobId: Id, printedAt: IsoTime }).strict();
export const StationKeys = z
  .object({ keys: z.array(z.object({ keyId: z.string().max(64), station: Origin, publicKey: z.string().max(200) }).strict()).max(1000) })
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
  SeatAvailability,
  SaleConfirmed,
  SaleOversold,
  AllotmentGranted,
  AllotmentRecalled,
  RegistrantUpserted,
  SessionUpserted,
  OversellCaseOpened,
  OversellCaseResolved,
  BadgeRevoked,
  BadgePrintRecorded,
  StationKeys,
  Heartbeat,
  ConferenceSnapshotChunk,
} as const;

export type MessageType = keyof typeof payloadSchemas;
export type Payload<T extends MessageType> = z.infer<(typeof payloadSchemas)[T]>;

export const stationEventTypes = [
  'StationHello', 'RegistrantRegistered', 'RegistrationUpgraded', 'SeatSold', 'SeatReleased', 'AllotmentRequested',
  'AllotmentReturned', 'BadgePrinted', 'BadgeVoided', 'CheckedIn', 'OversellResolved',
] as const satisfies readonly MessageType[];
export const feedMessageTypes = [
  'SeatAvailability', 'SaleConfirmed', 'SaleOversold', 'AllotmentGranted', 'AllotmentRecalled', 'RegistrantUpserted',
  'SessionUpserted', 'OversellCaseOpened', 'OversellCaseResolved', 'BadgeRevoked', 'StationKeys', 'Heartbeat',
  'ConferenceSnapshotChunk', 'BadgePrintRecorded',
] as const satisfies readonly MessageType[];
export type StationEventType = (typeof stationEventTypes)[number];
export type FeedMessageType = (typeof feedMessageTypes)[number];

/** Payload schema versions; a consumer rejects a version it does not know. */
export const schemaVersion: Record<MessageType, number> = Object.fromEntries(Object.keys(payloadSchemas).map((t) => [t, 1])) as Record<MessageType, number>;

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
  if (!(allowed as readonly string[]).includes(type)) return { ok: false, reason: `unexpected message type "${env.data.type.slice(0, 60)}"` };
  if (env.data.schema !== schemaVersion[type]) return { ok: false, reason: `unsupported schema version ${env.data.schema} for ${type}` };
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
