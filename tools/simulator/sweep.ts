/**
 * The sensitivity runs behind the findings in README.md: `npx tsx tools/simulator/sweep.ts [--days N] [--seed S]`.
 * Prints Markdown tables (mean per day ± 95% CI half-width). Not part of `npm run simulate`.
 */
import { parseArgs } from 'node:util';
import { defaultPolicy } from '../../core/conference';
import { allotmentOnly, lanyard, neverOffline, riskOnly, seedRule, standardPolicies, type PolicySpec } from './policies';
import type { DayOptions } from './scenario';
import type { ModelOptions } from './simulate-day';
import { defaultSimulationConfig, runSimulation, type Estimate, type PolicySummary } from './simulation';

const { values } = parseArgs({ options: { days: { type: 'string' }, seed: { type: 'string' } } });
const days = Number(values.days ?? 200);
const seed = Number(values.seed ?? 1);
if (!Number.isInteger(days) || days < 2 || !Number.isInteger(seed) || seed < 0) {
  console.error('sweep: --days must be an integer >= 2 and --seed an integer >= 0');
  process.exit(2);
}

const pm = (e: Estimate) => `${e.mean.toFixed(2)} ± ${((e.ci95[1] - e.ci95[0]) / 2).toFixed(2)}`;

function table(title: string, rows: { name: string; p: PolicySummary }[]) {
  console.log(`\n### ${title}\n`);
  console.log('| policy | sales | offline sales | oversold seats | cases | refused while free | empty seats after a refusal |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const { name, p } of rows) {
    const m = p.metrics;
    console.log(`| ${name} | ${pm(m.sales)} | ${pm(m.offlineSales)} | ${pm(m.oversoldSeats)} | ${pm(m.cases)} | ${pm(m.refusedWhileFree)} | ${pm(m.emptySeatsAfterRefusal)} |`);
  }
}

function run(policies: PolicySpec[], day: Partial<DayOptions> = {}, model: Partial<ModelOptions> = {}) {
  const r = runSimulation(
    { ...defaultSimulationConfig, days, seed, day: { ...defaultSimulationConfig.day, ...day }, model: { ...defaultSimulationConfig.model, ...model } },
    policies,
  );
  return r.policies;
}

const variant = (base: PolicySpec, id: string, label: string, params: Partial<PolicySpec['params']>): PolicySpec => ({
  ...base,
  id,
  label,
  params: { ...base.params, ...params },
});

console.log(`Sweeps: ${days} days per row, seed ${seed}, 6 desks, 40 sessions; mean per day ± 95% CI half-width.`);

table('Standard comparison, default outages (0.5/h per desk, 20 min mean, 10% restarts)', run(standardPolicies).map((p) => ({ name: p.label, p })));

const regimes: [string, Partial<DayOptions>][] = [
  ['short and frequent: 2/h × 5 min', { outageRatePerHour: 2, outageMeanMin: 5 }],
  ['long and rare: 0.2/h × 60 min', { outageRatePerHour: 0.2, outageMeanMin: 60 }],
  ['default + venue-wide 0.2/h × 20 min', { venueOutageRatePerHour: 0.2, venueOutageMeanMin: 20 }],
];
const few = [neverOffline, seedRule, allotmentOnly, riskOnly(0.05), lanyard(0.05)];
for (const [name, day] of regimes) table(`Outage regime: ${name}`, run(few, day).map((p) => ({ name: p.label, p })));

const caps = [0, 1, 2, 3, 5, 1000].map((c) => variant(lanyard(0.05), `cap${c}`, `cap ${c}${c === defaultPolicy.overdraftCap ? ' (default)' : ''}`, { overdraftCap: c }));
table('Lanyard α = 0.05: overdraft cap per desk and session', run(caps).map((p) => ({ name: p.label, p })));

const alphasUncapped = [0.2, 0.05, 0.01, 0.001].map((a) => variant(lanyard(a), `a${a}-nocap`, `α = ${a}, cap 1000`, { overdraftCap: 1000 }));
table('Lanyard without the cap: what α does on its own', run(alphasUncapped).map((p) => ({ name: p.label, p })));

const stale = [15, 30, 60, 120].map((m) => variant(lanyard(0.05), `stale${m}`, `max staleness ${m} min`, { maxStalenessMin: m }));
table('Lanyard α = 0.05: staleness limit', run(stale).map((p) => ({ name: p.label, p })));

const ratio = [0, 0.05, 0.1, 0.2].map((r) => variant(lanyard(0.05), `ratio${r}`, `min remaining ${r * 100}%`, { minRemainingRatio: r }));
table('Lanyard α = 0.05: minimum remaining ratio', run(ratio).map((p) => ({ name: p.label, p })));

const asks = [1, 2, 4, 8].map((ask) => ({ name: `allotment ask ${ask}`, p: run([lanyard(0.05)], {}, { allotmentAsk: ask })[0]! }));
table('Lanyard α = 0.05: allotment block size', asks);

table('HQ reclaiming escrow from online desks before refusing an online sale', [
  { name: 'reclaim (simulator default)', p: run([lanyard(0.05)])[0]! },
  { name: 'no reclaim', p: run([lanyard(0.05)], {}, { reclaimFromOnlineDesks: false })[0]! },
]);
