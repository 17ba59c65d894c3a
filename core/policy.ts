/**
 * The sale policy of DESIGN §5: how bold a desk may be when it cannot see the truth.
 * Pure: the same function decides at the desk, in the preview, and in the policy simulator.
 */
import { z } from 'zod';
import { SalePolicyParams } from './conference';
import { normalQuantile } from './normal';
import type { Staleness } from './staleness';
import { stalenessReasonText, stalenessUnknownReasons } from './staleness';

export const SaleTier = z.enum(['online', 'allotment', 'overdraft', 'override']);
export type SaleTier = z.infer<typeof SaleTier>;

export const FailedConditionCode = z.enum([
  'invalid_numbers',
  'no_capacity',
  'staleness_unknown',
  'too_stale',
  'too_few_seats_left',
  'overdraft_limit_reached',
  // Validity (core/validity.ts): never overridden, a supervisor's PIN does not change what a ticket is.
  'session_ended',
  'session_not_today',
  'ticket_not_valid_that_day',
  'track_not_included',
  'registration_inactive',
]);
export type FailedConditionCode = z.infer<typeof FailedConditionCode>;

/**
 * One condition of the overdraft rule that did not hold, with the numbers it was decided on. Words are not stored:
 * each reader words it in its own language (the renderer's catalogue; `describeFailedCondition` in English for the
 * command line and logs).
 */
export const FailedCondition = z.discriminatedUnion('code', [
  /** The seat numbers (`seats`) or the policy settings (`settings`) are not usable. */
  z.object({ code: z.literal('invalid_numbers'), what: z.enum(['seats', 'settings']) }).strict(),
  z.object({ code: z.literal('no_capacity') }).strict(),
  z.object({ code: z.literal('staleness_unknown'), reason: z.enum(stalenessUnknownReasons) }).strict(),
  z.object({ code: z.literal('too_stale'), minutes: z.number(), maxMinutes: z.number() }).strict(),
  z
    .object({
      code: z.literal('too_few_seats_left'),
      free: z.number(),
      capacity: z.number(),
      ratio: z.number(),
      minRatio: z.number(),
    })
    .strict(),
  /** `pending` undecided offline sales here already; `limit` is k_max now; `expectedElsewhere` is μΔ. */
  z
    .object({
      code: z.literal('overdraft_limit_reached'),
      pending: z.number(),
      limit: z.number(),
      expectedElsewhere: z.number(),
    })
    .strict(),
  // ---- validity (core/validity.ts): what the ticket and the registration allow, whatever the seats ----
  /** The session ended `minutesAgo` minutes ago (at `endsAt`, also given as the venue's `endsLocal` HH:MM). */
  z
    .object({ code: z.literal('session_ended'), endsAt: z.string(), endsLocal: z.string(), minutesAgo: z.number() })
    .strict(),
  /** Check-in at a session held on another day (`sessionDay`/`sessionDate`) than today at the venue. */
  z
    .object({
      code: z.literal('session_not_today'),
      sessionDay: z.number(),
      sessionDate: z.string(),
      today: z.string(),
    })
    .strict(),
  /** The ticket is valid on `validDays` only; `day`/`date` is the day asked for (today, or the session's day). */
  z
    .object({
      code: z.literal('ticket_not_valid_that_day'),
      ticket: z.string(),
      day: z.number(),
      date: z.string(),
      validDays: z.array(z.object({ day: z.number(), date: z.string() }).strict()),
    })
    .strict(),
  z
    .object({
      code: z.literal('track_not_included'),
      ticket: z.string(),
      track: z.string(),
      tracks: z.array(z.string()),
    })
    .strict(),
  /** Cancelled or refunded in the source, or pending with no desk decision yet. */
  z
    .object({
      code: z.literal('registration_inactive'),
      status: z.enum(['pending', 'cancelled', 'refunded']),
      note: z.string().nullable(),
    })
    .strict(),
]);
export type FailedCondition = z.infer<typeof FailedCondition>;

/** Everything a decision rested on; recorded on the sale and in its SeatSold event. */
export const SaleBasis = z
  .object({
    online: z.boolean(),
    allotmentRemaining: z.number(),
    stalenessMin: z.number().nullable(),
    stalenessUnknownReason: z.string().nullable(),
    maxStalenessMin: z.number(),
    capacity: z.number(),
    sold: z.number(),
    allotted: z.number(),
    /** U: seats neither sold nor held in allotments at the last sync. */
    unallocated: z.number(),
    remainingRatio: z.number().nullable(),
    minRemainingRatio: z.number(),
    salesRatePerMin: z.number(),
    alpha: z.number(),
    z: z.number(),
    /** μΔ: seats HQ probably sold elsewhere since the last sync. */
    expectedSalesSinceSync: z.number().nullable(),
    kMax: z.number().nullable(),
    /** k: this station's overdraft sales for the session that HQ has not decided yet. */
    pendingOverdraft: z.number(),
    overdraftCap: z.number(),
    failed: z.array(FailedCondition),
  })
  .strict();
export type SaleBasis = z.infer<typeof SaleBasis>;

export interface SaleContext {
  /** Connected and the feed is current: HQ decides. */
  online: boolean;
  capacity: number;
  sold: number;
  allotted: number;
  salesRatePerMin: number;
  /** Seats this station holds in hand for the session (granted, not used, not returned). */
  allotmentRemaining: number;
  staleness: Staleness;
  /** k: this station's undecided overdraft sales for the session. */
  pendingOverdraft: number;
  /** A supervisor PIN was verified for this sale. */
  override: boolean;
  params: SalePolicyParams;
}

export type SaleDecision =
  | { allowed: true; tier: SaleTier; basis: SaleBasis; failed: FailedCondition[] }
  | { allowed: false; tier: null; basis: SaleBasis; failed: FailedCondition[] };

const isCount = (n: number) => Number.isFinite(n) && n >= 0;

/** k_max = min(cap, floor(U − μΔ − z·√(μΔ))), never below 0. */
export function overdraftLimit(
  unallocated: number,
  ratePerMin: number,
  stalenessMin: number,
  z: number,
  cap: number,
): number {
  const expected = ratePerMin * stalenessMin;
  return Math.max(0, Math.min(cap, Math.floor(unallocated - expected - z * Math.sqrt(expected))));
}

/**
 * Whether the settings pass their schema. Frozen settings (the station shares one object per session's sources) are
 * checked once: the check was ~10 µs of every sale (sale.commit benchmark), and their fields are plain numbers.
 */
const checkedParams = new WeakMap<SalePolicyParams, boolean>();
function validParams(p: SalePolicyParams): boolean {
  if (!Object.isFrozen(p)) return SalePolicyParams.safeParse(p).success;
  let valid = checkedParams.get(p);
  if (valid === undefined) {
    valid = SalePolicyParams.safeParse(p).success;
    checkedParams.set(p, valid);
  }
  return valid;
}

export function decideSale(ctx: SaleContext): SaleDecision {
  const p = ctx.params;
  const failed: FailedCondition[] = [];
  const fail = (f: FailedCondition) => failed.push(f);

  const unallocated = ctx.capacity - ctx.sold - ctx.allotted;
  // Settings normally arrive validated; a merge of per-session overrides must still never make this throw.
  const paramsValid = validParams(p);
  const z = paramsValid ? normalQuantile(1 - p.alpha) : Number.NaN;
  const stalenessMin = ctx.staleness.known ? ctx.staleness.minutes : null;
  const numbersValid =
    paramsValid &&
    [ctx.capacity, ctx.sold, ctx.allotted, ctx.salesRatePerMin, ctx.allotmentRemaining, ctx.pendingOverdraft].every(
      isCount,
    ) &&
    (stalenessMin === null || isCount(stalenessMin));
  const remainingRatio = numbersValid && ctx.capacity > 0 ? unallocated / ctx.capacity : null;
  const expected = numbersValid && stalenessMin !== null ? ctx.salesRatePerMin * stalenessMin : null;
  const kMax =
    numbersValid && stalenessMin !== null
      ? overdraftLimit(unallocated, ctx.salesRatePerMin, stalenessMin, z, p.overdraftCap)
      : null;

  const basis = (): SaleBasis => ({
    online: ctx.online,
    allotmentRemaining: ctx.allotmentRemaining,
    stalenessMin,
    stalenessUnknownReason: ctx.staleness.known ? null : ctx.staleness.reason,
    maxStalenessMin: p.maxStalenessMin,
    capacity: ctx.capacity,
    sold: ctx.sold,
    allotted: ctx.allotted,
    unallocated,
    remainingRatio,
    minRemainingRatio: p.minRemainingRatio,
    salesRatePerMin: ctx.salesRatePerMin,
    alpha: p.alpha,
    z,
    expectedSalesSinceSync: expected,
    kMax,
    pendingOverdraft: ctx.pendingOverdraft,
    overdraftCap: p.overdraftCap,
    failed: [...failed],
  });

  if (!numbersValid) {
    fail({ code: 'invalid_numbers', what: paramsValid ? 'seats' : 'settings' });
    return refuseOrOverride(ctx, basis, failed);
  }
  // 1. Online: HQ decides (the station waits for the verdict).
  if (ctx.online) return { allowed: true, tier: 'online', basis: basis(), failed };
  // 2. Seats in hand never oversell.
  if (ctx.allotmentRemaining >= 1) return { allowed: true, tier: 'allotment', basis: basis(), failed };

  // 3. Overdraft: every condition is checked so that a refusal can list all of them.
  if (ctx.capacity === 0) fail({ code: 'no_capacity' });
  if (!ctx.staleness.known) {
    fail({ code: 'staleness_unknown', reason: ctx.staleness.reason });
  } else if (ctx.staleness.minutes > p.maxStalenessMin) {
    fail({ code: 'too_stale', minutes: ctx.staleness.minutes, maxMinutes: p.maxStalenessMin });
  }
  if (ctx.capacity > 0 && remainingRatio !== null && remainingRatio < p.minRemainingRatio) {
    fail({
      code: 'too_few_seats_left',
      free: Math.max(0, unallocated),
      capacity: ctx.capacity,
      ratio: remainingRatio,
      minRatio: p.minRemainingRatio,
    });
  }
  if (kMax !== null && ctx.pendingOverdraft + 1 > kMax) {
    fail({ code: 'overdraft_limit_reached', pending: ctx.pendingOverdraft, limit: kMax, expectedElsewhere: expected! });
  }
  if (failed.length === 0) return { allowed: true, tier: 'overdraft', basis: basis(), failed };
  return refuseOrOverride(ctx, basis, failed);
}

function refuseOrOverride(ctx: SaleContext, basis: () => SaleBasis, failed: FailedCondition[]): SaleDecision {
  // 4. A supervisor may override; the failed conditions stay on record in the basis.
  if (ctx.override) return { allowed: true, tier: 'override', basis: basis(), failed };
  return { allowed: false, tier: null, basis: basis(), failed };
}

/** English words for a failed condition (the command line, logs, and a message beside the typed details). */
export function describeFailedCondition(f: FailedCondition): string {
  switch (f.code) {
    case 'invalid_numbers':
      return f.what === 'seats'
        ? 'the seat numbers for this session are not valid (negative or missing); sync with HQ first'
        : 'the sale policy settings for this session are not valid; check the conference configuration';
    case 'no_capacity':
      return 'the session has no seats (capacity 0)';
    case 'staleness_unknown':
      return `no offline sale: ${stalenessReasonText[f.reason]}`;
    case 'too_stale':
      return `last contact with HQ was ${fmtMin(f.minutes)} ago; offline sales need contact within ${fmtMin(f.maxMinutes)}`;
    case 'too_few_seats_left':
      return `${f.free} of ${f.capacity} seats (${fmtPct(f.ratio)}) were free at the last sync; offline sales need at least ${fmtPct(f.minRatio)}`;
    case 'overdraft_limit_reached':
      return f.pending === 0
        ? `the expected sales elsewhere since the last sync (${f.expectedElsewhere.toFixed(1)} seats) leave no safe margin`
        : `this desk already has ${f.pending} unconfirmed offline sale(s) for this session; the limit now is ${f.limit}`;
    case 'session_ended':
      return `the session ended at ${f.endsLocal} (${fmtMin(f.minutesAgo)} ago)`;
    case 'session_not_today':
      return `the session is on day ${f.sessionDay} (${f.sessionDate}), not today (${f.today})`;
    case 'ticket_not_valid_that_day':
      return `${f.ticket} is valid on ${f.validDays.map((d) => `day ${d.day} (${d.date})`).join(', ')} only, not on day ${f.day} (${f.date})`;
    case 'track_not_included':
      return `${f.ticket} includes the ${f.tracks.join(', ')} track${f.tracks.length === 1 ? '' : 's'} only, not ${f.track}`;
    case 'registration_inactive':
      return f.status === 'pending'
        ? `the registration is pending (not paid): take the payment or have a supervisor accept it${f.note ? ` (${f.note})` : ''}`
        : `the registration was ${f.status}${f.note ? ` (${f.note})` : ''}: no badge and no entry`;
  }
}

/** Conditions about the ticket and the registration, not the seats: no supervisor override sells past them. */
export const validityCodes: readonly FailedConditionCode[] = [
  'session_ended',
  'session_not_today',
  'ticket_not_valid_that_day',
  'track_not_included',
  'registration_inactive',
];

export const describeFailedConditions = (failed: FailedCondition[]): string =>
  failed.map(describeFailedCondition).join('; ');

function fmtMin(min: number): string {
  if (min < 1) return `${Math.round(min * 60)} s`;
  if (min < 120) return `${Math.round(min)} min`;
  return `${(min / 60).toFixed(1)} h`;
}

function fmtPct(r: number): string {
  return `${(Math.round(r * 1000) / 10).toString()}%`;
}
