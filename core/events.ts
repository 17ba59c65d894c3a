/**
 * What the station tells its screens as it happens: one typed stream, a schema per event. The station owns the
 * stream (main/station/events.ts); the Electron preload's `on` and the WebSocket push the same events, and a
 * screen validates each one before it trusts it. Events say *that* something changed, with the ids to refetch —
 * the numbers themselves come from the contract.
 */
import { z } from 'zod';
import { stationModes, type StationMode } from './access';
import { Id } from './ids';

const count = z.number().int().min(0);

export const stationEventSchemas = {
  /** The link to HQ (DESIGN §6): the header shows it. */
  connectivity: z
    .object({ state: z.enum(['offline', 'connecting', 'online', 'degraded']), reason: z.string().max(500) })
    .strict(),
  /** Feed messages from HQ were committed: how many, and HQ's time of the newest. */
  'hq.contact': z.object({ hqTime: z.string().max(40), messages: count }).strict(),
  /** A command appended events to the outbox (the relay wakes; the header's "waiting to send" changes). */
  'outbox.appended': z.object({ lastSeq: count }).strict(),
  /** Seat numbers of these sessions changed (HQ's availability, a sale or a release here). */
  'availability.changed': z.object({ sessionIds: z.array(Id).max(10_000) }).strict(),
  /** HQ decided one of this station's sales. */
  'sale.decided': z
    .object({
      saleId: Id,
      sessionId: Id,
      registrantId: Id,
      status: z.enum(['pending', 'confirmed', 'oversold', 'released', 'refused']),
    })
    .strict(),
  /** A print job moved: queued → sending → printed | failed | uncertain. */
  'print.job': z
    .object({
      jobId: Id,
      printer: z.string().max(500),
      state: z.enum(['queued', 'sending', 'printed', 'failed', 'uncertain']),
      words: z.string().max(500).nullable(),
      registrantId: Id.nullable(),
    })
    .strict(),
  /** An oversold sale became a case for staff (DESIGN §8). */
  'case.opened': z
    .object({ caseId: Id, saleId: Id, sessionId: Id, registrantId: Id, overBy: z.number().int().min(1) })
    .strict(),
  /**
   * Something staff should notice now (reconciliation, a badge printed twice): `title` and `message` are English;
   * `kind` and `params` let a screen word it in its own language.
   */
  notification: z
    .object({
      kind: z.enum([
        'case.opened',
        'case.escalated',
        'case.resolved',
        'resolution.lost',
        'resolution.refused',
        'waitlist.promoted',
        'extra.chair',
        'badge.printed_twice',
      ]),
      /** Who it is for: supervisors, the staff of a desk, the room staff (doors), or everyone. */
      audience: z.enum(['supervisors', 'desk', 'room', 'everyone']),
      title: z.string().max(500),
      message: z.string().max(2000),
      at: z.string().max(40),
      caseId: Id.nullable(),
      sessionId: Id.nullable(),
      registrantId: Id.nullable(),
      /** The request of this station the notification answers, if any. */
      resolutionId: Id.nullable(),
      params: z
        .record(z.string().max(80), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
        .optional(),
    })
    .strict(),
  /** The night-before batch print moved on (a badge or divider printed), paused (paper out...), or finished. */
  'print.batch': z
    .object({
      batchId: Id,
      state: z.enum(['running', 'paused', 'done', 'cancelled']),
      done: count,
      total: count,
      words: z.string().max(500).nullable(),
    })
    .strict(),
  /** A long command's progress (imports). */
  progress: z
    .object({
      operation: z.string().max(80),
      phase: z.enum(['validating', 'writing', 'indexing', 'done']),
      done: count,
      total: count,
    })
    .strict(),
} as const;

export type StationEventType = keyof typeof stationEventSchemas;
export type StaffNotification = z.infer<(typeof stationEventSchemas)['notification']>;
export type StationEventOf<T extends StationEventType> = { type: T } & z.infer<(typeof stationEventSchemas)[T]>;
export type StationEvent = { [T in StationEventType]: StationEventOf<T> }[StationEventType];
export const stationEventTypes = Object.keys(stationEventSchemas) as StationEventType[];

/** Validates an event from across a boundary (a WebSocket frame, an IPC message). */
export function parseStationEvent(raw: unknown): StationEvent | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { type, ...rest } = raw as { type?: unknown };
  if (typeof type !== 'string' || !Object.hasOwn(stationEventSchemas, type)) return null;
  const parsed = stationEventSchemas[type as StationEventType].safeParse(rest);
  return parsed.success ? ({ type, ...parsed.data } as StationEvent) : null;
}

const staff = ['desk', 'door', 'supervisor'] as const;
/**
 * Which screens hear which events. A kiosk faces the public: it hears about its link and its own print jobs,
 * never about sales, cases or other people's badges.
 */
export const eventAudience: Record<StationEventType, readonly StationMode[]> = {
  connectivity: stationModes,
  'hq.contact': stationModes,
  'outbox.appended': stationModes,
  'availability.changed': staff,
  'sale.decided': ['desk', 'supervisor'],
  'print.job': ['kiosk', 'desk', 'supervisor'],
  'case.opened': ['desk', 'supervisor'],
  notification: ['desk', 'door', 'supervisor'],
  progress: ['desk', 'supervisor'],
  'print.batch': ['desk', 'supervisor'],
};

export const hears = (mode: StationMode, e: StationEvent): boolean => eventAudience[e.type].includes(mode);
