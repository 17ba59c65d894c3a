/**
 * The policies the simulator compares. Every station policy is `decideSale` from core/policy.ts with some
 * parameters — the very function a desk runs — plus whether the desk asks HQ for allotments and whether it
 * passes HQ's sales rate μ. Only "always sell offline" is not a station policy: it is a baseline written here,
 * because no parameter setting of decideSale sells without any check.
 */
import { defaultPolicy, type SalePolicyParams } from '../../core/conference';

export interface PolicySpec {
  id: string;
  label: string;
  /** 'station': decideSale decides. 'baseline': the simulator's own trivial rule (always sell offline). */
  kind: 'station' | 'baseline';
  /** Parameters handed to decideSale (unused by the baseline). */
  params: SalePolicyParams;
  /** Desks ask HQ for allotments (DESIGN §5 tier 2). */
  allotments: boolean;
  /** Pass HQ's sales rate μ to decideSale; false means μ = 0, as in the seed's rule. */
  useSalesRate: boolean;
}

/** A cap so large that k_max is bounded by U alone. */
const noCap = 1000;

export const neverOffline: PolicySpec = {
  id: 'never',
  label: 'never sell offline',
  kind: 'station',
  params: { ...defaultPolicy, overdraftCap: 0 },
  allotments: false,
  useSalesRate: true,
};

export const alwaysOffline: PolicySpec = {
  id: 'always',
  label: 'always sell offline (baseline)',
  kind: 'baseline',
  params: defaultPolicy,
  allotments: false,
  useSalesRate: false,
};

export const seedRule: PolicySpec = {
  id: 'seed',
  label: 'seed rule (synced <= 60 min, >= 10% left)',
  kind: 'station',
  params: { ...defaultPolicy, maxStalenessMin: 60, minRemainingRatio: 0.1, overdraftCap: noCap },
  allotments: false,
  useSalesRate: false,
};

export const allotmentOnly: PolicySpec = {
  id: 'allotment-only',
  label: 'allotments only (no overdraft)',
  kind: 'station',
  params: { ...defaultPolicy, overdraftCap: 0 },
  allotments: true,
  useSalesRate: true,
};

export const riskOnly = (alpha: number): PolicySpec => ({
  id: `risk-a${alpha}`,
  label: `risk model only, α=${alpha} (no allotments)`,
  kind: 'station',
  params: { ...defaultPolicy, alpha },
  allotments: false,
  useSalesRate: true,
});

export const lanyard = (alpha: number, overdraftCap = defaultPolicy.overdraftCap): PolicySpec => ({
  id: overdraftCap === defaultPolicy.overdraftCap ? `lanyard-a${alpha}` : `lanyard-a${alpha}-cap${overdraftCap}`,
  label: `Lanyard tiers, α=${alpha}${overdraftCap === defaultPolicy.overdraftCap ? '' : `, cap ${overdraftCap}`}`,
  kind: 'station',
  params: { ...defaultPolicy, alpha, overdraftCap },
  allotments: true,
  useSalesRate: true,
});

/** The comparison the issue asks for, in the order the table shows it. */
export const standardPolicies: PolicySpec[] = [
  neverOffline,
  alwaysOffline,
  seedRule,
  allotmentOnly,
  riskOnly(0.05),
  lanyard(0.2),
  lanyard(0.05),
  lanyard(0.01),
];
