import { describe, expect, it } from 'vitest';
import { allotmentOnly, alwaysOffline, lanyard, neverOffline, seedRule, standardPolicies, type PolicySpec } from './policies';
import { defaultDayOptions, generateDay, type DayOptions } from './scenario';
import { defaultModelOptions, simulateDay } from './simulate-day';
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
    const a = runSimulation(config(4, {}, 1), [lanyard(0.05)]);
    const b = runSimulation(config(4, {}, 2), [lanyard(0.05)]);
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
    const r = runSimulation(config(8, { outageRatePerHour: 0, venueOutageRatePerHour: 0 }), [online, ...standardPolicies]);
    const reference = r.perDay.online!;
    for (const p of standardPolicies) expect(r.perDay[p.id], p.id).toEqual(reference);
    for (const day of reference) {
      expect(day.oversoldSeats).toBe(0);
      expect(day.cases).toBe(0);
      expect(day.offlineSales).toBe(0);
      expect(day.refusedWhileFree).toBe(0);
      expect(day.sales).toBeGreaterThan(0);
      expect(day.refused).toBeGreaterThan(0); // hot sessions sell out
    }
  });
  it('allotments only: never an oversold seat or a case, even with long and frequent outages', () => {
    const r = runSimulation(config(15, { outageRatePerHour: 2, outageMeanMin: 60, venueOutageRatePerHour: 0.5 }), [allotmentOnly]);
    const days = r.perDay[allotmentOnly.id]!;
    expect(days.reduce((n, d) => n + d.offlineSales, 0)).toBeGreaterThan(0);
    for (const d of days) {
      expect(d.oversoldSeats).toBe(0);
      expect(d.cases).toBe(0);
    }
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
    expect(simulateDay(day, strict, defaultModelOptions).offlineSales).toBe(0);
  });
  it('if HQ does not reclaim escrow from online desks, online sales are refused while seats sit in allotments', () => {
    const day = generateDay(5, 0, defaultDayOptions);
    const withReclaim = simulateDay(day, lanyard(0.05), defaultModelOptions);
    const without = simulateDay(day, lanyard(0.05), { ...defaultModelOptions, reclaimFromOnlineDesks: false });
    expect(without.refusedWhileFree).toBeGreaterThan(withReclaim.refusedWhileFree);
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
  it('are taken day by day against Lanyard α = 0.05, which differs from itself by exactly 0', () => {
    const r = runSimulation(config(5, { outageRatePerHour: 1 }));
    const ref = r.policies.find((p) => p.id === 'lanyard-a0.05')!;
    expect(ref.vsReference!.metrics.oversoldSeats).toEqual({ mean: 0, sd: 0, ci95: [0, 0] });
    const never = r.policies.find((p) => p.id === 'never')!;
    const expected = r.perDay.never!.reduce((n, d, i) => n + d.refusedWhileFree - r.perDay['lanyard-a0.05']![i]!.refusedWhileFree, 0) / 5;
    expect(never.vsReference!.metrics.refusedWhileFree.mean).toBeCloseTo(expected, 12);
  });
  it('are absent when the reference policy is not run', () => {
    expect(runSimulation(config(2), [seedRule]).policies[0]!.vsReference).toBeNull();
  });
});
