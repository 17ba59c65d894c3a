/**
 * Allotments sized from what a desk sees (DESIGN §5, tier 2), shared by the station's allotment keeper, HQ and the
 * policy simulator:
 * - a desk holds, per session, about what it would sell during one of its outages: its own recent sales rate for
 *   the session × the outage length it plans for (from the outages it has seen), topped up as seats are used, the
 *   surplus given back when its sales slow down, everything given back before the session starts;
 * - HQ grants from the seats nobody holds, keeping back what the session's forecast demand needs, and before it
 *   turns a sale away it takes back the unused seats of the stations it heard from a moment ago.
 * Pure: numbers in, numbers out. Absurd inputs (NaN, negative, infinite) count as "nothing known": they never
 * make a desk hold more or HQ grant more.
 */
import type { SalePolicyParams } from './conference';
import { normalQuantile } from './normal';
import type { ClockReading, HqContact } from './staleness';

/** A finite number ≥ 0, else 0. */
const count = (n: number) => (Number.isFinite(n) && n >= 0 ? n : 0);
/** A probability in [lo, hi]; anything else (NaN included) is `lo`. */
const prob = (p: number, lo: number, hi: number) => (Number.isFinite(p) ? Math.min(hi, Math.max(lo, p)) : lo);

// ---- a desk's own sales rate: the same exponentially weighted rate HQ keeps for a whole session ------------------

/** Time constant of a desk's own sales rate, minutes (the station's keeper and the simulator). */
export const ownRateTauMin = 10;

/** The rate `minutes` later: r·e^(−t/τ). */
export function decayRate(rate: number, minutes: number, tauMin: number): number {
  if (!(tauMin > 0) || !Number.isFinite(tauMin)) return 0;
  return count(rate) * Math.exp(-count(minutes) / tauMin);
}

/** The rate just after one more sale: r + 1/τ (a steady λ sales per minute reads λ on average). */
export function addSale(rate: number, tauMin: number): number {
  return tauMin > 0 && Number.isFinite(tauMin) ? count(rate) + 1 / tauMin : count(rate);
}

/** The rate now, from the ages in minutes of past sales: Σ e^(−age/τ)/τ. A sale "in the future" (clock skew) counts as now. */
export function salesRate(ageMinutes: readonly number[], tauMin: number): number {
  if (!(tauMin > 0) || !Number.isFinite(tauMin)) return 0;
  let r = 0;
  for (const a of ageMinutes) if (!Number.isNaN(a) && a !== Infinity) r += Math.exp(-Math.max(0, a) / tauMin) / tauMin;
  return r;
}

// ---- the outages a desk has seen -------------------------------------------------------------------------------------

export interface OutageHistory {
  /** Outages seen. */
  count: number;
  /** Their total length, minutes. */
  totalMin: number;
}

export const noOutages: OutageHistory = { count: 0, totalMin: 0 };

/**
 * Gaps between contacts with HQ that count as outages: shorter ones are the heartbeat's rhythm (30 s by default),
 * longer ones a station that was closed (overnight), not cut off.
 */
export const outageLimits = { minMin: 2, maxMin: 240 } as const;

/** The history after a gap of `minutes` between two contacts with HQ (kept only if it looks like an outage). */
export function recordOutage(h: OutageHistory, minutes: number): OutageHistory {
  const prior = { count: count(h.count), totalMin: count(h.totalMin) };
  if (!(minutes >= outageLimits.minMin && minutes <= outageLimits.maxMin)) return prior;
  return { count: prior.count + 1, totalMin: prior.totalMin + minutes };
}

/**
 * Minutes since the last contact with HQ, as far as the station can tell: by the monotonic clock within one boot,
 * by the wall clock across a restart (which may be wrong: recordOutage keeps only plausible gaps). NaN without a
 * previous contact.
 */
export function contactGapMin(prev: HqContact | null, now: ClockReading): number {
  if (!prev) return Number.NaN;
  return (prev.bootId === now.bootId ? now.mono - prev.monoTime : now.wall - prev.wallTime) / 60_000;
}

/** How many outages the conference's `typicalOutageMin` weighs as, before the desk's own. */
export const priorOutages = 3;

/**
 * The outage length to plan for: the `allotmentCover` quantile of exponential outage lengths whose mean is the one
 * seen, shrunk towards the conference's typical outage (weighing as `priorOutages` outages).
 */
export function planningOutageMin(
  h: OutageHistory,
  p: Pick<SalePolicyParams, 'typicalOutageMin' | 'allotmentCover'>,
): number {
  const n = count(h.count);
  const mean = (count(p.typicalOutageMin) * priorOutages + count(h.totalMin)) / (priorOutages + n);
  return -Math.log(1 - prob(p.allotmentCover, 0, 0.999)) * mean;
}

// ---- the desk's target: seats to hold for one session -----------------------------------------------------------------

export type SizingParams = Pick<SalePolicyParams, 'allotmentCover' | 'allotmentMinSeats' | 'allotmentMaxSeats'>;

export interface SizingInput {
  /** This desk's recent sales rate for the session, seats per minute. */
  ownRatePerMin: number;
  /** The outage length to plan for (planningOutageMin), minutes. */
  outageMin: number;
  /** Minutes until the desk gives the session's seats back; it cannot sell them after that. */
  minutesToReturn: number;
}

/**
 * Seats to hold: the `allotmentCover` quantile of this desk's sales during the planned outage (or until the
 * seats go back, if sooner), λ + z·√λ, at least `allotmentMinSeats`, at most `allotmentMaxSeats`; none once the
 * seats are due back.
 */
export function allotmentTarget(i: SizingInput, p: SizingParams): number {
  const toReturn = count(i.minutesToReturn);
  if (!(toReturn > 0)) return 0;
  const lambda = count(i.ownRatePerMin) * Math.min(count(i.outageMin), toReturn);
  const want = lambda > 0 ? Math.ceil(lambda + coverZ(p.allotmentCover) * Math.sqrt(lambda) - 1e-9) : 0;
  const max = Math.floor(count(p.allotmentMaxSeats));
  return Math.min(max, Math.max(Math.floor(count(p.allotmentMinSeats)), want));
}

/** z for a cover probability; the last one is remembered (the keeper and the simulator ask with the same one). */
let lastCover = Number.NaN;
let lastZ = 0;
function coverZ(cover: number): number {
  if (cover !== lastCover) {
    lastZ = normalQuantile(prob(cover, 0.5, 0.999));
    lastCover = cover;
  }
  return lastZ;
}

/** A desk gives seats back only when it holds more than its target by more than this (no back-and-forth). */
export const giveBackSlack = 1;

/** What the keeper does for one session: ask for the missing seats, give back a surplus, or nothing. */
export function keeperStep(held: number, target: number): { ask: number } | { giveBack: number } | null {
  const h = Math.floor(count(held));
  const t = Math.floor(count(target));
  if (h < t) return { ask: t - h };
  if (h > t + giveBackSlack) return { giveBack: h - t };
  return null;
}

/**
 * Which allotments to give back for a surplus (an allotment goes back whole): the smallest first, as long as the
 * seats left in hand stay at or above the target. When every allotment is bigger than the surplus, the smallest goes
 * back anyway and the keeper asks for the seats then missing (a moment with fewer seats, then the right number).
 */
export function allotmentsToGiveBack<A extends { unused: number }>(allotments: readonly A[], surplus: number): A[] {
  let left = Math.floor(count(surplus));
  if (left < 1) return [];
  const held = [...allotments].filter((x) => count(x.unused) > 0).sort((x, y) => x.unused - y.unused);
  const out: A[] = [];
  for (const a of held) {
    if (a.unused > left) break;
    out.push(a);
    left -= a.unused;
  }
  return out.length > 0 || held.length === 0 ? out : [held[0]!];
}

// ---- HQ: grants and taking seats back -----------------------------------------------------------------------------------

export interface GrantParams {
  /** HQ may always grant up to this share of the unallocated seats (hq/config.ts `allotmentShare`). */
  allotmentShare: number;
  /**
   * Beyond that share, HQ grants only seats the session's forecast demand will not need: it keeps back this many
   * times the forecast (its sales rate × minutes until it starts) (hq/config.ts `allotmentKeepBack`). Null: no more
   * than the share, ever (HQ before issue 17).
   */
  allotmentKeepBack: number | null;
}

/** HQ's defaults (hq/config.ts takes them from here; so does the simulator). */
export const defaultGrant: GrantParams = { allotmentShare: 0.08, allotmentKeepBack: 2 };

/**
 * An online sale that finds no seat waits up to `waitMs` for the seats HQ asks other stations to give back; HQ asks
 * only stations it heard from within `askHeardWithinMin` (hq/config.ts `seatWaitMs`, `seatWaitAskWithinSeconds`).
 */
export const defaultSeatWait = { waitMs: 1500, askHeardWithinMin: 1 } as const;

export interface GrantInput {
  asked: number;
  capacity: number;
  sold: number;
  /** Seats held in every station's allotments. */
  allotted: number;
  /** HQ's sales rate for the session, seats per minute. */
  salesRatePerMin: number;
  minutesToStart: number;
}

/**
 * Seats granted for one request: what was asked, up to `allotmentShare` of the unallocated seats — or more, up to the
 * unallocated seats the session's forecast demand will not need (unallocated − keepBack × rate × minutes to start).
 * A session selling fast keeps its seats in the pool for whoever sells next; a quiet one lets desks hold what
 * they ask for.
 */
export function grantSeats(i: GrantInput, p: GrantParams): number {
  // Numbers HQ cannot trust grant nothing (a NaN count must not look like an empty room).
  if (![i.capacity, i.sold, i.allotted].every((n) => Number.isFinite(n) && n >= 0)) return 0;
  const unallocated = i.capacity - i.sold - i.allotted;
  if (!(unallocated >= 1)) return 0;
  // An unreadable rate or time counts as a session about to sell out: the share only.
  const forecastKnown =
    p.allotmentKeepBack !== null && [i.salesRatePerMin, i.minutesToStart].every((n) => Number.isFinite(n) && n >= 0);
  const spare = forecastKnown ? unallocated - count(p.allotmentKeepBack!) * i.salesRatePerMin * i.minutesToStart : 0;
  const limit = Math.max(Math.floor(prob(p.allotmentShare, 0, 1) * unallocated), Math.floor(spare));
  return Math.max(0, Math.min(Math.floor(count(i.asked)), limit, unallocated));
}

export interface HeldSeats {
  /** When HQ last heard from the station holding them (ms). */
  lastHeardMs: number;
  unused: number;
}

/**
 * The holders HQ asks to give their unused seats back before turning a sale away: those it heard from within
 * `withinMs`, very likely online and so able to answer at once (an offline one would answer too late).
 */
export function reclaimable<A extends HeldSeats>(held: readonly A[], nowMs: number, withinMs: number): A[] {
  const window = count(withinMs);
  return held.filter((a) => count(a.unused) >= 1 && Number.isFinite(a.lastHeardMs) && nowMs - a.lastHeardMs <= window);
}
