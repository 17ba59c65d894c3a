import { describe, expect, it } from 'vitest';
import {
  addSale,
  allotmentTarget,
  allotmentsToGiveBack,
  decayRate,
  defaultGrant,
  grantSeats,
  keeperStep,
  noOutages,
  outageLimits,
  planningOutageMin,
  reclaimable,
  recordOutage,
  salesRate,
  type SizingParams,
} from './allotment-sizing';
import { defaultPolicy } from './conference';

const sizing: SizingParams = { allotmentCover: 0.9, allotmentMinSeats: 1, allotmentMaxSeats: 50 };
const z90 = 1.2815515655446004;

describe('a desk’s own sales rate', () => {
  it.each([
    ['no sales', [], 10, 0],
    ['one sale just now', [0], 10, 0.1],
    ['one now, one a time constant ago', [0, 10], 10, (1 + Math.exp(-1)) / 10],
    ['a sale "in the future" (clock skew) counts as now', [-5], 10, 0.1],
    ['NaN and infinite ages are ignored', [Number.NaN, Number.POSITIVE_INFINITY, 0], 10, 0.1],
    ['an absurd time constant: nothing', [0, 1], 0, 0],
    ['a NaN time constant: nothing', [0, 1], Number.NaN, 0],
  ])('%s', (_, ages, tau, rate) => expect(salesRate(ages as number[], tau)).toBeCloseTo(rate, 12));
  it('a steady λ sales per minute reads λ', () => {
    const ages = Array.from({ length: 600 }, (_, k) => k / 2); // 2 a minute for 5 hours
    expect(Math.abs(salesRate(ages, 10) - 2)).toBeLessThan(0.1); // sales on the half minute: within one sale's weight
  });
  it('the incremental form (add, then decay) is the same number', () => {
    let r = 0;
    r = addSale(r, 10);
    r = decayRate(r, 3, 10);
    r = addSale(r, 10);
    r = decayRate(r, 4, 10);
    expect(r).toBeCloseTo(salesRate([7, 4], 10), 12);
  });
  it('absurd rates decay to nothing, never to more', () => {
    expect(decayRate(Number.NaN, 1, 10)).toBe(0);
    expect(decayRate(-3, 1, 10)).toBe(0);
    expect(decayRate(1, -5, 10)).toBe(1); // time does not run backwards
    expect(addSale(Number.POSITIVE_INFINITY, 10)).toBeCloseTo(0.1, 12);
  });
});

describe('outage history', () => {
  it.each([
    ['a normal outage', 20, { count: 1, totalMin: 20 }],
    ['the shortest that counts', outageLimits.minMin, { count: 1, totalMin: outageLimits.minMin }],
    ['a heartbeat gap is not an outage', 1.5, noOutages],
    ['a night with the station closed is not an outage', 600, noOutages],
    ['NaN', Number.NaN, noOutages],
    ['negative (a clock that went back)', -30, noOutages],
    ['infinite', Number.POSITIVE_INFINITY, noOutages],
  ])('%s', (_, minutes, h) => expect(recordOutage(noOutages, minutes)).toEqual(h));
  it('adds up; a corrupted history starts again from nothing', () => {
    expect(recordOutage(recordOutage(noOutages, 10), 30)).toEqual({ count: 2, totalMin: 40 });
    expect(recordOutage({ count: Number.NaN, totalMin: -4 }, 10)).toEqual({ count: 1, totalMin: 10 });
  });
  it.each([
    ['no history: the typical outage, at the cover quantile', noOutages, 0.9, -Math.log(0.1) * 20],
    ['three 40-minute outages weigh as much as the prior', { count: 3, totalMin: 120 }, 0.9, -Math.log(0.1) * 30],
    ['many short outages pull it down', { count: 97, totalMin: 485 }, 0.9, -Math.log(0.1) * ((60 + 485) / 100)],
    ['a median plan', noOutages, 0.5, Math.log(2) * 20],
    ['a NaN cover plans for no outage (hold the minimum)', noOutages, Number.NaN, 0],
  ])('plans for: %s', (_, h, cover, minutes) =>
    expect(planningOutageMin(h, { ...defaultPolicy, allotmentCover: cover })).toBeCloseTo(minutes, 9),
  );
});

describe('allotmentTarget: seats a desk holds for one session', () => {
  const plan = -Math.log(0.1) * 20; // ≈ 46 minutes
  const quantile = (lambda: number) => Math.ceil(lambda + z90 * Math.sqrt(lambda));
  it.each([
    ['a desk that never sells: the minimum', { ownRatePerMin: 0, outageMin: plan, minutesToReturn: 120 }, sizing, 1],
    [
      '… or none when the minimum is 0',
      { ownRatePerMin: 0, outageMin: plan, minutesToReturn: 120 },
      { ...sizing, allotmentMinSeats: 0 },
      0,
    ],
    [
      'a steady desk: the 90% quantile of its sales in a planned outage',
      { ownRatePerMin: 0.2, outageMin: plan, minutesToReturn: 120 },
      sizing,
      quantile(0.2 * plan),
    ],
    [
      'the seats go back in 10 min: only what it sells until then',
      { ownRatePerMin: 0.2, outageMin: plan, minutesToReturn: 10 },
      sizing,
      quantile(2),
    ],
    ['a burst: capped by the maximum', { ownRatePerMin: 5, outageMin: plan, minutesToReturn: 120 }, sizing, 50],
    ['no seats left to sell (due back now)', { ownRatePerMin: 0.5, outageMin: plan, minutesToReturn: 0 }, sizing, 0],
    ['due back in the past', { ownRatePerMin: 0.5, outageMin: plan, minutesToReturn: -30 }, sizing, 0],
    ['NaN rate: the minimum', { ownRatePerMin: Number.NaN, outageMin: plan, minutesToReturn: 120 }, sizing, 1],
    ['negative rate: the minimum', { ownRatePerMin: -2, outageMin: plan, minutesToReturn: 120 }, sizing, 1],
    [
      'infinite rate: the minimum, never the maximum',
      { ownRatePerMin: Number.POSITIVE_INFINITY, outageMin: plan, minutesToReturn: 120 },
      sizing,
      1,
    ],
    ['a huge outage: capped by the maximum', { ownRatePerMin: 0.1, outageMin: 1e9, minutesToReturn: 1e9 }, sizing, 50],
    ['a NaN outage: the minimum', { ownRatePerMin: 0.3, outageMin: Number.NaN, minutesToReturn: 120 }, sizing, 1],
    [
      'minimum above maximum: the maximum wins',
      { ownRatePerMin: 0, outageMin: plan, minutesToReturn: 120 },
      { ...sizing, allotmentMinSeats: 5, allotmentMaxSeats: 2 },
      2,
    ],
    [
      'maximum 0: no allotments for the session',
      { ownRatePerMin: 1, outageMin: plan, minutesToReturn: 120 },
      { ...sizing, allotmentMaxSeats: 0 },
      0,
    ],
  ])('%s', (_, input, params, seats) => expect(allotmentTarget(input, params)).toBe(seats));
  it('grows with the desk’s rate and with the outages it has seen, never shrinks', () => {
    let last = 0;
    for (const rate of [0, 0.05, 0.1, 0.3, 1, 3]) {
      const t = allotmentTarget({ ownRatePerMin: rate, outageMin: plan, minutesToReturn: 120 }, sizing);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    const short = allotmentTarget(
      {
        ownRatePerMin: 0.2,
        outageMin: planningOutageMin({ count: 20, totalMin: 100 }, defaultPolicy),
        minutesToReturn: 300,
      },
      sizing,
    );
    const long = allotmentTarget(
      {
        ownRatePerMin: 0.2,
        outageMin: planningOutageMin({ count: 20, totalMin: 1200 }, defaultPolicy),
        minutesToReturn: 300,
      },
      sizing,
    );
    expect(long).toBeGreaterThan(short);
  });
});

describe('keeperStep: ask, give back or nothing', () => {
  it.each([
    ['nothing in hand', 0, 4, { ask: 4 }],
    ['short by one', 3, 4, { ask: 1 }],
    ['on target', 4, 4, null],
    ['one over: kept (no back-and-forth)', 5, 4, null],
    ['two over: both go back', 6, 4, { giveBack: 2 }],
    ['target 0, seats in hand', 3, 0, { giveBack: 3 }],
    ['NaN held counts as none', Number.NaN, 2, { ask: 2 }],
    ['NaN target counts as none', 1, Number.NaN, null],
    ['fractions are whole seats', 2.7, 3.9, { ask: 1 }],
  ])('%s', (_, held, target, step) => expect(keeperStep(held, target)).toEqual(step));
});

describe('allotmentsToGiveBack: whole allotments, the smallest first, not below the target if it can be helped', () => {
  const a = [
    { id: 'x', unused: 3 },
    { id: 'y', unused: 1 },
    { id: 'z', unused: 2 },
    { id: 'used', unused: 0 },
  ];
  it.each([
    ['a surplus of 3: the 1 and the 2', a, 3, ['y', 'z']],
    ['a surplus of 2: the 1 only (the 2 would go below)', a, 2, ['y']],
    ['a surplus of 6: all of them', a, 6, ['y', 'z', 'x']],
    ['no surplus', a, 0, []],
    ['NaN surplus', a, Number.NaN, []],
    ['negative surplus', a, -4, []],
    [
      'one big allotment: it goes back whole (the keeper then asks for its target)',
      [{ id: 'big', unused: 10 }],
      8,
      ['big'],
    ],
    ['only used-up allotments: nothing', [{ id: 'used', unused: 0 }], 3, []],
    ['nothing held', [], 3, []],
  ])('%s', (_, held, surplus, ids) => expect(allotmentsToGiveBack(held, surplus).map((x) => x.id)).toEqual(ids));
});

describe('grantSeats (HQ)', () => {
  const g = defaultGrant; // share 0.08, keep back 2 × forecast
  const quiet = { salesRatePerMin: 0, minutesToStart: 120 };
  const busy = { salesRatePerMin: 1, minutesToStart: 60 }; // forecast 60 seats
  it.each([
    [
      'a quiet session: what is asked, up to the seats nobody needs',
      { asked: 20, capacity: 200, sold: 80, allotted: 20, ...quiet },
      20,
    ],
    [
      'a quiet session: never more than the unallocated seats',
      { asked: 500, capacity: 200, sold: 80, allotted: 20, ...quiet },
      100,
    ],
    [
      'a busy session: the spare seats beyond twice the forecast',
      { asked: 100, capacity: 200, sold: 0, allotted: 0, ...busy },
      80,
    ],
    ['a session that will sell out: the share', { asked: 20, capacity: 200, sold: 80, allotted: 20, ...busy }, 8],
    ['what was asked, when less', { asked: 3, capacity: 200, sold: 80, allotted: 20, ...busy }, 3],
    ['no seats left', { asked: 5, capacity: 40, sold: 38, allotted: 2, ...quiet }, 0],
    ['oversold already', { asked: 5, capacity: 40, sold: 45, allotted: 0, ...quiet }, 0],
    ['selling out, too few for a share', { asked: 5, capacity: 40, sold: 30, allotted: 0, ...busy }, 0],
    ['NaN asked', { asked: Number.NaN, capacity: 200, sold: 0, allotted: 0, ...quiet }, 0],
    ['negative asked', { asked: -3, capacity: 200, sold: 0, allotted: 0, ...quiet }, 0],
    ['huge asked: the unallocated seats', { asked: 1e12, capacity: 1000, sold: 0, allotted: 0, ...quiet }, 1000],
    [
      'NaN allotted: nothing (not an empty room)',
      { asked: 5, capacity: 200, sold: 0, allotted: Number.NaN, ...quiet },
      0,
    ],
    ['negative sold: nothing', { asked: 5, capacity: 200, sold: -50, allotted: 0, ...quiet }, 0],
    ['infinite capacity: nothing', { asked: 5, capacity: Number.POSITIVE_INFINITY, sold: 0, allotted: 0, ...quiet }, 0],
    [
      'NaN rate: as if selling out (the share)',
      { asked: 50, capacity: 200, sold: 0, allotted: 0, salesRatePerMin: Number.NaN, minutesToStart: 60 },
      16,
    ],
    [
      'negative minutes to start: the share',
      { asked: 50, capacity: 200, sold: 0, allotted: 0, salesRatePerMin: 0, minutesToStart: -10 },
      16,
    ],
    [
      'an infinite rate: the share',
      { asked: 50, capacity: 200, sold: 0, allotted: 0, salesRatePerMin: Number.POSITIVE_INFINITY, minutesToStart: 60 },
      16,
    ],
  ])('%s', (_, input, seats) => expect(grantSeats(input, g)).toBe(seats));
  it('the share is clamped to [0, 1]; a NaN share and a NaN keep-back fall back to the other bound', () => {
    const selling = { asked: 50, capacity: 100, sold: 0, allotted: 0, salesRatePerMin: 5, minutesToStart: 60 };
    expect(grantSeats(selling, { allotmentShare: 7, allotmentKeepBack: 2 })).toBe(50);
    expect(grantSeats(selling, { allotmentShare: Number.NaN, allotmentKeepBack: 2 })).toBe(0);
    expect(grantSeats(selling, { allotmentShare: -1, allotmentKeepBack: 2 })).toBe(0);
    expect(grantSeats({ ...selling, salesRatePerMin: 0 }, { allotmentShare: 0, allotmentKeepBack: Number.NaN })).toBe(
      50,
    ); // nothing forecast
  });
  it('keep-back null: the share only, even for a session nobody buys (HQ before issue 17)', () => {
    expect(
      grantSeats(
        { asked: 50, capacity: 100, sold: 0, allotted: 0, salesRatePerMin: 0, minutesToStart: 600 },
        { allotmentShare: 0.08, allotmentKeepBack: null },
      ),
    ).toBe(8);
  });
});

describe('reclaimable (HQ): allotments of stations heard from within the window', () => {
  const now = 1_000_000;
  const held = [
    { id: 'heard', lastHeardMs: now - 30_000, unused: 2 },
    { id: 'edge', lastHeardMs: now - 60_000, unused: 1 },
    { id: 'quiet', lastHeardMs: now - 61_000, unused: 5 },
    { id: 'empty', lastHeardMs: now, unused: 0 },
    { id: 'skewed', lastHeardMs: now + 5_000, unused: 1 },
    { id: 'nan', lastHeardMs: Number.NaN, unused: 3 },
  ];
  it('heard within a minute, with a seat: taken back; quiet, empty or unreadable: left alone', () => {
    expect(reclaimable(held, now, 60_000).map((a) => a.id)).toEqual(['heard', 'edge', 'skewed']);
  });
  it('a NaN or negative window: only what was heard just now', () => {
    expect(reclaimable(held, now, Number.NaN).map((a) => a.id)).toEqual(['skewed']);
    expect(reclaimable(held, now, -1).map((a) => a.id)).toEqual(['skewed']);
  });
});
