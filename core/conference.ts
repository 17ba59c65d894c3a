/**
 * The conference as a station knows it, and the documented import format (`lanyard.conference/1`).
 * See docs in assets/README.md for an annotated example.
 */
import { z } from 'zod';
import { Id, IsoTime } from './ids';

export const SalePolicyParams = z
  .object({
    /** Δ_max: how long since the last HQ contact an overdraft sale is still allowed, minutes (the seed said one hour). */
    maxStalenessMin: z
      .number()
      .min(0)
      .max(24 * 60),
    /** U / capacity must be at least this at the last sync (the seed said 10% of seats left). */
    minRemainingRatio: z.number().min(0).max(1),
    /** Accepted risk of overselling per overdraft decision; sets the margin z·√(μΔ) through the normal quantile z. */
    alpha: z.number().gt(0).lt(0.5),
    /** Ceiling on this station's undecided overdraft sales per session. */
    overdraftCap: z.number().int().min(0).max(1000),
    /** How long an online sale waits for HQ's verdict before deciding as if offline. */
    verdictTimeoutMs: z.number().int().min(0).max(60_000),
    // Seats in hand (allotments, tier 2): how many a desk keeps per session (core/allotment-sizing.ts).
    /**
     * How sure a desk wants to be that its seats in hand last through an outage: it plans for the outage length
     * that this share of its outages stay within, and holds this share's worth of the sales it could see in one.
     */
    allotmentCover: z.number().min(0.5).max(0.99),
    /** The outage length a desk assumes before it has seen its own, minutes (it weighs as three outages). */
    typicalOutageMin: z.number().min(1).max(240),
    /** Seats a desk holds for every session still on sale, even one it has not sold yet. */
    allotmentMinSeats: z.number().int().min(0).max(100),
    /** Never more than this many seats in one desk's hands per session (0: no allotments for the session). */
    allotmentMaxSeats: z.number().int().min(0).max(1000),
  })
  .strict();
export type SalePolicyParams = z.infer<typeof SalePolicyParams>;

/** The defaults, chosen with the policy simulator (tools/simulator/README.md, issue 17). */
export const defaultPolicy: SalePolicyParams = {
  maxStalenessMin: 120,
  minRemainingRatio: 0,
  alpha: 0.1,
  overdraftCap: 4,
  verdictTimeoutMs: 3000,
  allotmentCover: 0.9,
  typicalOutageMin: 20,
  allotmentMinSeats: 1,
  allotmentMaxSeats: 50,
};

const text = (max: number) => z.string().trim().max(max, `is too long (${max} characters at most)`);

/** What HQ does with an oversell case nobody resolved by its deadline (DESIGN §8). */
export const DeadlineAction = z.enum(['honor', 'waitlist', 'reverse']);
export type DeadlineAction = z.infer<typeof DeadlineAction>;

/**
 * Oversell case terms for a conference; each overrides HQ's configuration. A case is due `dueAfterMin` after it
 * opens or `dueBeforeStartMin` before its session starts, whichever comes first.
 */
export const ReconciliationSettings = z
  .object({
    dueAfterMin: z
      .number()
      .min(1)
      .max(7 * 24 * 60),
    dueBeforeStartMin: z
      .number()
      .min(0)
      .max(24 * 60),
    /** Every supervisor is alerted this long before a case is due. */
    escalateBeforeDueMin: z
      .number()
      .min(0)
      .max(24 * 60),
    defaultAction: DeadlineAction,
  })
  .strict();
export type ReconciliationSettings = z.infer<typeof ReconciliationSettings>;

/** ISO 4217 currency code ("EUR"). */
export const Currency = z.string().regex(/^[A-Z]{3}$/, 'is a three-letter currency code (ISO 4217, e.g. EUR)');
/** A price in the conference currency's minor unit (cents): 0 is free. */
export const Price = z.number().int('is a whole number of cents (minor units)').min(0).max(100_000_000);
/** A session track ("security", "design"): ticket types may be limited to some. */
const Track = z.string().trim().min(1).max(60);

export const Conference = z
  .object({
    id: Id,
    name: text(200).min(1, 'is required'),
    timezone: text(64).default('UTC'),
    startsOn: z.iso.date(),
    endsOn: z.iso.date(),
    policy: SalePolicyParams.partial().optional(),
    reconciliation: ReconciliationSettings.partial().optional(),
    /** The conference's logo for badge headers: a PNG, JPEG, WebP or SVG as a base64 data URI (a file travels whole). */
    logo: z
      .string()
      .max(700_000, 'is too large (a logo of up to about 500 kB)')
      .regex(
        /^data:image\/(png|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}$/,
        'is a data:image/png|jpeg|webp|svg+xml;base64,… URI',
      )
      .optional(),
    /** ISO 4217 code of every price of this conference (prices are integers in its minor unit, e.g. euro cents). */
    currency: Currency.optional(),
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
    /** false: the room cannot take an extra chair, so an oversold seat cannot be honored (absent means true). */
    roomForExtraChair: z.boolean().optional(),
    /** What HQ does with this session's unresolved oversell cases at their deadline (overrides the conference). */
    oversellDefault: DeadlineAction.optional(),
    /** What a seat costs at a desk (minor units of the conference's currency); free when absent. */
    price: Price.optional(),
    /** The session's track; a ticket type with `tracks` buys and enters only sessions of those tracks. */
    track: Track.optional(),
  })
  .strict()
  .refine((s) => s.endsAt > s.startsAt, { message: 'endsAt must be after startsAt', path: ['endsAt'] })
  .refine((s) => !(s.oversellDefault === 'honor' && s.roomForExtraChair === false), {
    message: 'a session without room for an extra chair cannot default to honor',
    path: ['oversellDefault'],
  });
export type Session = z.infer<typeof Session>;

export const TicketType = z
  .object({
    id: Id,
    name: text(120).min(1, 'is required'),
    /** Badge template id (assets/badge-templates); defaults to "standard". */
    badgeTemplate: text(64).default('standard'),
    /** A short label printed large on the badge ("DAY PASS"); the name when absent. */
    badgeLabel: text(24).optional(),
    /** The conference days the ticket is valid on, 1 being the first; every day when absent (enforced at doors and desks). */
    days: z.array(z.number().int().min(1).max(31)).min(1).max(31).optional(),
    /** What the ticket costs at a desk (minor units); free when absent. */
    price: Price.optional(),
    /** Speaker, staff, press...: a desk sells or changes to it only with a supervisor's PIN. */
    privileged: z.boolean().optional(),
    /** The tracks whose sellable sessions this ticket may buy and enter; every track when absent. */
    tracks: z.array(Track).min(1).max(50).optional(),
  })
  .strict()
  .refine((t) => !t.days || new Set(t.days).size === t.days.length, {
    message: 'a day is listed twice',
    path: ['days'],
  });
export type TicketType = z.infer<typeof TicketType>;

export const registrationStatuses = ['paid', 'pending', 'cancelled', 'refunded'] as const;
export const RegistrationStatus = z.enum(registrationStatuses);
export type RegistrationStatus = z.infer<typeof RegistrationStatus>;

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
    // Optional fields for badges (each template chooses which it prints; see assets/README.md).
    /** The name they go by, printed largest ("Bill" for William). */
    preferredName: text(120).optional(),
    /** Overrides the name order guessed from the script (CJK names are family name first). */
    nameOrder: z.enum(['given-first', 'family-first']).optional(),
    pronouns: text(40).optional(),
    /** ISO 3166-1 alpha-2 ("PT"); printed as the country's name. */
    country: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'is a two-letter country code (ISO 3166-1)')
      .transform((c) => c.toUpperCase())
      .optional(),
    accessibility: text(120).optional(),
    dietary: text(120).optional(),
    /** Answers to the registration's custom questions: question id → answer. */
    answers: z
      .record(
        z.string().regex(/^[\w.-]{1,40}$/, 'a question id is 1 to 40 letters, digits, ".", "-" or "_"'),
        text(200),
      )
      .optional()
      .refine((a) => !a || Object.keys(a).length <= 30, 'at most 30 answers'),
    /** Sessions they speak at or moderate: listed first on their badge. */
    sessionRoles: z
      .array(z.object({ sessionId: Id, role: z.enum(['speaker', 'moderator']) }).strict())
      .max(50)
      .optional(),
    /**
     * Where the registration stands in the source system: `paid` (the default), `pending` (a desk decides: a
     * supervisor accepts it or the desk takes the payment), `cancelled` or `refunded` (no badge, no entry).
     */
    status: RegistrationStatus.optional(),
  })
  .strict()
  .refine((r) => (r.firstName + r.lastName).length > 0, {
    message: 'a registrant needs a first or last name',
    path: ['firstName'],
  });
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
    dup(
      f.sessions.map((s) => s.id),
      'sessions',
    );
    dup(
      f.ticketTypes.map((t) => t.id),
      'ticketTypes',
    );
    dup(
      f.registrants.map((r) => r.id),
      'registrants',
    );
    // A confirmation code is how a desk finds a person: two people with one code is a broken export.
    const codeOwner = new Map<string, string>();
    f.registrants.forEach((r, i) => {
      const first = codeOwner.get(r.confirmationCode);
      if (first === undefined) codeOwner.set(r.confirmationCode, r.id);
      else if (first !== r.id)
        ctx.addIssue({
          code: 'custom',
          path: ['registrants', i, 'confirmationCode'],
          message: `confirmation code "${r.confirmationCode}" is used by both "${first}" and "${r.id}"`,
        });
    });
    const sessions = new Set(f.sessions.map((s) => s.id));
    const tickets = new Set(f.ticketTypes.map((t) => t.id));
    f.registrants.forEach((r, i) => {
      if (!tickets.has(r.ticketTypeId))
        ctx.addIssue({
          code: 'custom',
          path: ['registrants', i, 'ticketTypeId'],
          message: `unknown ticket type "${r.ticketTypeId}"`,
        });
      r.sessions.forEach((s, j) => {
        if (!sessions.has(s))
          ctx.addIssue({ code: 'custom', path: ['registrants', i, 'sessions', j], message: `unknown session "${s}"` });
      });
      r.sessionRoles?.forEach((s, j) => {
        if (!sessions.has(s.sessionId))
          ctx.addIssue({
            code: 'custom',
            path: ['registrants', i, 'sessionRoles', j, 'sessionId'],
            message: `unknown session "${s.sessionId}"`,
          });
      });
    });
    // Prices need a currency to be read in (a file without one would make every cash-up ambiguous).
    if (!f.conference.currency) {
      f.ticketTypes.forEach((t, i) => {
        if (t.price !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['ticketTypes', i, 'price'],
            message: 'a price needs conference.currency (e.g. "EUR")',
          });
      });
      f.sessions.forEach((s, i) => {
        if (s.price !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['sessions', i, 'price'],
            message: 'a price needs conference.currency (e.g. "EUR")',
          });
      });
    }
    const tracks = new Set(f.sessions.map((s) => s.track).filter((t): t is string => t !== undefined));
    f.ticketTypes.forEach((t, i) => {
      t.tracks?.forEach((tr, j) => {
        if (!tracks.has(tr))
          ctx.addIssue({
            code: 'custom',
            path: ['ticketTypes', i, 'tracks', j],
            message: `no session is in track "${tr}"`,
          });
      });
    });
    const days = Math.round((Date.parse(f.conference.endsOn) - Date.parse(f.conference.startsOn)) / 86_400_000) + 1;
    f.ticketTypes.forEach((t, i) => {
      t.days?.forEach((d, j) => {
        if (d > days)
          ctx.addIssue({
            code: 'custom',
            path: ['ticketTypes', i, 'days', j],
            message: `day ${d} is after the conference's last day (${days})`,
          });
      });
    });
  });
export type ConferenceFile = z.infer<typeof ConferenceFile>;

/** Registrant fields a CSV column can be mapped to. */
export const registrantCsvFields = [
  'id',
  'confirmationCode',
  'firstName',
  'lastName',
  'email',
  'company',
  'ticketTypeId',
  'sessions',
  'status',
] as const;

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
