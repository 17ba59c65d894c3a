/**
 * Runs one policy over one simulated day, minute by minute: desks sell, HQ keeps the seat ledger (DESIGN §7),
 * desks go offline and come back. The sale decision at a desk is `decideSale` from core/policy.ts and the
 * staleness Δ comes from `estimateStaleness` in core/staleness.ts — the code the stations run.
 *
 * Model, per minute t:
 *  1. Connectivity. A desk that comes back flushes its queued events to HQ in order (FIFO per desk), HQ decides
 *     each, and the desk learns availability, verdicts and HQ time (staleness 0). A desk that loses the network
 *     keeps the availability it saw at its last contact (the end of minute t − 1).
 *  2. Allotments (allotment policies only). For every online desk and every session still more than
 *     `allotmentReturnLeadMin` before its start: when its seats in hand are used up it asks for
 *     `allotmentAsk` and HQ grants min(ask, floor(share × U)). Inside the return window the desk hands unused
 *     seats back (an offline desk when it reconnects).
 *  3. Buyers. Each buyer of the minute asks a desk for a seat; the desk runs decideSale. Online: HQ decides at
 *     once (verdicts take seconds, the step is a minute) — confirmed while sold + allotted < capacity, else the
 *     sale is refused on the spot. Before refusing, HQ reclaims the unused allotment seats of online desks
 *     for that session (they are one message away and do not need an escrow while online). Allotment and
 *     overdraft sales are queued at the desk for HQ.
 *  4. HQ updates its per-session sales rate μ (EWMA of seats applied per minute).
 * At the end of the day every desk reconnects, queues drain, allotments return.
 */
import { decideSale, type SaleContext, type SaleTier } from '../../core/policy';
import { estimateStaleness, type HqContact, type Staleness } from '../../core/staleness';
import type { PolicySpec } from './policies';
import type { DayScenario } from './scenario';

export interface ModelOptions {
  /** Seats a desk asks for per session when its allotment is used up. */
  allotmentAsk: number;
  /** HQ grants min(ask, floor(share × U)); null means 1 / (2 × desks), so at most about half of U is in escrow. */
  allotmentShare: number | null;
  /** Allotments go back (and no new ones are granted) this many minutes before a session starts. */
  allotmentReturnLeadMin: number;
  /** Time constant of HQ's sales-rate EWMA, minutes. */
  rateTimeConstantMin: number;
  /** Before refusing an online sale, HQ takes back unused allotment seats from online desks. */
  reclaimFromOnlineDesks: boolean;
}

export const defaultModelOptions: ModelOptions = {
  allotmentAsk: 2,
  allotmentShare: null,
  allotmentReturnLeadMin: 20,
  rateTimeConstantMin: 10,
  reclaimFromOnlineDesks: true,
};

export const metricNames = [
  'arrivals',
  'sales',
  'offlineSales',
  'refused',
  'refusedWhileFree',
  'refusedWhileUnallocated',
  'cases',
  'oversoldSeats',
  'emptySeatsAfterRefusal',
] as const;
export type MetricName = (typeof metricNames)[number];
export type DayMetrics = Record<MetricName, number>;

const MS_PER_MIN = 60_000;

export function simulateDay(day: DayScenario, policy: PolicySpec, model: ModelOptions = defaultModelOptions): DayMetrics {
  const S = day.sessions.length;
  const D = day.desks;
  const M = day.minutes;
  const cap = Int32Array.from(day.sessions, (s) => s.capacity);
  const returnAt = Int32Array.from(day.sessions, (s) => Math.max(0, s.closeMin - model.allotmentReturnLeadMin));
  const share = model.allotmentShare ?? 1 / (2 * D);
  const rateGain = 1 - Math.exp(-1 / model.rateTimeConstantMin);

  // HQ's ledger.
  const sold = Int32Array.from(day.sessions, (s) => s.presold);
  const allotted = new Int32Array(S);
  const rate = new Float64Array(S);
  const appliedThisMinute = new Float64Array(S);
  // The truth HQ cannot see yet: sales made at desks and still queued there.
  const unsyncedSales = new Int32Array(S);
  const unsyncedOverdraft = new Int32Array(S);
  // Desks, indexed d * S + s.
  const inHand = new Int32Array(D * S);
  const pending = new Int32Array(D * S);
  const viewSold = new Int32Array(D * S);
  const viewAllotted = new Int32Array(D * S);
  const viewRate = new Float64Array(D * S);
  const queues: number[][] = Array.from({ length: D }, () => []);
  const online = new Uint8Array(D).fill(1);
  const bootIds = Array.from({ length: D }, (_, d) => `desk-${d}-boot-0`);
  const boots = new Int32Array(D);
  const contacts: HqContact[] = bootIds.map((bootId) => ({ hqTime: 0, wallTime: 0, monoTime: 0, bootId }));
  const refusedFreeBySession = new Int32Array(S);

  const m: DayMetrics = {
    arrivals: 0,
    sales: 0,
    offlineSales: 0,
    refused: 0,
    refusedWhileFree: 0,
    refusedWhileUnallocated: 0,
    cases: 0,
    oversoldSeats: 0,
    emptySeatsAfterRefusal: 0,
  };

  const touch = (d: number, t: number) => {
    const c = contacts[d]!;
    c.hqTime = c.wallTime = c.monoTime = t * MS_PER_MIN;
    c.bootId = bootIds[d]!;
  };

  const returnInHand = (i: number, s: number) => {
    allotted[s]! -= inHand[i]!;
    inHand[i] = 0;
  };

  /** HQ applies one queued station event (DESIGN §7). Events are encoded as session * 2 + (1 if overdraft). */
  const hqApply = (d: number, ev: number) => {
    const s = ev >> 1;
    unsyncedSales[s]!--;
    if ((ev & 1) === 0) {
      allotted[s]!--; // an allotment sale is always confirmed
    } else {
      unsyncedOverdraft[s]!--;
      pending[d * S + s]!--;
      if (sold[s]! + allotted[s]! >= cap[s]!) m.cases++; // SaleOversold: a case for staff; the seat was sold
    }
    sold[s]!++;
    appliedThisMinute[s]!++;
  };

  const reconnect = (d: number, t: number) => {
    const q = queues[d]!;
    for (const ev of q) hqApply(d, ev);
    q.length = 0;
    for (let s = 0; s < S; s++) if (t >= returnAt[s]! && inHand[d * S + s]! > 0) returnInHand(d * S + s, s);
    touch(d, t);
  };

  const disconnect = (d: number) => {
    for (let s = 0; s < S; s++) {
      viewSold[d * S + s] = sold[s]!;
      viewAllotted[d * S + s] = allotted[s]!;
      viewRate[d * S + s] = rate[s]!;
    }
  };

  const reclaim = (s: number) => {
    for (let d = 0; d < D; d++) if (online[d] === 1 && inHand[d * S + s]! > 0) returnInHand(d * S + s, s);
  };

  const refuse = (s: number) => {
    m.refused++;
    if (cap[s]! - sold[s]! - unsyncedSales[s]! > 0) {
      m.refusedWhileFree++;
      refusedFreeBySession[s]!++;
    }
    if (cap[s]! - sold[s]! - allotted[s]! - unsyncedOverdraft[s]! > 0) m.refusedWhileUnallocated++;
  };

  const params = policy.params;
  const baseline = policy.kind === 'baseline';

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
      else disconnect(d);
    }
    // 2. Allotments.
    if (policy.allotments) {
      for (let d = 0; d < D; d++) {
        if (online[d] !== 1) continue;
        for (let s = 0; s < S; s++) {
          const i = d * S + s;
          if (t >= returnAt[s]!) {
            if (inHand[i]! > 0) returnInHand(i, s);
          } else if (inHand[i] === 0) {
            const grant = Math.min(model.allotmentAsk, Math.floor(share * (cap[s]! - sold[s]! - allotted[s]!)));
            if (grant > 0) {
              inHand[i] = grant;
              allotted[s]! += grant;
            }
          }
        }
      }
    }
    // 3. Buyers.
    const end = day.arrivalStart[t + 1]!;
    for (let a = day.arrivalStart[t]!; a < end; a++) {
      const s = day.arrivalSession[a]!;
      const d = day.arrivalDesk[a]!;
      const i = d * S + s;
      const isOnline = online[d] === 1;
      m.arrivals++;
      let tier: SaleTier | null;
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
          salesRatePerMin: policy.useSalesRate ? (isOnline ? rate[s]! : viewRate[i]!) : 0,
          allotmentRemaining: inHand[i]!,
          staleness,
          pendingOverdraft: pending[i]!,
          override: false,
          params,
        };
        tier = decideSale(ctx).tier;
      }
      switch (tier) {
        case 'online':
          if (sold[s]! + allotted[s]! >= cap[s]! && model.reclaimFromOnlineDesks) reclaim(s);
          if (sold[s]! + allotted[s]! < cap[s]!) {
            sold[s]!++;
            appliedThisMinute[s]!++;
            m.sales++;
          } else {
            refuse(s); // HQ says SaleOversold: the desk refuses on the spot
          }
          break;
        case 'allotment':
          inHand[i]!--;
          queues[d]!.push(s * 2);
          unsyncedSales[s]!++;
          m.sales++;
          m.offlineSales++;
          break;
        case 'overdraft':
        case 'override':
          pending[i]!++;
          queues[d]!.push(s * 2 + 1);
          unsyncedSales[s]!++;
          unsyncedOverdraft[s]!++;
          m.sales++;
          m.offlineSales++;
          break;
        case null:
          refuse(s);
          break;
      }
    }
    // 4. HQ's sales rate.
    for (let s = 0; s < S; s++) {
      rate[s]! += rateGain * (appliedThisMinute[s]! - rate[s]!);
      appliedThisMinute[s] = 0;
    }
  }

  // End of day: every desk comes back, every queue drains, every allotment returns.
  for (let d = 0; d < D; d++) {
    if (online[d] !== 1) {
      online[d] = 1;
      reconnect(d, M);
    }
    for (let s = 0; s < S; s++) if (inHand[d * S + s]! > 0) returnInHand(d * S + s, s);
  }
  for (let s = 0; s < S; s++) {
    m.oversoldSeats += Math.max(0, sold[s]! - cap[s]!);
    m.emptySeatsAfterRefusal += Math.min(refusedFreeBySession[s]!, Math.max(0, cap[s]! - sold[s]!));
  }
  return m;
}
