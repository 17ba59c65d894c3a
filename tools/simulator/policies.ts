/**
 * The policies the simulator compares. Every station policy is `decideSale` from core/policy.ts with some
 * parameters — the very function a desk runs — plus how the desk keeps seats in hand (none, the fixed blocks of
 * issue 7, or core/allotment-sizing.ts as the station's keeper does), HQ's grant rule, and whether the desk passes
 * HQ's sales rate μ. Only "always sell offline" is not a station policy: it is a baseline written here, because no
 * parameter setting of decideSale sells without any check.
 */
import { defaultGrant, type GrantParams } from '../../core/allotment-sizing';
import { defaultPolicy, type SalePolicyParams } from '../../core/conference';

/**
 * Seats in hand: 'none'; 'fixed', a block of the model's `allotmentAsk` seats asked for when the last one is used
 * (Lanyard before issue 17); 'adaptive', the station's keeper: a target per session from core's allotmentTarget,
 * topped up and given back as it moves, granted by core's grantSeats.
 */
export type AllotmentMode = 'none' | 'fixed' | 'adaptive';

/**
 * The venue LAN, simulated only (no station has it): 'none'; 'scope', a desk that still sees its peers on the LAN
 * while HQ is unreachable knows the outage is venue-wide, and overdraws at most its share of the seats left
 * (U / desks on the LAN, μ taken as 0: nobody is selling online); 'share', the desks on the LAN also see each other's
 * sales and seats in hand, and decide as one desk would (the group's undecided sales against U, a peer's seat in hand
 * sold for it).
 */
export type LanMode = 'none' | 'scope' | 'share';

export interface PolicySpec {
  id: string;
  label: string;
  /** 'station': decideSale decides. 'baseline': the simulator's own trivial rule (always sell offline). */
  kind: 'station' | 'baseline';
  /** Parameters handed to decideSale (unused by the baseline); the allotment sizing reads its own from here too. */
  params: SalePolicyParams;
  allotments: AllotmentMode;
  /** HQ's grant rule for adaptive allotments (fixed blocks use the model's share, as HQ did before issue 17). */
  grant: GrantParams;
  /** Pass HQ's sales rate μ to decideSale; false means μ = 0, as in the seed's rule. */
  useSalesRate: boolean;
  /** 'others': μ minus this desk's own rate (the sales elsewhere), instead of the session's total (the default). */
  overdraftRate?: 'session' | 'others';
  lan: LanMode;
  /**
   * A bound, not a policy (sweep.ts only): where decideSale refuses an overdraft, an oracle desk sells anyway if
   * the seats HQ has free now, minus what the other desks will sell before this desk's link comes back (both from
   * the simulation's truth), leave room for it. No station can know either.
   */
  oracle?: boolean;
  /** The station's default policy (results.json and the chart mark it). */
  default?: boolean;
}

/** A cap so large that k_max is bounded by U alone. */
const noCap = 1000;

const station = (
  p: Omit<PolicySpec, 'kind' | 'grant' | 'lan'> & Partial<Pick<PolicySpec, 'grant' | 'lan'>>,
): PolicySpec => ({
  kind: 'station',
  grant: defaultGrant,
  lan: 'none',
  ...p,
});

export const neverOffline = station({
  id: 'never',
  label: 'never sell offline',
  params: { ...defaultPolicy, overdraftCap: 0 },
  allotments: 'none',
  useSalesRate: true,
});

export const alwaysOffline: PolicySpec = {
  id: 'always',
  label: 'always sell offline (baseline)',
  kind: 'baseline',
  params: defaultPolicy,
  allotments: 'none',
  grant: defaultGrant,
  useSalesRate: false,
  lan: 'none',
};

/** The seed's rule: synced within the hour and at least 10% of the seats left, nothing else. */
export const seedRule = station({
  id: 'seed',
  label: 'seed rule (synced <= 60 min, >= 10% left)',
  params: { ...defaultPolicy, maxStalenessMin: 60, minRemainingRatio: 0.1, overdraftCap: noCap },
  allotments: 'none',
  useSalesRate: false,
});

export const allotmentOnly = station({
  id: 'allotment-only',
  label: 'adaptive allotments only (no overdraft)',
  params: { ...defaultPolicy, overdraftCap: 0 },
  allotments: 'adaptive',
  useSalesRate: true,
});

export const riskOnly = (alpha: number): PolicySpec =>
  station({
    id: `risk-a${alpha}`,
    label: `risk model only, α=${alpha} (no allotments)`,
    params: { ...defaultPolicy, alpha },
    allotments: 'none',
    useSalesRate: true,
  });

/** Lanyard's tiers as they were before issue 17: blocks of 2 seats, 60 min, 10%, α = 0.05, cap 2. */
export const lanyardFixed = station({
  id: 'lanyard-fixed',
  label: 'Lanyard before issue 17 (fixed blocks of 2)',
  params: { ...defaultPolicy, maxStalenessMin: 60, minRemainingRatio: 0.1, alpha: 0.05, overdraftCap: 2 },
  allotments: 'fixed',
  useSalesRate: true,
});

/** The station's default: core's defaultPolicy, adaptive allotments, HQ's default grant rule. */
export const lanyardDefault = station({
  id: 'lanyard',
  label: 'Lanyard default (adaptive allotments)',
  params: defaultPolicy,
  allotments: 'adaptive',
  useSalesRate: true,
  default: true,
});

/** The default with different decideSale parameters (sweeps). */
export const lanyard = (over: Partial<SalePolicyParams>, id: string, label = id): PolicySpec =>
  station({ ...lanyardDefault, id, label, params: { ...defaultPolicy, ...over }, default: false });

/** The default plus the venue LAN (simulated only). */
export const lanyardLan = (lan: Exclude<LanMode, 'none'>): PolicySpec =>
  station({
    ...lanyardDefault,
    id: `lanyard-lan-${lan}`,
    label:
      lan === 'scope'
        ? 'default + LAN: knows the outage is venue-wide (simulated)'
        : 'default + LAN: desks share their sales (simulated)',
    lan,
    default: false,
  });

/** The comparison `npm run simulate` shows, in the order of the table. */
export const standardPolicies: PolicySpec[] = [
  neverOffline,
  alwaysOffline,
  seedRule,
  allotmentOnly,
  riskOnly(defaultPolicy.alpha),
  lanyardFixed,
  lanyardDefault,
  lanyardLan('scope'),
  lanyardLan('share'),
];
