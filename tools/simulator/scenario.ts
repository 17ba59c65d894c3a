/**
 * One simulated conference day, drawn from a seed before any policy runs: the sessions, every buyer who walks
 * up to a desk, and every network outage. Every policy is then run on exactly this day (common random numbers),
 * so differences between policies are differences of policy, not of luck.
 */
import { exponential, intBetween, mixSeed, mulberry32, pick, poisson, uniform, type Rng } from './prng';

export interface DayOptions {
  /** Desks (stations) selling upgrades. */
  desks: number;
  sessions: number;
  /** Length of the selling day in minutes (one simulation step = one minute). */
  dayMinutes: number;
  /** Outages per desk per hour (its own Wi-Fi, cable, router): a Poisson process of outage starts. */
  outageRatePerHour: number;
  /** Mean outage length in minutes (exponential, at least one minute). */
  outageMeanMin: number;
  /** Venue-wide outages per hour, which cut every desk at once. */
  venueOutageRatePerHour: number;
  /** Mean length of a venue-wide outage in minutes. */
  venueOutageMeanMin: number;
  /** Share of desk outages that are power cuts: the station restarts, so its staleness is unknown until it reconnects. */
  restartShare: number;
  /**
   * Failures of the venue's own network (switch, access points), per hour: every desk is cut from HQ and from
   * the others. A venue-wide outage above is the venue's internet link: desks still see each other on the LAN.
   */
  lanFailureRatePerHour: number;
  lanFailureMeanMin: number;
  /** Share of sessions whose demand at the desks exceeds the seats left (they sell out). */
  hotShare: number;
}

export const defaultDayOptions: DayOptions = {
  desks: 6,
  sessions: 40,
  dayMinutes: 540,
  outageRatePerHour: 0.5,
  outageMeanMin: 20,
  venueOutageRatePerHour: 0,
  venueOutageMeanMin: 15,
  restartShare: 0.1,
  hotShare: 0.3,
  lanFailureRatePerHour: 0,
  lanFailureMeanMin: 15,
};

export interface SessionSpec {
  capacity: number;
  /** Seats sold before the day (online registration): HQ's `sold` at minute 0. */
  presold: number;
  /** Desk sales for the session close at this minute (the session starts). */
  closeMin: number;
  /** Expected number of buyers at the desks over the day. */
  expectedDemand: number;
  /** Demand peaks here and falls off on both sides (a normal bell, cut at 0 and at close). */
  peakMin: number;
  spreadMin: number;
}

export interface Outage {
  /** Desk index, or -1 for a venue-wide outage (the internet link; the LAN works), -2 for a failure of the LAN itself. */
  desk: number;
  start: number;
  /** Exclusive. */
  end: number;
  /** The station restarted at the start of the outage. */
  restart: boolean;
}

export interface DayScenario {
  seed: number;
  dayIndex: number;
  minutes: number;
  desks: number;
  sessions: SessionSpec[];
  /** Arrivals of minute t are the indices arrivalStart[t] .. arrivalStart[t + 1] - 1. */
  arrivalStart: Int32Array;
  arrivalSession: Int32Array;
  arrivalDesk: Int32Array;
  /** offline[d * minutes + t] is 1 when desk d cannot reach HQ during minute t. */
  offline: Uint8Array;
  /** restart[d * minutes + t] is 1 when desk d restarts at the start of minute t (a new boot id). */
  restart: Uint8Array;
  /** ownDown[d * minutes + t] is 1 when desk d's own link is down (cut from HQ and from the LAN). */
  ownDown: Uint8Array;
  /** venueDown[t] is 1 when the venue's internet link is down (every desk is cut from HQ). */
  venueDown: Uint8Array;
  /** lanDown[t] is 1 when the venue's LAN is down (every desk is cut from HQ and from the others). */
  lanDown: Uint8Array;
  outages: Outage[];
  /** demand[s][t]: expected buyers of session s in minute t, all desks together (the truth no desk knows). */
  demand: Float64Array[];
}

const capacities = [20, 30, 40, 60, 80, 120, 200] as const;

export function generateDay(seed: number, dayIndex: number, o: DayOptions): DayScenario {
  const minutes = o.dayMinutes;
  const sessionRng = mulberry32(mixSeed(seed, dayIndex, 1));
  const outageRng = mulberry32(mixSeed(seed, dayIndex, 2));
  const arrivalRng = mulberry32(mixSeed(seed, dayIndex, 3));

  const sessions: SessionSpec[] = [];
  const firstClose = Math.min(90, minutes);
  for (let i = 0; i < o.sessions; i++) {
    const capacity = pick(sessionRng, capacities);
    const presold = Math.floor(capacity * uniform(sessionRng, 0.3, 0.9));
    // Sessions start on the half hour from 90 minutes into the day; desk sales close when they start.
    const slots = Math.max(0, Math.floor((minutes - firstClose) / 30));
    const closeMin = firstClose + 30 * intBetween(sessionRng, 0, slots);
    const hot = sessionRng.next() < o.hotShare;
    const ratio = hot ? uniform(sessionRng, 1.2, 2.5) : uniform(sessionRng, 0.2, 1.0);
    const peakMin = Math.max(0, closeMin - uniform(sessionRng, 15, 120));
    const spreadMin = uniform(sessionRng, 20, 80);
    sessions.push({
      capacity,
      presold,
      closeMin: Math.min(closeMin, minutes),
      expectedDemand: (capacity - presold) * ratio,
      peakMin,
      spreadMin,
    });
  }

  const offline = new Uint8Array(o.desks * minutes);
  const restart = new Uint8Array(o.desks * minutes);
  const ownDown = new Uint8Array(o.desks * minutes);
  const venueDown = new Uint8Array(minutes);
  const lanDown = new Uint8Array(minutes);
  const outages: Outage[] = [];
  const mark = (desk: number, start: number, end: number) => {
    const from = desk < 0 ? 0 : desk;
    const to = desk < 0 ? o.desks - 1 : desk;
    for (let d = from; d <= to; d++) offline.fill(1, d * minutes + start, d * minutes + end);
    if (desk >= 0) ownDown.fill(1, desk * minutes + start, desk * minutes + end);
    else (desk === -1 ? venueDown : lanDown).fill(1, start, end);
  };
  const drawOutages = (rng: Rng, desk: number, ratePerHour: number, meanMin: number) => {
    if (!(ratePerHour > 0) || !(meanMin > 0)) return;
    let t = 0;
    for (;;) {
      // Desks start the day synced: minute 0 is always online.
      const start = Math.max(1, Math.round(t + exponential(rng, 60 / ratePerHour)));
      if (start >= minutes) return;
      const end = Math.min(minutes, start + Math.max(1, Math.round(exponential(rng, meanMin))));
      const restarts = desk >= 0 && rng.next() < o.restartShare;
      outages.push({ desk, start, end, restart: restarts });
      mark(desk, start, end);
      if (restarts) restart[desk * minutes + start] = 1;
      t = end;
    }
  };
  for (let d = 0; d < o.desks; d++) drawOutages(outageRng, d, o.outageRatePerHour, o.outageMeanMin);
  drawOutages(outageRng, -1, o.venueOutageRatePerHour, o.venueOutageMeanMin);
  // From a stream of their own, so that days without LAN failures are the days they always were.
  drawOutages(mulberry32(mixSeed(seed, dayIndex, 4)), -2, o.lanFailureRatePerHour, o.lanFailureMeanMin);

  // Demand: per session a bell curve over [0, close), scaled to the expected number of buyers; per minute a
  // Poisson number of buyers, each at a random desk.
  const weights = sessions.map((s) => {
    const w = new Float64Array(s.closeMin);
    let sum = 0;
    for (let t = 0; t < s.closeMin; t++) {
      const x = (t + 0.5 - s.peakMin) / s.spreadMin;
      w[t] = Math.exp(-0.5 * x * x);
      sum += w[t]!;
    }
    if (sum > 0) for (let t = 0; t < s.closeMin; t++) w[t] = (w[t]! / sum) * s.expectedDemand;
    return w;
  });
  const arrivalStart = new Int32Array(minutes + 1);
  const sessionIdx: number[] = [];
  const deskIdx: number[] = [];
  for (let t = 0; t < minutes; t++) {
    arrivalStart[t] = sessionIdx.length;
    for (let s = 0; s < sessions.length; s++) {
      const lambda = weights[s]![t];
      if (lambda === undefined) continue;
      const n = poisson(arrivalRng, lambda);
      for (let k = 0; k < n; k++) {
        sessionIdx.push(s);
        deskIdx.push(Math.floor(arrivalRng.next() * o.desks));
      }
    }
  }
  arrivalStart[minutes] = sessionIdx.length;
  // Within a minute, serve buyers in a shuffled order so no session is always first in line.
  const arrivalSession = Int32Array.from(sessionIdx);
  const arrivalDesk = Int32Array.from(deskIdx);
  for (let t = 0; t < minutes; t++) {
    const lo = arrivalStart[t]!;
    const hi = arrivalStart[t + 1]!;
    for (let i = hi - 1; i > lo; i--) {
      const j = lo + Math.floor(arrivalRng.next() * (i - lo + 1));
      const s = arrivalSession[i]!;
      arrivalSession[i] = arrivalSession[j]!;
      arrivalSession[j] = s;
      const d = arrivalDesk[i]!;
      arrivalDesk[i] = arrivalDesk[j]!;
      arrivalDesk[j] = d;
    }
  }
  return {
    seed,
    dayIndex,
    minutes,
    desks: o.desks,
    sessions,
    arrivalStart,
    arrivalSession,
    arrivalDesk,
    offline,
    restart,
    ownDown,
    venueDown,
    lanDown,
    outages,
    demand: weights,
  };
}
