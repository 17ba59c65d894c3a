/**
 * The conference as a station knows it, and the documented import format (`lanyard.conference/1`).
 * See docs in assets/README.md for an annotated example.
 */
import { z } from 'zod';
import { Id, IsoTime } from './ids';

export const SalePolicyParams = z
  .object({
    /** Δ_max: how long since the last HQ contact an overdraft sale is still allowed (the seed's "one hour"). */
    maxStalenessMin: z.number().min(0).max(24 * 60),
    /** U / capacity must be at least this at the last sync (the seed's "10% of seats left"). */
    minRemainingRatio: z.number().min(0).max(1),
    /** Accepted risk of overselling per overdraft decision; sets the normal quantile z. */
    alpha: z.number().gt(0).lt(0.5),
    /** Ceiling on this station's undecided overdraft sales per session. */
    overdraftCap: z.number().int().min(0).max(1000),
    /** How long an online sale waits for HQ's verdict before deciding as if offline. */
    verdictTimeoutMs: z.number().int().min(0).max(60_000),
  })
  .strict();
export type SalePolicyParams = z.infer<typeof SalePolicyParams>;

export const defaultPolicy: SalePolicyParams = {
  maxStalenessMin: 60,
  minRemainingRatio: 0.1,
  alpha: 0.05,
  overdraftCap: 2,
  verdictTimeoutMs: 3000,
};

const text = (max: number) => z.string().trim().max(max, `is too long (${max} characters at most)`);

export const Conference = z
  .object({
    id: Id,
    name: text(200).min(1, 'is required'),
    timezone: text(64).default('UTC'),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    policy: SalePolicyParams.partial().optional(),
  })
  .strict();
export type Conference = z.infer<typeof Conference>;

export const Session = z
  .object({
    id: Id,
    title: text(300).min(1, 'is required'),
    room: text(120).default(''),
    startsAt: IsoTime,
    endsAt: IsoTime,
    capacity: z.number().int().min(0).max(100_000),
    /** Sessions open to upgrades at desks (workshops, panels). Keynotes included in every ticket are not. */
    sellable: z.boolean().default(true),
    policy: SalePolicyParams.partial().optional(),
  })
  .strict()
  .refine((s) => s.endsAt > s.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type Session = z.infer<typeof Session>;

export const TicketType = z
  .object({
    id: Id,
    name: text(120).min(1, 'is required'),
    /** Badge template id (assets/badge-templates); defaults to "standard". */
    badgeTemplate: text(64).default('standard'),
  })
  .strict();
export type TicketType = z.infer<typeof TicketType>;

export const Registrant = z
  .object({
    id: Id,
    confirmationCode: text(40).min(1, 'is required'),
    firstName: text(120).default(''),
    lastName: text(120).default(''),
    email: z.union([z.literal(''), z.email().max(254)]).default(''),
    company: text(200).default(''),
    ticketTypeId: Id,
    /** Session seats the registrant already holds (bought online before the event). */
    sessions: z.array(Id).max(500).default([]),
  })
  .strict()
  .refine((r) => (r.firstName + r.lastName).length > 0, { message: 'a registrant needs a first or last name', path: ['firstName'] });
export type Registrant = z.infer<typeof Registrant>;

export const ConferenceFile = z
  .object({
    format: z.literal('lanyard.conference/1'),
    conference: Conference,
    sessions: z.array(Session).max(10_000),
    ticketTypes: z.array(TicketType).min(1, 'at least one ticket type is required').max(1000),
    registrants: z.array(Registrant).max(1_000_000),
  })
  .strict()
  .superRefine((f, ctx) => {
    const dup = (ids: string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate id "${id}"` });
        seen.add(id);
      });
    };
    dup(f.sessions.map((s) => s.id), 'sessions');
    dup(f.ticketTypes.map((t) => t.id), 'ticketTypes');
    dup(f.registrants.map((r) => r.id), 'registrants');
    // A confirmation code is how a desk finds a person: two people with one code is a broken export.
    const codeOwner = new Map<string, string>();
    f.registrants.forEach((r, i) => {
      const first = codeOwner.get(r.confirmationCode);
      if (first === undefined) codeOwner.set(r.confirmationCode, r.id);
      else if (first !== r.id) ctx.addIssue({ code: 'custom', path: ['registrants', i, 'confirmationCode'], message: `confirmation code "${r.confirmationCode}" is used by both "${first}" and "${r.id}"` });
    });
    const sessions = new Set(f.sessions.map((s) => s.id));
    const tickets = new Set(f.ticketTypes.map((t) => t.id));
    f.registrants.forEach((r, i) => {
      if (!tickets.has(r.ticketTypeId))
        ctx.addIssue({ code: 'custom', path: ['registrants', i, 'ticketTypeId'], message: `unknown ticket type "${r.ticketTypeId}"` });
      r.sessions.forEach((s, j) => {
        if (!sessions.has(s)) ctx.addIssue({ code: 'custom', path: ['registrants', i, 'sessions', j], message: `unknown session "${s}"` });
      });
    });
  });
export type ConferenceFile = z.infer<typeof ConferenceFile>;

/** Registrant fields a CSV column can be mapped to. */
export const registrantCsvFields = ['id', 'confirmationCode', 'firstName', 'lastName', 'email', 'company', 'ticketTypeId', 'sessions'] as const;

/** A person-readable path + message for the first few zod issues, e.g. `registrants[12].email: Invalid email`. */
export function describeIssues(error: z.ZodError, max = 5): string {
  const parts = error.issues.slice(0, max).map((i) => {
    const path = i.path
      .map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`))
      .join('');
    return path ? `${path}: ${i.message}` : i.message;
  });
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return parts.join('; ') + more;
}
