/**
 * Many seeded days × several policies, and the summary per policy: mean per day with a 95% confidence interval
 * (mean ± 1.96·sd/√n over days). Days are independent draws, so the interval is the usual normal one. Paired
 * differences (policy minus the station's default, day by day) and the goal of issue 17 (the default against the
 * seed's rule) are estimated the same way on the per-day differences.
 */
import { standardPolicies, type PolicySpec } from './policies';
import { defaultDayOptions, generateDay, type DayOptions } from './scenario';
import {
  defaultModelOptions,
  metricNames,
  simulateDay,
  type DayMetrics,
  type MetricName,
  type ModelOptions,
} from './simulate-day';

export interface SimulationConfig {
  days: number;
  seed: number;
  day: DayOptions;
  model: ModelOptions;
}

export const defaultSimulationConfig: SimulationConfig = {
  days: 200,
  seed: 1,
  day: defaultDayOptions,
  model: defaultModelOptions,
};

export interface Estimate {
  mean: number;
  sd: number;
  ci95: [number, number];
}

export interface PolicySummary {
  id: string;
  label: string;
  kind: PolicySpec['kind'];
  params: PolicySpec['params'];
  allotments: PolicySpec['allotments'];
  grant: PolicySpec['grant'];
  useSalesRate: boolean;
  lan: PolicySpec['lan'];
  /** The station's default policy. */
  default: boolean;
  days: number;
  /** Per-day means with 95% confidence intervals. */
  metrics: Record<MetricName, Estimate>;
  /** Share of sales that became oversell cases, and of refusals made while seats were free. */
  casesPer1000Sales: number;
  refusedWhileFreePer1000Arrivals: number;
  /**
   * This policy minus the reference policy, day by day (the same days), with a 95% CI. Paired differences are
   * much tighter than the per-policy intervals, which mostly measure how much days differ from each other.
   */
  vsReference: { reference: string; metrics: Record<MetricName, Estimate> } | null;
}

/**
 * Issue 17's goal, on the same days: the default oversells at most a fifth of what the seed's rule does and refuses
 * no more sales while seats are free. Met when both 95% intervals lie below 0.
 */
export interface GoalCheck {
  policy: string;
  against: string;
  /** default − seed / 5, oversold seats per day. */
  oversoldVsFifthOfSeed: Estimate;
  /** default − seed, sales refused while seats were free per day. */
  refusedWhileFreeVsSeed: Estimate;
  met: boolean;
}

export interface SimulationResult {
  config: SimulationConfig;
  policies: PolicySummary[];
  /** Present when both the default and the seed's rule were run. */
  goal: GoalCheck | null;
  /** Raw per-day numbers, policy id → one DayMetrics per day, for anyone who wants to redo the statistics. */
  perDay: Record<string, DayMetrics[]>;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, sd: NaN, ci95: [NaN, NaN] };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const half = (1.96 * sd) / Math.sqrt(n);
  return { mean, sd, ci95: [mean - half, mean + half] };
}

export function runSimulation(
  config: SimulationConfig,
  policies: readonly PolicySpec[] = standardPolicies,
): SimulationResult {
  const ids = new Set<string>();
  for (const p of policies) {
    if (ids.has(p.id)) throw new Error(`duplicate policy id "${p.id}"`);
    ids.add(p.id);
  }
  const perDay: Record<string, DayMetrics[]> = Object.fromEntries(policies.map((p) => [p.id, [] as DayMetrics[]]));
  for (let dayIndex = 0; dayIndex < config.days; dayIndex++) {
    const day = generateDay(config.seed, dayIndex, config.day);
    for (const p of policies) perDay[p.id]!.push(simulateDay(day, p, config.model));
  }
  const referenceId = policies.find((p) => p.default)?.id ?? null;
  const reference = referenceId ? perDay[referenceId]! : null;
  const summaries = policies.map((p): PolicySummary => {
    const days = perDay[p.id]!;
    const metrics = Object.fromEntries(metricNames.map((name) => [name, estimate(days.map((d) => d[name]))])) as Record<
      MetricName,
      Estimate
    >;
    const total = (name: MetricName) => days.reduce((acc, d) => acc + d[name], 0);
    const sales = total('sales');
    const arrivals = total('arrivals');
    return {
      id: p.id,
      label: p.label,
      kind: p.kind,
      params: p.params,
      allotments: p.allotments,
      grant: p.grant,
      useSalesRate: p.useSalesRate,
      lan: p.lan,
      default: p.default === true,
      days: days.length,
      metrics,
      casesPer1000Sales: sales > 0 ? (1000 * total('cases')) / sales : 0,
      refusedWhileFreePer1000Arrivals: arrivals > 0 ? (1000 * total('refusedWhileFree')) / arrivals : 0,
      vsReference: reference
        ? {
            reference: referenceId!,
            metrics: Object.fromEntries(
              metricNames.map((name) => [name, estimate(days.map((d, i) => d[name] - reference[i]![name]))]),
            ) as Record<MetricName, Estimate>,
          }
        : null,
    };
  });
  const seed = perDay.seed;
  let goal: GoalCheck | null = null;
  if (reference && seed) {
    const oversold = estimate(reference.map((d, i) => d.oversoldSeats - seed[i]!.oversoldSeats / 5));
    const refused = estimate(reference.map((d, i) => d.refusedWhileFree - seed[i]!.refusedWhileFree));
    goal = {
      policy: referenceId!,
      against: 'seed',
      oversoldVsFifthOfSeed: oversold,
      refusedWhileFreeVsSeed: refused,
      met: oversold.ci95[1] < 0 && refused.ci95[1] < 0,
    };
  }
  return { config, policies: summaries, goal, perDay };
}
