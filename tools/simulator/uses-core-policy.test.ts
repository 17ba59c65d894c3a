/** The simulator must decide with the stations' own code: every station-policy sale goes through core's decideSale. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as policy from '../../core/policy';
import * as staleness from '../../core/staleness';
import { alwaysOffline, lanyard, seedRule } from './policies';
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

const day = generateDay(9, 0, { ...defaultDayOptions, sessions: 10, outageRatePerHour: 1 });

describe('the simulator runs the station policy code', () => {
  beforeEach(() => vi.clearAllMocks());
  it.each([lanyard(0.05), seedRule])('$id: one decideSale call per buyer, with the policy parameters', (p) => {
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
});
