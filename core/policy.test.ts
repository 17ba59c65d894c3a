import { describe, expect, it } from 'vitest';
import { defaultPolicy } from './conference';
import { normalQuantile } from './normal';
import {
  decideSale,
  describeFailedCondition,
  FailedCondition,
  FailedConditionCode,
  overdraftLimit,
  type SaleContext,
} from './policy';

const known = (minutes: number) => ({ known: true as const, ms: minutes * 60_000, minutes, hqNow: 0 });
/** The seed's numbers (the defaults before issue 17), which the cases below are written in. */
const seedNumbers = { ...defaultPolicy, maxStalenessMin: 60, minRemainingRatio: 0.1, overdraftCap: 2 };
const base: SaleContext = {
  online: false,
  capacity: 100,
  sold: 50,
  allotted: 0,
  salesRatePerMin: 0,
  allotmentRemaining: 0,
  staleness: known(10),
  pendingOverdraft: 0,
  override: false,
  params: seedNumbers,
};
const decide = (over: Partial<SaleContext>) => decideSale({ ...base, ...over });
const codes = (over: Partial<SaleContext>) => decide(over).failed.map((f) => f.code);

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.95, 1.6448536],
    [0.975, 1.959964],
    [0.99, 2.3263479],
    [0.01, -2.3263479],
    [0.001, -3.0902323],
  ])('Φ⁻¹(%s) = %s', (p, z) => expect(normalQuantile(p)).toBeCloseTo(z, 5));
  it.each([0, 1, -0.1, 2, Number.NaN])('rejects p = %s', (p) => expect(() => normalQuantile(p)).toThrow(RangeError));
});

describe('failed conditions', () => {
  it('the schema names exactly the policy codes', () => {
    expect(FailedCondition.options.map((o) => o.shape.code.value).sort()).toEqual(
      [...FailedConditionCode.options].sort(),
    );
  });
  it('word the first overdraft sale and an unknown staleness', () => {
    expect(
      describeFailedCondition({ code: 'overdraft_limit_reached', pending: 0, limit: 0, expectedElsewhere: 3.25 }),
    ).toBe('the expected sales elsewhere since the last sync (3.3 seats) leave no safe margin');
    expect(describeFailedCondition({ code: 'staleness_unknown', reason: 'restarted' })).toBe(
      'no offline sale: the station restarted since it last heard from HQ',
    );
  });
});

describe('decideSale tiers', () => {
  it('online: HQ decides, whatever the local numbers', () => {
    const d = decide({ online: true, sold: 100, staleness: { known: false, reason: 'never_synced' } });
    expect(d).toMatchObject({ allowed: true, tier: 'online', failed: [] });
  });
  it('allotment: a seat in hand is used before any risk, even when stale', () => {
    const d = decide({ allotmentRemaining: 1, staleness: known(600), sold: 100 });
    expect(d).toMatchObject({ allowed: true, tier: 'allotment' });
  });
  it('overdraft: the seed rule (synced within the hour, >= 10% left)', () => {
    const d = decide({});
    expect(d).toMatchObject({ allowed: true, tier: 'overdraft', failed: [] });
    expect(d.basis).toMatchObject({
      unallocated: 50,
      remainingRatio: 0.5,
      stalenessMin: 10,
      kMax: 2,
      pendingOverdraft: 0,
    });
  });
  it('refusal lists every failed condition', () => {
    const d = decide({ staleness: known(61), sold: 95, pendingOverdraft: 5 });
    expect(d.allowed).toBe(false);
    expect(d.tier).toBeNull();
    expect(d.failed.map((f) => f.code)).toEqual(['too_stale', 'too_few_seats_left', 'overdraft_limit_reached']);
    expect(d.failed).toEqual([
      { code: 'too_stale', minutes: 61, maxMinutes: 60 },
      { code: 'too_few_seats_left', free: 5, capacity: 100, ratio: 0.05, minRatio: 0.1 },
      { code: 'overdraft_limit_reached', pending: 5, limit: 2, expectedElsewhere: 0 },
    ]);
    // Parameters, not sentences: each reader words them (English here, the renderer's catalogue per language).
    expect(d.failed.map(describeFailedCondition)).toEqual([
      'last contact with HQ was 61 min ago; offline sales need contact within 60 min',
      '5 of 100 seats (5%) were free at the last sync; offline sales need at least 10%',
      'this desk already has 5 unconfirmed offline sale(s) for this session; the limit now is 2',
    ]);
    for (const f of d.failed) expect(FailedCondition.safeParse(f).success).toBe(true);
    expect(d.basis.failed).toEqual(d.failed);
  });
  it('override: a supervisor may sell anyway; the failures stay on record', () => {
    const d = decide({ staleness: known(120), override: true });
    expect(d).toMatchObject({ allowed: true, tier: 'override' });
    expect(d.failed.map((f) => f.code)).toEqual(['too_stale']);
  });
  it('override is not needed (and not used) when the overdraft rule allows the sale', () => {
    expect(decide({ override: true }).tier).toBe('overdraft');
  });
});

describe('decideSale boundaries', () => {
  it.each([
    ['exactly 60 min is allowed', { staleness: known(60) }, []],
    ['60 min + 1 ms is too stale', { staleness: known(60 + 1 / 60_000) }, ['too_stale']],
    ['exactly 10% left is allowed', { capacity: 100, sold: 90 }, []],
    ['exactly 10% of 30 (float edge) is allowed', { capacity: 30, sold: 27 }, []],
    ['one seat under 10% is refused', { capacity: 100, sold: 91 }, ['too_few_seats_left']],
    ['allotted seats count as taken', { capacity: 100, sold: 50, allotted: 41 }, ['too_few_seats_left']],
    ['capacity 0', { capacity: 0, sold: 0 }, ['no_capacity', 'overdraft_limit_reached']],
    [
      'oversold already (sold > capacity)',
      { capacity: 10, sold: 12 },
      ['too_few_seats_left', 'overdraft_limit_reached'],
    ],
    ['staleness unknown', { staleness: { known: false, reason: 'restarted' } }, ['staleness_unknown']],
    ['cap reached (k = cap)', { pendingOverdraft: 2 }, ['overdraft_limit_reached']],
    ['one below cap', { pendingOverdraft: 1 }, []],
    ['cap 0 disables overdraft', { params: { ...defaultPolicy, overdraftCap: 0 } }, ['overdraft_limit_reached']],
    ['negative sold', { sold: -1 }, ['invalid_numbers']],
    ['NaN capacity', { capacity: Number.NaN }, ['invalid_numbers']],
    ['absurd rate (Infinity)', { salesRatePerMin: Infinity }, ['invalid_numbers']],
    ['negative allotment', { allotmentRemaining: -3 }, ['invalid_numbers']],
    ['alpha out of range (0)', { params: { ...defaultPolicy, alpha: 0 } }, ['invalid_numbers']],
    ['alpha above 0.5', { params: { ...defaultPolicy, alpha: 0.7 } }, ['invalid_numbers']],
    ['negative staleness limit', { params: { ...defaultPolicy, maxStalenessMin: -5 } }, ['invalid_numbers']],
  ] as const)('%s', (_n, over, expected) => {
    expect(codes(over as Partial<SaleContext>)).toEqual(expected);
  });

  it('invalid numbers are refused even online', () => {
    expect(decide({ online: true, sold: -1 }).allowed).toBe(false);
  });

  it('shared (frozen) settings are judged like any others, every time they are used', () => {
    const bad = Object.freeze({ ...defaultPolicy, alpha: 0.7 });
    const good = Object.freeze({ ...seedNumbers });
    for (let i = 0; i < 2; i++) {
      expect(codes({ params: bad })).toEqual(['invalid_numbers']);
      expect(codes({ params: good })).toEqual([]);
    }
  });
});

describe('the risk model (k_max)', () => {
  it('with μ = 0 it is min(cap, U): the seed rule', () => {
    expect(overdraftLimit(50, 0, 30, 1.645, 2)).toBe(2);
    expect(overdraftLimit(1, 0, 30, 1.645, 2)).toBe(1);
    expect(overdraftLimit(0, 0, 30, 1.645, 2)).toBe(0);
  });
  it('a fast-selling session leaves no margin', () => {
    // 12 seats free, 0.5 seats/min for 20 min: expect 10 sold elsewhere; 12 − 10 − 1.645·√10 < 0
    expect(overdraftLimit(12, 0.5, 20, 1.645, 2)).toBe(0);
    const d = decide({ capacity: 100, sold: 88, salesRatePerMin: 0.5, staleness: known(20) });
    expect(d.failed.map((f) => f.code)).toEqual(['overdraft_limit_reached']);
    expect(d.basis.expectedSalesSinceSync).toBeCloseTo(10);
  });
  it('smaller α (less risk) never allows more', () => {
    for (const alpha of [0.2, 0.1, 0.05, 0.01, 0.001]) {
      const z = normalQuantile(1 - alpha);
      expect(overdraftLimit(20, 0.3, 30, z, 100)).toBeLessThanOrEqual(
        overdraftLimit(20, 0.3, 30, normalQuantile(1 - alpha * 2), 100),
      );
    }
  });
  it('more staleness never allows more', () => {
    let prev = Infinity;
    for (let m = 0; m <= 60; m += 5) {
      const k = overdraftLimit(30, 0.2, m, 1.645, 100);
      expect(k).toBeLessThanOrEqual(prev);
      prev = k;
    }
  });
});
