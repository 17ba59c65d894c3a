/**
 * Property tests on the policy the stations run (core/policy.ts, core/staleness.ts), over random contexts drawn
 * from the simulator's seeded PRNG: more staleness, less risk budget or fewer seats never allow more risk.
 */
import { describe, expect, it } from 'vitest';
import { SalePolicyParams } from '../../core/conference';
import { normalQuantile } from '../../core/normal';
import { decideSale, overdraftLimit, type SaleContext } from '../../core/policy';
import { estimateStaleness, type Staleness } from '../../core/staleness';
import { intBetween, mulberry32, pick, uniform, type Rng } from './prng';

const CASES = 4000;
const known = (minutes: number): Staleness => ({ known: true, ms: minutes * 60_000, minutes, hqNow: 0 });

function randomContext(rng: Rng): SaleContext {
  const capacity = rng.next() < 0.05 ? 0 : intBetween(rng, 1, 300);
  const allotted = rng.next() < 0.5 ? 0 : intBetween(rng, 0, 20);
  return {
    online: false,
    capacity,
    sold: intBetween(rng, 0, capacity + 3),
    allotted,
    salesRatePerMin: rng.next() < 0.2 ? 0 : uniform(rng, 0, 5),
    allotmentRemaining: rng.next() < 0.8 ? 0 : intBetween(rng, 0, Math.min(allotted, 3)),
    staleness: known(uniform(rng, 0, 120)),
    pendingOverdraft: intBetween(rng, 0, 6),
    override: false,
    params: {
      maxStalenessMin: pick(rng, [15, 30, 60, 120, uniform(rng, 0, 240)]),
      minRemainingRatio: pick(rng, [0, 0.05, 0.1, uniform(rng, 0, 0.5)]),
      alpha: pick(rng, [0.2, 0.05, 0.01, uniform(rng, 0.0001, 0.4999)]),
      overdraftCap: pick(rng, [0, 1, 2, 5, 1000, intBetween(rng, 0, 20)]),
      verdictTimeoutMs: 3000,
      allotmentCover: 0.9,
      typicalOutageMin: 20,
      allotmentMinSeats: 1,
      allotmentMaxSeats: 50,
    },
  };
}

/** Runs `check` on CASES random contexts; reports the first counterexample. */
function forAll(seed: number, check: (ctx: SaleContext, rng: Rng) => void) {
  const rng = mulberry32(seed);
  for (let i = 0; i < CASES; i++) {
    const ctx = randomContext(rng);
    SalePolicyParams.parse(ctx.params); // only contexts a station can have
    check(ctx, rng);
  }
}

const kMax = (ctx: SaleContext) => decideSale(ctx).basis.kMax ?? -1;
const allowed = (ctx: SaleContext) => decideSale(ctx).allowed;

describe('policy monotonicity (property tests)', () => {
  it('more staleness never allows a sale that less staleness refuses, nor a larger k_max', () => {
    forAll(1, (ctx, rng) => {
      const m1 = uniform(rng, 0, 180);
      const m2 = m1 + uniform(rng, 0, 120);
      const fresher = { ...ctx, staleness: known(m1) };
      const staler = { ...ctx, staleness: known(m2) };
      if (allowed(staler)) expect(allowed(fresher), JSON.stringify(staler)).toBe(true);
      expect(kMax(staler)).toBeLessThanOrEqual(kMax(fresher));
    });
  });
  it('unknown staleness is never bolder than any known staleness', () => {
    const reasons = ['never_synced', 'restarted', 'clock_moved_backwards', 'suspended', 'invalid_reading'] as const;
    forAll(2, (ctx, rng) => {
      const unknown = { ...ctx, staleness: { known: false as const, reason: pick(rng, reasons) } };
      const d = decideSale(unknown);
      if (d.allowed) {
        expect(d.tier).toBe('allotment');
        expect(allowed(ctx)).toBe(true);
      }
    });
  });
  it('with staleness measured by estimateStaleness: waiting longer never allows more', () => {
    forAll(3, (ctx, rng) => {
      const contact = { hqTime: 5_000_000, wallTime: 1_000_000, monoTime: 20_000, bootId: 'b' };
      const e1 = uniform(rng, 0, 3 * 3_600_000);
      const e2 = e1 + uniform(rng, 0, 3_600_000);
      // The wall clock may drift a little from the monotonic one (within the suspend tolerance).
      const skew = uniform(rng, -60_000, 60_000);
      const at = (elapsed: number) => ({
        wall: contact.wallTime + elapsed + Math.max(0, skew),
        mono: contact.monoTime + elapsed,
        bootId: 'b',
      });
      const s1 = estimateStaleness(contact, at(e1));
      const s2 = estimateStaleness(contact, at(e2));
      expect(s1.known && s2.known).toBe(true);
      if (s1.known && s2.known) expect(s2.minutes).toBeGreaterThanOrEqual(s1.minutes);
      const earlier = { ...ctx, staleness: s1 };
      const later = { ...ctx, staleness: s2 };
      if (allowed(later)) expect(allowed(earlier)).toBe(true);
      expect(kMax(later)).toBeLessThanOrEqual(kMax(earlier));
    });
  });
  it('a smaller α (less accepted risk) never allows more', () => {
    forAll(4, (ctx, rng) => {
      const a1 = uniform(rng, 0.0001, 0.4999);
      const a2 = uniform(rng, a1, 0.4999);
      const careful = { ...ctx, params: { ...ctx.params, alpha: a1 } };
      const bold = { ...ctx, params: { ...ctx.params, alpha: a2 } };
      if (allowed(careful)) expect(allowed(bold)).toBe(true);
      expect(kMax(careful)).toBeLessThanOrEqual(kMax(bold));
    });
  });
  it('more seats sold, a higher sales rate or more pending overdraft never allow more', () => {
    forAll(5, (ctx, rng) => {
      const worse = {
        ...ctx,
        sold: ctx.sold + intBetween(rng, 0, 5),
        salesRatePerMin: ctx.salesRatePerMin + uniform(rng, 0, 2),
        pendingOverdraft: ctx.pendingOverdraft + intBetween(rng, 0, 2),
      };
      if (allowed(worse)) expect(allowed(ctx)).toBe(true);
      expect(kMax(worse)).toBeLessThanOrEqual(kMax(ctx));
    });
  });
  it('a tighter parameter set (staleness limit, remaining ratio, cap) never allows more', () => {
    forAll(6, (ctx, rng) => {
      const p = ctx.params;
      const tighter = {
        ...ctx,
        params: {
          ...p,
          maxStalenessMin: uniform(rng, 0, p.maxStalenessMin),
          minRemainingRatio: uniform(rng, p.minRemainingRatio, 1),
          overdraftCap: intBetween(rng, 0, p.overdraftCap),
        },
      };
      if (allowed(tighter)) expect(allowed(ctx)).toBe(true);
    });
  });
  it('an overdraft sale is allowed only within k_max (the risk budget is respected)', () => {
    forAll(7, (ctx) => {
      const d = decideSale(ctx);
      if (d.tier === 'overdraft') {
        expect(d.basis.kMax).not.toBeNull();
        expect(ctx.pendingOverdraft + 1).toBeLessThanOrEqual(d.basis.kMax!);
        expect(d.basis.kMax!).toBeLessThanOrEqual(ctx.params.overdraftCap);
        expect(d.basis.kMax!).toBeLessThanOrEqual(Math.max(0, ctx.capacity - ctx.sold - ctx.allotted));
      }
    });
  });
  it('monotonicity needs α < 0.5, which SalePolicyParams enforces: with z < 0, k_max would grow with staleness', () => {
    expect(
      SalePolicyParams.safeParse({
        maxStalenessMin: 60,
        minRemainingRatio: 0.1,
        alpha: 0.5,
        overdraftCap: 2,
        verdictTimeoutMs: 0,
      }).success,
    ).toBe(false);
    const z = normalQuantile(1 - 0.999); // α = 0.999 → z ≈ −3.09
    expect(overdraftLimit(10, 1, 2.4, z, 1000)).toBeGreaterThan(overdraftLimit(10, 1, 0, z, 1000));
  });
});
