/**
 * simulate.days: simulated conference days per second (6 desks, 40 sessions, default outages), each day drawn
 * from its seed and run under the station's default policy (adaptive allotments sized by core every minute for
 * every desk and session, HQ's grant and reclaim rules, decideSale per buyer).
 * Baseline, same run, same days: the always-sell-offline baseline, which does no policy evaluation and no
 * allotment bookkeeping. ratio = policy rate / baseline rate, i.e. the share of raw simulation speed left once
 * the real policy code runs. The goal is absolute: >= 100 days/s for one policy, generation included, keeps the
 * default CLI run (200 days × 8 policies) under about 15 s; measured ≈ 200 days/s on the 2-core build machine,
 * so the goal leaves room for noise and flags a 2× regression.
 */
import { alwaysOffline, lanyardDefault, standardPolicies, type PolicySpec } from '../tools/simulator/policies';
import { defaultDayOptions, generateDay } from '../tools/simulator/scenario';
import { defaultModelOptions, simulateDay } from '../tools/simulator/simulate-day';
import { type Benchmark, type BenchResult, round } from './harness';

const SEED = 20_240_601;
const CHUNK = 25;
const ROUNDS = 4;
const GOAL = 100;

/** Days per second for `policies` run on days [from, from + count), generation included. */
function rate(policies: readonly PolicySpec[], from: number, count: number): number {
  const started = performance.now();
  for (let i = from; i < from + count; i++) {
    const day = generateDay(SEED, i, defaultDayOptions);
    for (const p of policies) simulateDay(day, p, defaultModelOptions);
  }
  return count / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const benchmarks: Benchmark[] = [
  {
    name: 'simulate.days',
    async run(): Promise<BenchResult> {
      const policy = lanyardDefault;
      rate([policy, alwaysOffline], 0, 10); // warm-up (JIT)
      const policyRates: number[] = [];
      const baselineRates: number[] = [];
      // Alternate policy and baseline on the same days so that machine noise hits both alike.
      for (let r = 0; r < ROUNDS; r++) {
        const from = 100 + r * CHUNK;
        policyRates.push(rate([policy], from, CHUNK));
        baselineRates.push(rate([alwaysOffline], from, CHUNK));
      }
      const genStarted = performance.now();
      for (let i = 0; i < CHUNK; i++) generateDay(SEED, 1000 + i, defaultDayOptions);
      const generationMsPerDay = (performance.now() - genStarted) / CHUNK;
      const comparisonRate = rate(standardPolicies, 500, 10);
      const value = median(policyRates);
      const baseline = median(baselineRates);
      return {
        name: 'simulate.days',
        value: round(value, 1),
        unit: 'days/s',
        baseline: round(baseline, 1),
        ratio: round(value / baseline, 3),
        goal: `>= ${GOAL} days/s`,
        pass: value >= GOAL,
        detail: {
          desks: defaultDayOptions.desks,
          sessions: defaultDayOptions.sessions,
          policy: policy.id,
          baselinePolicy: alwaysOffline.id,
          daysMeasured: ROUNDS * CHUNK,
          generationMsPerDay: round(generationMsPerDay, 2),
          standardComparisonDaysPerSec: round(comparisonRate, 1),
        },
      };
    },
  },
];
