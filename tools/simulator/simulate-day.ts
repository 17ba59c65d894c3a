/**
 * Runs one policy over one simulated day, minute by minute: desks sell, HQ keeps the seat ledger (DESIGN §7),
 * desks go offline and come back. The station's code decides wherever the station decides: `decideSale` from
 * core/policy.ts for every buyer (Δ from `estimateStaleness`, core/staleness.ts), and for adaptive allotments the
 * keeper's target and step and HQ's grant and reclaim rules from core/allotment-sizing.ts.
 *
 * Model, per minute t:
 *  1. Connectivity. A desk that comes back flushes its queued events to HQ in order (FIFO per desk), HQ decides
 *     each, and the desk learns availability, verdicts and HQ time (staleness 0), and notes how long it was out
 *     (its outage history). A desk that loses the network keeps the availability it saw at its last contact.
 *  2. Allotments, for every online desk and every session more than `allotmentReturnLeadMin` before its start:
 *     fixed blocks — when the seats in hand are used up the desk asks for `allotmentAsk` and HQ grants
 *     min(ask, floor(share × U)); adaptive — the desk's target from its own sales rate and the outages it has
 *     seen, the missing seats asked for (HQ grants with grantSeats), a surplus given back. Inside the return
 *     window the desk hands unused seats back (an offline desk when it reconnects).
 *  3. Buyers. Each buyer of the minute asks a desk for a seat; the desk runs decideSale. Online: HQ decides at once
 *     (verdicts take seconds, the step is a minute) — confirmed while sold + allotted < capacity, else HQ first
 *     takes back unused allotment seats (the `reclaim` option: from a station it heard from within a minute, as the
 *     real HQ does, the selling desk's own first) and otherwise the sale is refused on the spot. Allotment and
 *     overdraft sales are queued at the desk for HQ.
 *  4. HQ updates its per-session sales rate μ (EWMA of seats applied per minute); each desk its own rate.
 * At the end of the day every desk reconnects, queues drain, allotments return.
 */
import {
  addSale,
  allotmentTarget,
  decayRate,
  defaultSeatWait,
  grantSeats,
  keeperStep,
  noOutages,
  planningOutageMin,
  reclaimable,
  recordOutage,
  type OutageHistory,
} from '../../core/allotment-sizing';
import type { SalePolicyParams } from '../../core/conference';
import { decideSale, type SaleBasis, type SaleContext, type SaleTier } from '../../core/policy';
import { estimateStaleness, type HqContact, type Staleness } from '../../core/staleness';
import type { PolicySpec } from './policies';
import type { DayScenario } from './scenario';

export interface ModelOptions {
  /** Seats a desk asks for per session when its fixed block is used up. */
  allotmentAsk: number;
  /** Fixed blocks: HQ grants min(ask, floor(share × U)); null means 1 / (2 × desks). */
  allotmentShare: number | null;
  /** Allotments go back (and no new ones are granted) this many minutes before a session starts. */
  allotmentReturnLeadMin: number;
  /** Time constant of HQ's sales-rate EWMA, minutes. */
  rateTimeConstantMin: number;
  /** Time constant of a desk's own sales-rate EWMA (adaptive allotments), minutes. */
  ownRateTimeConstantMin: number;
  /**
   * Before turning away a sale, HQ uses the selling desk's own unused seats, then: 'ask' (the real HQ), it asks the
   * desks it heard from within `askHeardWithinMin` to give theirs back and the sale waits a moment — an online desk
   * answers in time, an offline one when it is back; 'heard', it takes those desks' seats at once (a desk that has
   * just gone offline goes on selling seats HQ took: `casesFromSeatsTakenBack`); 'online', it takes every online
   * desk's (an HQ that knows who is online, the model of issue 7); 'none', nothing (HQ before issue 17).
   */
  reclaim: 'ask' | 'heard' | 'online' | 'none';
  askHeardWithinMin: number;
}

export const defaultModelOptions: ModelOptions = {
  allotmentAsk: 2,
  allotmentShare: null,
  allotmentReturnLeadMin: 20,
  rateTimeConstantMin: 10,
  ownRateTimeConstantMin: 10,
  reclaim: 'ask',
  askHeardWithinMin: defaultSeatWait.askHeardWithinMin,
};

export const metricNames = [
  'arrivals',
  'sales',
  'offlineSales',
  'refused',
  'refusedWhileFree',
  'refusedWhileUnallocated',
  'refusedOnlineWhileFree',
  // Refusals while free at an offline desk by the first overdraft condition that failed, in decideSale's order:
  // Δ unknown (a restart), Δ over maxStalenessMin, U under minRemainingRatio, k_max's margin U − μΔ − z√(μΔ), its cap
  // (refusedOnlineWhileFree is the rest: HQ found no seat for an online sale).
  'refusedFreeStalenessUnknown',
  'refusedFreeTooStale',
  'refusedFreeFewLeft',
  'refusedFreeMargin',
  'refusedFreeCap',
  // Every refusal while free by minutes to the session's start: ≤ 30, 31–90, more.
  'refusedFreeLast30Min',
  'refusedFree30To90Min',
  'refusedFreeEarlier',
  'cases',
  'casesFromSeatsTakenBack',
  'oversoldSeats',
  'emptySeatsAfterRefusal',
  'allotmentMessages',
] as const;
export type MetricName = (typeof metricNames)[number];
export type DayMetrics = Record<MetricName, number>;

const MS_PER_MIN = 60_000;
/** A cap so large that k_max is bounded by U alone. */
const noCap = 1000;

export function simulateDay(
  day: DayScenario,
  policy: PolicySpec,
  model: ModelOptions = defaultModelOptions,
): DayMetrics {
  const S = day.sessions.length;
  const D = day.desks;
  const M = day.minutes;
  const cap = Int32Array.from(day.sessions, (s) => s.capacity);
  const returnAt = Int32Array.from(day.sessions, (s) => Math.max(0, s.closeMin - model.allotmentReturnLeadMin));
  const fixedShare = model.allotmentShare ?? 1 / (2 * D);
  const rateGain = 1 - Math.exp(-1 / model.rateTimeConstantMin);
  const ownTau = model.ownRateTimeConstantMin;
  const ownDecay = decayRate(1, 1, ownTau);

  // HQ's ledger.
  const sold = Int32Array.from(day.sessions, (s) => s.presold);
  const allotted = new Int32Array(S);
  const rate = new Float64Array(S);
  const appliedThisMinute = new Float64Array(S);
  // The truth HQ cannot see yet: sales made at desks and still queued there.
  const unsyncedSales = new Int32Array(S);
  const unsyncedOverdraft = new Int32Array(S);
  /** The minute HQ last heard from each desk (an event of any kind). */
  const lastHeard = new Int32Array(D).fill(-1_000_000);
  // Desks, indexed d * S + s.
  /** Seats the desk holds and has not used, as the desk knows it. */
  const inHand = new Int32Array(D * S);
  /** Seats HQ counts in the desk's allotments: inHand plus its allotment sales still queued, until HQ takes them back. */
  const hqHeld = new Int32Array(D * S);
  /** Seats HQ took back while the desk was offline: its sales from them are decided like any other sale. */
  const voided = new Int32Array(D * S);
  /** HQ asked the desk, which had just gone offline, to give its seats for the session back: it does when it is back. */
  const giveBackAsked = new Uint8Array(D * S);
  const pending = new Int32Array(D * S);
  const viewSold = new Int32Array(D * S);
  const viewAllotted = new Int32Array(D * S);
  const viewRate = new Float64Array(D * S);
  const ownRate = new Float64Array(D * S);
  const viewOwnRate = new Float64Array(D * S);
  const queues: number[][] = Array.from({ length: D }, () => []);
  const online = new Uint8Array(D).fill(1);
  const offlineSince = new Int32Array(D);
  const bootIds = Array.from({ length: D }, (_, d) => `desk-${d}-boot-0`);
  const boots = new Int32Array(D);
  const contacts: HqContact[] = bootIds.map((bootId) => ({ hqTime: 0, wallTime: 0, monoTime: 0, bootId }));
  const adaptive = policy.allotments === 'adaptive';
  const history: OutageHistory[] = Array.from({ length: D }, () => noOutages);
  const plannedOutage = new Float64Array(D).fill(planningOutageMin(noOutages, policy.params));
  const refusedFreeBySession = new Int32Array(S);
  /** What core's sizing asks of a desk with no sales of a session, whatever the outage and time left. */
  const idleTarget = adaptive
    ? allotmentTarget({ ownRatePerMin: 0, outageMin: 1, minutesToReturn: 1 }, policy.params)
    : 0;

  const m: DayMetrics = {
    arrivals: 0,
    sales: 0,
    offlineSales: 0,
    refused: 0,
    refusedWhileFree: 0,
    refusedWhileUnallocated: 0,
    refusedOnlineWhileFree: 0,
    refusedFreeStalenessUnknown: 0,
    refusedFreeTooStale: 0,
    refusedFreeFewLeft: 0,
    refusedFreeMargin: 0,
    refusedFreeCap: 0,
    refusedFreeLast30Min: 0,
    refusedFree30To90Min: 0,
    refusedFreeEarlier: 0,
    cases: 0,
    casesFromSeatsTakenBack: 0,
    oversoldSeats: 0,
    emptySeatsAfterRefusal: 0,
    allotmentMessages: 0,
  };

  const touch = (d: number, t: number) => {
    const c = contacts[d]!;
    c.hqTime = c.wallTime = c.monoTime = t * MS_PER_MIN;
    c.bootId = bootIds[d]!;
  };

  /** Every seat HQ counts in desk d's allotments for s goes back to the pool; an online desk hears of it at once. */
  const takeBack = (d: number, s: number) => {
    const i = d * S + s;
    allotted[s]! -= hqHeld[i]!;
    if (online[d] === 1) inHand[i] = 0;
    else voided[i]! += hqHeld[i]!;
    hqHeld[i] = 0;
  };

  /** Before turning away a sale of `seller` (or opening a case for it), HQ takes seats back per `model.reclaim`. */
  const makeRoom = (s: number, seller: number, t: number, onlineSale: boolean) => {
    if (model.reclaim === 'online') {
      for (let d = 0; d < D; d++) if (online[d] === 1 && hqHeld[d * S + s]! > 0) takeBack(d, s);
    } else if (model.reclaim === 'ask') {
      // The selling desk's own seats at once (DESIGN §7). Every other desk holding seats is asked to give them back
      // and the sale waits a moment for them: an online desk answers within it (a round trip, well under the
      // desk's verdict timeout), an offline one when it is back. Nothing is taken from under a desk, so a seat in
      // hand never oversells.
      if (online[seller] === 1 && hqHeld[seller * S + s]! > 0) return takeBack(seller, s);
      if (!onlineSale) return; // a sale made offline is decided at once: nobody waits at the counter for it
      for (let d = 0; d < D; d++) {
        const unused = hqHeld[d * S + s]!;
        if (d === seller || unused < 1) continue;
        // Only stations heard from within the window are asked (the others are very likely offline).
        if (
          reclaimable(
            [{ lastHeardMs: lastHeard[d]! * MS_PER_MIN, unused }],
            t * MS_PER_MIN,
            model.askHeardWithinMin * MS_PER_MIN,
          ).length === 0
        )
          continue;
        if (online[d] === 1) {
          takeBack(d, s);
          m.allotmentMessages++;
        } else giveBackAsked[d * S + s] = 1;
      }
    } else if (model.reclaim === 'heard') {
      // The selling desk’s own seats (DESIGN §7) and those of every desk HQ heard from within the window.
      for (let d = 0; d < D; d++) {
        const unused = hqHeld[d * S + s]!;
        if (unused < 1) continue;
        const heard =
          d === seller
            ? online[d] === 1
            : reclaimable(
                [{ lastHeardMs: lastHeard[d]! * MS_PER_MIN, unused }],
                t * MS_PER_MIN,
                model.askHeardWithinMin * MS_PER_MIN,
              ).length > 0;
        if (heard) takeBack(d, s);
      }
    }
  };

  /** HQ applies one queued station event (DESIGN §7). Events are encoded as session * 2 + (1 if overdraft). */
  const hqApply = (d: number, ev: number, t: number) => {
    const s = ev >> 1;
    const i = d * S + s;
    unsyncedSales[s]!--;
    if ((ev & 1) === 0 && voided[i]! > 0) {
      // Sold from a seat HQ had taken back: decided like any other sale.
      voided[i]!--;
      if (sold[s]! + allotted[s]! >= cap[s]!) makeRoom(s, d, t, false);
      if (sold[s]! + allotted[s]! >= cap[s]!) {
        m.cases++;
        m.casesFromSeatsTakenBack++;
      }
    } else if ((ev & 1) === 0) {
      hqHeld[i]!--;
      allotted[s]!--; // an allotment sale is always confirmed
    } else {
      unsyncedOverdraft[s]!--;
      pending[i]!--;
      if (sold[s]! + allotted[s]! >= cap[s]!) makeRoom(s, d, t, false);
      if (sold[s]! + allotted[s]! >= cap[s]!) m.cases++; // SaleOversold: a case for staff; the seat was sold
    }
    sold[s]!++;
    appliedThisMinute[s]!++;
  };

  const reconnect = (d: number, t: number) => {
    const q = queues[d]!;
    if (q.length > 0) lastHeard[d] = t;
    for (const ev of q) hqApply(d, ev, t);
    q.length = 0;
    for (let s = 0; s < S; s++) {
      const i = d * S + s;
      // AllotmentRecalled waited in the desk's subscription: the seats HQ took back are gone.
      inHand[i]! -= voided[i]!;
      voided[i] = 0;
      if (giveBackAsked[i] === 1) {
        giveBackAsked[i] = 0;
        if (hqHeld[i]! > 0) takeBack(d, s); // the request waited in its subscription: what is left goes back
      }
      if (t >= returnAt[s]! && hqHeld[i]! > 0) takeBack(d, s);
    }
    touch(d, t);
    if (adaptive) {
      history[d] = recordOutage(history[d]!, t - offlineSince[d]!);
      plannedOutage[d] = planningOutageMin(history[d]!, policy.params);
    }
  };

  const disconnect = (d: number, t: number) => {
    offlineSince[d] = t;
    for (let s = 0; s < S; s++) {
      viewSold[d * S + s] = sold[s]!;
      viewAllotted[d * S + s] = allotted[s]!;
      viewRate[d * S + s] = rate[s]!;
      viewOwnRate[d * S + s] = ownRate[d * S + s]!;
    }
  };

  /** `basis`: what decideSale refused an offline sale on (none for HQ's refusal of an online sale). */
  const refuse = (s: number, isOnline: boolean, t: number, basis: SaleBasis | null = null) => {
    m.refused++;
    if (cap[s]! - sold[s]! - unsyncedSales[s]! > 0) {
      m.refusedWhileFree++;
      if (isOnline) m.refusedOnlineWhileFree++;
      else {
        const first = basis?.failed.find((f) => f.code !== 'no_capacity');
        if (first?.code === 'staleness_unknown') m.refusedFreeStalenessUnknown++;
        else if (first?.code === 'too_stale') m.refusedFreeTooStale++;
        else if (first?.code === 'too_few_seats_left') m.refusedFreeFewLeft++;
        else if (first?.code === 'overdraft_limit_reached' && first.pending + 1 > basis!.overdraftCap)
          m.refusedFreeCap++;
        else m.refusedFreeMargin++;
      }
      const toStart = day.sessions[s]!.closeMin - t;
      if (toStart <= 30) m.refusedFreeLast30Min++;
      else if (toStart <= 90) m.refusedFree30To90Min++;
      else m.refusedFreeEarlier++;
      refusedFreeBySession[s]!++;
    }
    if (cap[s]! - sold[s]! - allotted[s]! - unsyncedOverdraft[s]! > 0) m.refusedWhileUnallocated++;
  };

  /** The oracle's room: seats HQ could still sell (pool and online desks' seats) minus the other desks' demand until d is back. */
  const oracleRoom = (s: number, d: number, t: number) => {
    let back = t;
    while (back < M && day.offline[d * M + back] === 1) back++;
    let drain = 0;
    const demand = day.demand[s]!;
    for (let k = t; k < back && k < demand.length; k++) drain += (demand[k]! * (D - 1)) / D;
    let onlineHeld = 0;
    for (let x = 0; x < D; x++) if (online[x] === 1) onlineHeld += hqHeld[x * S + s]!;
    return cap[s]! - sold[s]! - allotted[s]! + onlineHeld - drain;
  };

  const params = policy.params;
  const baseline = policy.kind === 'baseline';
  const lanParams: SalePolicyParams = {
    ...params,
    overdraftCap: noCap,
    maxStalenessMin: 24 * 60,
    minRemainingRatio: 0,
  };

  for (let t = 0; t < M; t++) {
    const hqNow = t * MS_PER_MIN;
    // 1. Connectivity.
    for (let d = 0; d < D; d++) {
      if (day.restart[d * M + t] === 1) bootIds[d] = `desk-${d}-boot-${++boots[d]!}`;
      const nowOnline = day.offline[d * M + t] === 1 ? 0 : 1;
      if (nowOnline === online[d]) {
        if (nowOnline === 1) touch(d, t);
        continue;
      }
      online[d] = nowOnline;
      if (nowOnline === 1) reconnect(d, t);
      else disconnect(d, t);
    }
    // 2. Allotments.
    if (policy.allotments !== 'none') {
      for (let d = 0; d < D; d++) {
        if (online[d] !== 1) continue;
        for (let s = 0; s < S; s++) {
          const i = d * S + s;
          const held = inHand[i]!;
          if (t >= returnAt[s]!) {
            if (hqHeld[i]! > 0) {
              takeBack(d, s);
              lastHeard[d] = t;
              m.allotmentMessages++;
            }
            continue;
          }
          if (!adaptive) {
            if (held > 0) continue;
            const grant = Math.min(model.allotmentAsk, Math.floor(fixedShare * (cap[s]! - sold[s]! - allotted[s]!)));
            lastHeard[d] = t; // AllotmentRequested
            if (grant > 0) {
              inHand[i] = hqHeld[i] = grant;
              allotted[s]! += grant;
            }
            continue;
          }
          // A desk that has never sold the session holds the idle target (core's, with no sales): nothing to do.
          if (ownRate[i] === 0 && held === idleTarget) continue;
          const target = allotmentTarget(
            { ownRatePerMin: ownRate[i]!, outageMin: plannedOutage[d]!, minutesToReturn: returnAt[s]! - t },
            params,
          );
          const step = keeperStep(held, target);
          if (step === null) continue;
          m.allotmentMessages++;
          lastHeard[d] = t;
          if ('ask' in step) {
            const seats = grantSeats(
              {
                asked: step.ask,
                capacity: cap[s]!,
                sold: sold[s]!,
                allotted: allotted[s]!,
                salesRatePerMin: rate[s]!,
                minutesToStart: day.sessions[s]!.closeMin - t,
              },
              policy.grant,
            );
            inHand[i]! += seats;
            hqHeld[i]! += seats;
            allotted[s]! += seats;
          } else {
            // The station gives back whole allotments; seat by seat here (the model keeps one count per session).
            inHand[i]! -= step.giveBack;
            hqHeld[i]! -= step.giveBack;
            allotted[s]! -= step.giveBack;
          }
        }
      }
    }
    // 3. Buyers.
    const venueOnLan = day.venueDown[t] === 1 && day.lanDown[t] === 0;
    let desksOnLan = 0;
    if (venueOnLan && policy.lan !== 'none') for (let d = 0; d < D; d++) if (day.ownDown[d * M + t] === 0) desksOnLan++;
    const end = day.arrivalStart[t + 1]!;
    for (let a = day.arrivalStart[t]!; a < end; a++) {
      const s = day.arrivalSession[a]!;
      const d = day.arrivalDesk[a]!;
      const i = d * S + s;
      const isOnline = online[d] === 1;
      m.arrivals++;
      let tier: SaleTier | null;
      let basis: SaleBasis | null = null;
      /** Whose seat in hand an allotment sale uses (a LAN peer's, when sharing). */
      let holder = d;
      if (baseline) {
        tier = isOnline ? 'online' : 'overdraft';
      } else {
        const staleness: Staleness = isOnline
          ? { known: true, ms: 0, minutes: 0, hqNow }
          : estimateStaleness(contacts[d]!, { wall: hqNow, mono: hqNow, bootId: bootIds[d]! });
        const ctx: SaleContext = {
          online: isOnline,
          capacity: cap[s]!,
          sold: isOnline ? sold[s]! : viewSold[i]!,
          allotted: isOnline ? allotted[s]! : viewAllotted[i]!,
          salesRatePerMin: !policy.useSalesRate
            ? 0
            : policy.overdraftRate === 'others'
              ? Math.max(0, isOnline ? rate[s]! - ownRate[i]! : viewRate[i]! - viewOwnRate[i]!)
              : isOnline
                ? rate[s]!
                : viewRate[i]!,
          allotmentRemaining: inHand[i]!,
          staleness,
          pendingOverdraft: pending[i]!,
          override: false,
          params,
        };
        if (!isOnline && desksOnLan > 0 && day.ownDown[d * M + t] === 0) {
          // The venue's internet is down and this desk sees its peers on the LAN: nobody is selling online.
          ctx.salesRatePerMin = 0;
          if (policy.lan === 'scope') {
            ctx.params = {
              ...lanParams,
              overdraftCap: Math.floor(Math.max(0, cap[s]! - viewSold[i]! - viewAllotted[i]!) / desksOnLan),
            };
          } else {
            ctx.params = lanParams;
            let groupPending = 0;
            let groupInHand = 0;
            for (let x = 0; x < D; x++) {
              if (day.ownDown[x * M + t] === 1) continue;
              groupPending += pending[x * S + s]!;
              groupInHand += inHand[x * S + s]!;
            }
            ctx.pendingOverdraft = groupPending;
            ctx.allotmentRemaining = groupInHand;
            if (inHand[i] === 0)
              for (let x = 0; x < D && holder === d; x++)
                if (day.ownDown[x * M + t] === 0 && inHand[x * S + s]! > 0) holder = x;
          }
        }
        const decision = decideSale(ctx);
        tier = decision.tier;
        basis = decision.basis;
        if (
          tier === null &&
          policy.oracle &&
          !isOnline &&
          ctx.allotmentRemaining === 0 &&
          staleness.known &&
          oracleRoom(s, d, t) >= pending[i]! + 1
        )
          tier = 'overdraft';
      }
      switch (tier) {
        case 'online':
          if (sold[s]! + allotted[s]! >= cap[s]!) makeRoom(s, d, t, true);
          if (sold[s]! + allotted[s]! < cap[s]!) {
            sold[s]!++;
            appliedThisMinute[s]!++;
            m.sales++;
            lastHeard[d] = t;
            ownRate[i] = addSale(ownRate[i]!, ownTau);
          } else {
            refuse(s, true, t); // HQ says SaleOversold: the desk refuses on the spot
          }
          break;
        case 'allotment':
          ownRate[i] = addSale(ownRate[i]!, ownTau);
          inHand[holder * S + s]!--;
          queues[holder]!.push(s * 2);
          unsyncedSales[s]!++;
          m.sales++;
          m.offlineSales++;
          break;
        case 'overdraft':
        case 'override':
          ownRate[i] = addSale(ownRate[i]!, ownTau);
          pending[i]!++;
          queues[d]!.push(s * 2 + 1);
          unsyncedSales[s]!++;
          unsyncedOverdraft[s]!++;
          m.sales++;
          m.offlineSales++;
          break;
        case null:
          refuse(s, isOnline, t, basis);
          break;
      }
    }
    // 4. HQ's sales rate, and each desk's own.
    for (let s = 0; s < S; s++) {
      rate[s]! += rateGain * (appliedThisMinute[s]! - rate[s]!);
      appliedThisMinute[s] = 0;
    }
    for (let i = 0; i < D * S; i++) ownRate[i]! *= ownDecay;
  }

  // End of day: every desk comes back, every queue drains, every allotment returns.
  for (let d = 0; d < D; d++) {
    if (online[d] !== 1) {
      online[d] = 1;
      reconnect(d, M);
    }
    for (let s = 0; s < S; s++) if (hqHeld[d * S + s]! > 0) takeBack(d, s);
  }
  for (let s = 0; s < S; s++) {
    m.oversoldSeats += Math.max(0, sold[s]! - cap[s]!);
    m.emptySeatsAfterRefusal += Math.min(refusedFreeBySession[s]!, Math.max(0, cap[s]! - sold[s]!));
  }
  return m;
}
