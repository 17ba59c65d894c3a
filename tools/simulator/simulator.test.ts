import { describe, expect, it } from 'vitest';
import {
  allotmentOnly,
  alwaysOffline,
  lanyardDefault,
  lanyardFixed,
  lanyardLan,
  neverOffline,
  seedRule,
  standardPolicies,
  type PolicySpec,
} from './policies';
import { defaultDayOptions, generateDay, type DayOptions } from './scenario';
import { defaultModelOptions, simulateDay, type DayMetrics } from './simulate-day';
import { defaultSimulationConfig, estimate, runSimulation, type SimulationConfig } from './simulation';

const config = (days: number, day: Partial<DayOptions> = {}, seed = 7): SimulationConfig => ({
  ...defaultSimulationConfig,
  days,
  seed,
  day: { ...defaultDayOptions, ...day },
});

/** A station policy that is online-only by construction: never offline, so HQ decides every sale. */
const online: PolicySpec = { ...neverOffline, id: 'online', label: 'online (HQ decides)' };

describe('reproducibility', () => {
  it('the same seed gives the same numbers, to the last digit', () => {
    const a = runSimulation(config(6));
    const b = runSimulation(config(6));
    expect(b.perDay).toEqual(a.perDay);
    expect(b.policies).toEqual(a.policies);
  });
  it('another seed gives another day', () => {
    const a = runSimulation(config(4, {}, 1), [lanyardDefault]);
    const b = runSimulation(config(4, {}, 2), [lanyardDefault]);
    expect(b.perDay).not.toEqual(a.perDay);
  });
  it('a day does not depend on how many days are run, nor on the policies run beside it', () => {
    const long = runSimulation(config(5), standardPolicies);
    const short = runSimulation(config(3), [seedRule]);
    expect(short.perDay.seed).toEqual(long.perDay.seed!.slice(0, 3));
  });
  it('generated days are identical for the same seed and day index', () => {
    expect(generateDay(42, 3, defaultDayOptions)).toEqual(generateDay(42, 3, defaultDayOptions));
  });
});

describe('sanity cases', () => {
  it('no outages: both extremes and every station policy agree with the online policy', () => {
    // An HQ that knows who is online takes every unused seat back before refusing: seats in hand cost nothing.
    const noOutages = config(8, { outageRatePerHour: 0, venueOutageRatePerHour: 0 });
    const r = runSimulation({ ...noOutages, model: { ...defaultModelOptions, reclaim: 'online' } }, [
      online,
      ...standardPolicies,
    ]);
    const reference = r.perDay.online!;
    const sales = (days: DayMetrics[]) => days.map(({ allotmentMessages: _, ...rest }) => rest);
    for (const p of standardPolicies) expect(sales(r.perDay[p.id]!), p.id).toEqual(sales(reference));
    // The real HQ only from desks it heard from within a minute: now and then a seat held by a quiet desk turns a
    // buyer away, never more.
    const real = runSimulation(noOutages, standardPolicies);
    for (const [id, days] of Object.entries(real.perDay)) {
      for (const [i, d] of days.entries()) {
        const refusalsAndMessages = {
          refused: 0,
          refusedWhileFree: 0,
          refusedOnlineWhileFree: 0,
          refusedFreeLast30Min: 0,
          refusedFree30To90Min: 0,
          refusedFreeEarlier: 0,
          allotmentMessages: 0,
          sales: 0,
        };
        expect({ ...d, ...refusalsAndMessages }, id).toEqual({ ...reference[i]!, ...refusalsAndMessages });
        expect(d.refusedWhileFree, id).toBeLessThanOrEqual(0.005 * d.arrivals);
      }
    }
    for (const day of reference) {
      expect(day.oversoldSeats).toBe(0);
      expect(day.cases).toBe(0);
      expect(day.offlineSales).toBe(0);
      expect(day.refusedWhileFree).toBe(0);
      expect(day.sales).toBeGreaterThan(0);
      expect(day.refused).toBeGreaterThan(0); // hot sessions sell out
    }
  });
  it('allotments only: never an oversold seat or a case when HQ takes seats back only from online desks', () => {
    const day = { outageRatePerHour: 2, outageMeanMin: 60, venueOutageRatePerHour: 0.5 };
    const r = runSimulation({ ...config(15, day), model: { ...defaultModelOptions, reclaim: 'online' } }, [
      allotmentOnly,
    ]);
    const days = r.perDay[allotmentOnly.id]!;
    expect(days.reduce((n, d) => n + d.offlineSales, 0)).toBeGreaterThan(0);
    for (const d of days) {
      expect(d.oversoldSeats).toBe(0);
      expect(d.cases).toBe(0);
    }
  });
  it('allotments only, the real HQ (seats asked back, never taken): never an oversold seat or a case either', () => {
    const r = runSimulation(config(15, { outageRatePerHour: 2, outageMeanMin: 60, venueOutageRatePerHour: 0.5 }), [
      allotmentOnly,
    ]);
    const days = r.perDay[allotmentOnly.id]!;
    expect(days.reduce((n, d) => n + d.offlineSales, 0)).toBeGreaterThan(0);
    for (const d of days) expect([d.oversoldSeats, d.cases]).toEqual([0, 0]);
  });
  it('an HQ that took seats back at once from desks it just heard from would oversell some of them', () => {
    const day = { outageRatePerHour: 2, outageMeanMin: 60, venueOutageRatePerHour: 0.5 };
    const r = runSimulation({ ...config(15, day), model: { ...defaultModelOptions, reclaim: 'heard' } }, [
      allotmentOnly,
    ]);
    const days = r.perDay[allotmentOnly.id]!;
    expect(days.reduce((n, d) => n + d.casesFromSeatsTakenBack, 0)).toBeGreaterThan(0); // the risk exists...
    for (const d of days) expect(d.cases).toBe(d.casesFromSeatsTakenBack); // ...and it is the only one
  });
  it('never sell offline sells nothing offline and oversells nothing', () => {
    const r = runSimulation(config(10, { outageRatePerHour: 1 }), [neverOffline]);
    for (const d of r.perDay.never!) {
      expect(d.offlineSales).toBe(0);
      expect(d.oversoldSeats).toBe(0);
      expect(d.cases).toBe(0);
    }
  });
  it('always sell offline never refuses while seats are free, and oversells the most', () => {
    const r = runSimulation(config(10, { outageRatePerHour: 1 }), standardPolicies);
    for (const d of r.perDay.always!) expect(d.refusedWhileFree).toBe(0);
    const oversold = (id: string) => r.policies.find((p) => p.id === id)!.metrics.oversoldSeats.mean;
    for (const p of standardPolicies) expect(oversold('always')).toBeGreaterThanOrEqual(oversold(p.id));
  });
  it('bookkeeping holds on every day and policy', () => {
    const r = runSimulation(config(8, { outageRatePerHour: 1.5, outageMeanMin: 30 }));
    for (const [id, days] of Object.entries(r.perDay)) {
      for (const d of days) {
        expect(d.sales + d.refused, id).toBe(d.arrivals);
        expect(d.offlineSales, id).toBeLessThanOrEqual(d.sales);
        expect(d.refusedWhileFree, id).toBeLessThanOrEqual(d.refused);
        expect(d.refusedWhileUnallocated, id).toBeLessThanOrEqual(d.refusedWhileFree);
        // A case is an oversold verdict; a seat stays oversold only if no held seat came back later.
        expect(d.oversoldSeats, id).toBeLessThanOrEqual(d.cases);
        expect(d.emptySeatsAfterRefusal, id).toBeLessThanOrEqual(d.refusedWhileFree);
        // The breakdowns of the refusals while free: by the tier that refused, and by the time before the start.
        const byTier =
          d.refusedOnlineWhileFree +
          d.refusedFreeStalenessUnknown +
          d.refusedFreeTooStale +
          d.refusedFreeFewLeft +
          d.refusedFreeMargin +
          d.refusedFreeCap;
        expect(byTier, id).toBe(d.refusedWhileFree);
        expect(d.refusedFreeLast30Min + d.refusedFree30To90Min + d.refusedFreeEarlier, id).toBe(d.refusedWhileFree);
      }
    }
  });
  it('without allotments, every oversold verdict is an oversold seat', () => {
    const r = runSimulation(config(8, { outageRatePerHour: 1 }), [seedRule, alwaysOffline]);
    for (const days of Object.values(r.perDay)) for (const d of days) expect(d.cases).toBe(d.oversoldSeats);
  });
  it('the seed rule with a 0-minute staleness limit sells nothing on overdraft', () => {
    const strict: PolicySpec = { ...seedRule, id: 'seed-0', params: { ...seedRule.params, maxStalenessMin: 0 } };
    const day = generateDay(3, 0, { ...defaultDayOptions, outageRatePerHour: 1 });
    // The desk's last contact is the minute before the outage, so Δ >= 1 min > 0 for every offline sale.
    const m = simulateDay(day, strict, defaultModelOptions);
    expect(m.offlineSales).toBe(0);
    // ...and its offline refusals while seats were free are all for staleness: too stale, or unknown after a restart.
    expect(m.refusedFreeTooStale).toBeGreaterThan(0);
    expect(m.refusedFreeTooStale + m.refusedFreeStalenessUnknown).toBe(m.refusedWhileFree - m.refusedOnlineWhileFree);
  });
  it('refusals while free are put down to the condition that failed', () => {
    const day = generateDay(3, 0, { ...defaultDayOptions, outageRatePerHour: 1 });
    // No overdraft at all (cap 0): every offline refusal is the cap's; a 100% floor: the floor's (checked first).
    const capOnly: PolicySpec = {
      ...seedRule,
      id: 'cap-0',
      params: { ...seedRule.params, overdraftCap: 0, minRemainingRatio: 0 },
    };
    const floor: PolicySpec = { ...seedRule, id: 'floor', params: { ...seedRule.params, minRemainingRatio: 1 } };
    const noRestarts = generateDay(3, 0, { ...defaultDayOptions, outageRatePerHour: 1, restartShare: 0 });
    for (const [p, key] of [
      [capOnly, 'refusedFreeCap'],
      [floor, 'refusedFreeFewLeft'],
    ] as const) {
      const m = simulateDay(
        noRestarts,
        { ...p, params: { ...p.params, maxStalenessMin: 24 * 60 } },
        defaultModelOptions,
      );
      expect(m[key], p.id).toBeGreaterThan(0);
      expect(m[key], p.id).toBe(m.refusedWhileFree - m.refusedOnlineWhileFree);
    }
    // The default refuses on k_max's margin (U − μΔ − z√μΔ) more than on anything else offline.
    const d = simulateDay(day, lanyardDefault, defaultModelOptions);
    expect(d.refusedFreeMargin).toBeGreaterThan(d.refusedFreeCap + d.refusedFreeTooStale + d.refusedFreeFewLeft);
  });
  it('if HQ does not ask desks it just heard from for their seats, online sales are refused while seats sit in allotments', () => {
    const day = generateDay(5, 0, defaultDayOptions);
    for (const p of [lanyardDefault, lanyardFixed]) {
      const withReclaim = simulateDay(day, p, defaultModelOptions);
      const without = simulateDay(day, p, { ...defaultModelOptions, reclaim: 'none' });
      expect(without.refusedOnlineWhileFree, p.id).toBeGreaterThan(2 * withReclaim.refusedOnlineWhileFree);
    }
  });
  it('the venue LAN changes nothing without venue-wide outages, and shares sales when the venue’s internet is down', () => {
    const perDesk = runSimulation(config(4, { outageRatePerHour: 1 }), [
      lanyardDefault,
      lanyardLan('scope'),
      lanyardLan('share'),
    ]);
    expect(perDesk.perDay['lanyard-lan-scope']).toEqual(perDesk.perDay.lanyard);
    expect(perDesk.perDay['lanyard-lan-share']).toEqual(perDesk.perDay.lanyard);
    const venue = runSimulation(
      config(10, { outageRatePerHour: 0.1, venueOutageRatePerHour: 0.5, venueOutageMeanMin: 40 }),
      [lanyardDefault, lanyardLan('share')],
    );
    const total = (id: string, k: 'refusedWhileFree' | 'offlineSales') =>
      venue.perDay[id]!.reduce((n, d) => n + d[k], 0);
    expect(total('lanyard-lan-share', 'offlineSales')).toBeGreaterThan(total('lanyard', 'offlineSales'));
    expect(total('lanyard-lan-share', 'refusedWhileFree')).toBeLessThan(total('lanyard', 'refusedWhileFree') / 2);
  });
  it('a LAN failure ends the sharing: with the LAN always down, sharing desks decide alone', () => {
    const day = {
      outageRatePerHour: 0.1,
      venueOutageRatePerHour: 0,
      lanFailureRatePerHour: 0.5,
      lanFailureMeanMin: 40,
    };
    const r = runSimulation(config(4, day), [lanyardDefault, lanyardLan('share')]);
    expect(r.perDay['lanyard-lan-share']).toEqual(r.perDay.lanyard);
    expect(r.perDay.lanyard!.reduce((n, d) => n + d.offlineSales, 0)).toBeGreaterThan(0);
  });
});

describe('scenario', () => {
  const o: DayOptions = { ...defaultDayOptions, outageRatePerHour: 1, restartShare: 0.5 };
  const day = generateDay(11, 0, o);
  it('buyers arrive only before their session starts, at existing desks', () => {
    for (let t = 0; t < day.minutes; t++) {
      for (let a = day.arrivalStart[t]!; a < day.arrivalStart[t + 1]!; a++) {
        expect(t).toBeLessThan(day.sessions[day.arrivalSession[a]!]!.closeMin);
        expect(day.arrivalDesk[a]).toBeLessThan(o.desks);
      }
    }
  });
  it('every desk starts the day online; outages match the offline map', () => {
    for (let d = 0; d < o.desks; d++) expect(day.offline[d * day.minutes]).toBe(0);
    const offlineMinutes = day.offline.reduce((n, v) => n + v, 0);
    const outageMinutes = day.outages.reduce((n, x) => n + (x.end - x.start), 0);
    expect(offlineMinutes).toBe(outageMinutes);
    expect(day.outages.some((x) => x.restart)).toBe(true);
  });
  it('some sessions are oversubscribed and some are not', () => {
    const hot = day.sessions.filter((s) => s.expectedDemand > s.capacity - s.presold).length;
    expect(hot).toBeGreaterThan(0);
    expect(hot).toBeLessThan(day.sessions.length);
  });
});

describe('estimate', () => {
  it('mean ± 1.96·sd/√n', () => {
    const e = estimate([1, 2, 3, 4]);
    const sd = Math.sqrt(5 / 3);
    expect(e.mean).toBe(2.5);
    expect(e.sd).toBeCloseTo(sd, 12);
    expect(e.ci95[0]).toBeCloseTo(2.5 - (1.96 * sd) / 2, 12);
    expect(e.ci95[1]).toBeCloseTo(2.5 + (1.96 * sd) / 2, 12);
  });
  it('one day: no spread', () => expect(estimate([3])).toEqual({ mean: 3, sd: 0, ci95: [3, 3] }));
});

describe('paired differences', () => {
  it('are taken day by day against the station default, which differs from itself by exactly 0', () => {
    const r = runSimulation(config(5, { outageRatePerHour: 1 }));
    const ref = r.policies.find((p) => p.default)!;
    expect(ref.id).toBe('lanyard');
    expect(r.policies.filter((p) => p.default)).toHaveLength(1);
    expect(ref.vsReference!.metrics.oversoldSeats).toEqual({ mean: 0, sd: 0, ci95: [0, 0] });
    const never = r.policies.find((p) => p.id === 'never')!;
    const expected =
      r.perDay.never!.reduce((n, d, i) => n + d.refusedWhileFree - r.perDay.lanyard![i]!.refusedWhileFree, 0) / 5;
    expect(never.vsReference!.metrics.refusedWhileFree.mean).toBeCloseTo(expected, 12);
  });
  it('are absent when the default policy is not run; so is the goal', () => {
    const r = runSimulation(config(2), [seedRule]);
    expect(r.policies[0]!.vsReference).toBeNull();
    expect(r.goal).toBeNull();
  });
  it('the goal: the default against a fifth of the seed rule’s oversold seats and all of its refusals, day by day', () => {
    const r = runSimulation(config(6, { outageRatePerHour: 1 }), [seedRule, lanyardDefault]);
    const seed = r.perDay.seed!;
    const ours = r.perDay.lanyard!;
    const g = r.goal!;
    expect(g.oversoldVsFifthOfSeed.mean).toBeCloseTo(
      ours.reduce((n, d, i) => n + d.oversoldSeats - seed[i]!.oversoldSeats / 5, 0) / 6,
      12,
    );
    expect(g.refusedWhileFreeVsSeed.mean).toBeCloseTo(
      ours.reduce((n, d, i) => n + d.refusedWhileFree - seed[i]!.refusedWhileFree, 0) / 6,
      12,
    );
    expect(g.met).toBe(g.oversoldVsFifthOfSeed.ci95[1] < 0 && g.refusedWhileFreeVsSeed.ci95[1] < 0);
  });
});
