/**
 * The simulator must decide with the stations' own code: every station-policy sale goes through core's decideSale,
 * and adaptive allotments through core's sizing, keeper step and HQ's grant and reclaim rules.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as sizing from '../../core/allotment-sizing';
import * as policy from '../../core/policy';
import * as staleness from '../../core/staleness';
import { alwaysOffline, lanyardDefault, lanyardFixed, seedRule } from './policies';
import { defaultDayOptions, generateDay } from './scenario';
import { simulateDay } from './simulate-day';

vi.mock('../../core/policy', async (importOriginal) => {
  const mod = await importOriginal<typeof policy>();
  return { ...mod, decideSale: vi.fn(mod.decideSale) };
});
vi.mock('../../core/staleness', async (importOriginal) => {
  const mod = await importOriginal<typeof staleness>();
  return { ...mod, estimateStaleness: vi.fn(mod.estimateStaleness) };
});
vi.mock('../../core/allotment-sizing', async (importOriginal) => {
  const mod = await importOriginal<typeof sizing>();
  const spy = <K extends 'allotmentTarget' | 'keeperStep' | 'grantSeats' | 'reclaimable' | 'planningOutageMin'>(k: K) =>
    vi.fn(mod[k]) as unknown as (typeof mod)[K];
  return {
    ...mod,
    allotmentTarget: spy('allotmentTarget'),
    keeperStep: spy('keeperStep'),
    grantSeats: spy('grantSeats'),
    reclaimable: spy('reclaimable'),
    planningOutageMin: spy('planningOutageMin'),
  };
});

const day = generateDay(9, 0, { ...defaultDayOptions, sessions: 10, outageRatePerHour: 1 });

describe('the simulator runs the station policy code', () => {
  beforeEach(() => vi.clearAllMocks());
  it.each([lanyardDefault, seedRule])('$id: one decideSale call per buyer, with the policy parameters', (p) => {
    const m = simulateDay(day, p);
    const calls = vi.mocked(policy.decideSale).mock.calls;
    expect(calls.length).toBe(m.arrivals);
    for (const [ctx] of calls) expect(ctx.params).toEqual(p.params);
    // Offline decisions take Δ from core's estimator.
    const offline = calls.filter(([ctx]) => !ctx.online).length;
    expect(offline).toBeGreaterThan(0);
    expect(vi.mocked(staleness.estimateStaleness).mock.calls.length).toBe(offline);
  });
  it('the seed rule hands decideSale μ = 0 and no allotment', () => {
    simulateDay(day, seedRule);
    for (const [ctx] of vi.mocked(policy.decideSale).mock.calls) {
      expect(ctx.salesRatePerMin).toBe(0);
      expect(ctx.allotmentRemaining).toBe(0);
    }
  });
  it('only the always-sell baseline bypasses decideSale', () => {
    simulateDay(day, alwaysOffline);
    expect(vi.mocked(policy.decideSale)).not.toHaveBeenCalled();
  });
  it('adaptive allotments: the keeper’s target and step, HQ’s grant and reclaim all come from core', () => {
    const m = simulateDay(day, lanyardDefault);
    const targets = vi.mocked(sizing.allotmentTarget).mock.calls;
    expect(targets.length).toBeGreaterThan(1000);
    for (const [, params] of targets) expect(params).toBe(lanyardDefault.params);
    expect(vi.mocked(sizing.keeperStep).mock.calls.length).toBe(targets.length - 1); // the first: what an idle desk holds
    expect(vi.mocked(sizing.grantSeats).mock.calls.length).toBeGreaterThan(0);
    for (const [, grant] of vi.mocked(sizing.grantSeats).mock.calls) expect(grant).toBe(lanyardDefault.grant);
    expect(vi.mocked(sizing.reclaimable).mock.calls.length).toBeGreaterThan(0);
    // The outage history: planned once at the start of the day, then again at every reconnection.
    expect(vi.mocked(sizing.planningOutageMin).mock.calls.length).toBeGreaterThan(day.desks);
    expect(m.allotmentMessages).toBeGreaterThan(0);
  });
  it('fixed blocks (before issue 17) do not size anything', () => {
    simulateDay(day, lanyardFixed);
    expect(vi.mocked(sizing.allotmentTarget)).not.toHaveBeenCalled();
    expect(vi.mocked(sizing.grantSeats)).not.toHaveBeenCalled();
  });
});
