/**
 * The runs behind tools/simulator/README.md: `npx tsx tools/simulator/sweep.ts [--days N]` (≈ 1 min at 60 days).
 * Both outage regimes of issue 17 on the same days as `npm run simulate` with the seeds; each lever changed
 * one at a time from the station's default; a bound no station can reach; the venue LAN. Prints Markdown tables:
 * mean per day ± 95% CI half-width, and the paired per-day difference from the default.
 */
import { parseArgs } from 'node:util';
import { defaultGrant } from '../../core/allotment-sizing';
import { lanyardDefault, lanyardFixed, lanyardLan, seedRule, type PolicySpec } from './policies';
import type { DayOptions } from './scenario';
import type { ModelOptions } from './simulate-day';
import { defaultSimulationConfig, estimate, runSimulation, type Estimate } from './simulation';

const { values } = parseArgs({ options: { days: { type: 'string' } } });
const days = Number(values.days ?? 60);
if (!Number.isInteger(days) || days < 2) {
  console.error('sweep: --days must be an integer >= 2');
  process.exit(2);
}

/** Issue 17's two regimes: its command lines and seeds. */
const regimes: { name: string; seed: number; day: Partial<DayOptions> }[] = [
  { name: 'A: desk outages 0.5/h × 20 min (seed 11)', seed: 11, day: {} },
  {
    name: 'B: venue-wide 0.3/h × 30 min + desk 0.1/h (seed 23)',
    seed: 23,
    day: { outageRatePerHour: 0.1, venueOutageRatePerHour: 0.3, venueOutageMeanMin: 30 },
  },
];

const pm = (e: Estimate) => `${e.mean.toFixed(2)} ± ${((e.ci95[1] - e.ci95[0]) / 2).toFixed(2)}`;
const signed = (e: Estimate) => `${e.mean >= 0 ? '+' : ''}${pm(e)}`;

interface Row {
  name: string;
  policy: PolicySpec;
  model?: Partial<ModelOptions>;
  day?: Partial<DayOptions>;
}

/** The seed rule and the default per regime and day options, run once (the rows are paired against them). */
const baseRuns = new Map<string, ReturnType<typeof runSimulation>>();
function baseRun(r: (typeof regimes)[number], day: Partial<DayOptions>) {
  const key = `${r.seed}:${JSON.stringify(day)}`;
  if (!baseRuns.has(key))
    baseRuns.set(
      key,
      runSimulation(
        { ...defaultSimulationConfig, days, seed: r.seed, day: { ...defaultSimulationConfig.day, ...r.day, ...day } },
        [seedRule, lanyardDefault],
      ),
    );
  return baseRuns.get(key)!;
}

/** Runs every row in both regimes, on the same days as the seed rule and the default (default model) it is paired with. */
function table(title: string, rows: Row[], opts: { vsSeed?: boolean } = {}) {
  console.log(`\n### ${title}\n`);
  const head = opts.vsSeed
    ? '| policy | regime | oversold seats | refused while free | oversold − seed/5 | refused while free − seed |'
    : '| variant | regime | oversold seats | refused while free | Δ oversold vs default | Δ refused while free vs default |';
  console.log(head);
  console.log('|---|---|---:|---:|---:|---:|');
  for (const row of rows) {
    for (const r of regimes) {
      const base = baseRun(r, row.day ?? {});
      const res = runSimulation(
        {
          ...defaultSimulationConfig,
          days,
          seed: r.seed,
          day: { ...defaultSimulationConfig.day, ...r.day, ...row.day },
          model: { ...defaultSimulationConfig.model, ...row.model },
        },
        [row.policy],
      );
      const ours = res.perDay[row.policy.id]!;
      const other = opts.vsSeed ? base.perDay.seed! : base.perDay[lanyardDefault.id]!;
      const k = opts.vsSeed ? 0.2 : 1;
      const dO = estimate(ours.map((d, i) => d.oversoldSeats - k * other[i]!.oversoldSeats));
      const dR = estimate(ours.map((d, i) => d.refusedWhileFree - other[i]!.refusedWhileFree));
      const m = res.policies[0]!.metrics;
      console.log(
        `| ${row.name} | ${r.name.slice(0, 1)} | ${pm(m.oversoldSeats)} | ${pm(m.refusedWhileFree)} | ${signed(dO)} | ${signed(dR)} |`,
      );
    }
  }
}

const variant = (name: string, over: Partial<PolicySpec>, params: Partial<PolicySpec['params']> = {}): Row => ({
  name,
  policy: {
    ...lanyardDefault,
    id: `v-${name}`,
    label: name,
    default: false,
    ...over,
    params: { ...lanyardDefault.params, ...params },
  },
});

console.log(
  `Sweeps: ${days} days per row, 6 desks, 40 sessions; regime A = ${regimes[0]!.name}, B = ${regimes[1]!.name}.`,
);
console.log('Mean per day ± 95% CI half-width; differences are paired per day (same days, same buyers, same outages).');

/** Where the refusals while free come from: the tier that refused and the time before the start (simulate-day.ts). */
function breakdown(policies: PolicySpec[]) {
  console.log('\n### Where the refusals while free come from (mean per day)\n');
  console.log(
    '| policy | regime | refused while free | HQ, online | Δ unknown | too stale | floor | margin | cap | ≤ 30 min | 31–90 min | earlier | empty seats after a refusal | its Δ vs seed |',
  );
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const p of policies) {
    for (const r of regimes) {
      const base = baseRun(r, {});
      const res = runSimulation(
        { ...defaultSimulationConfig, days, seed: r.seed, day: { ...defaultSimulationConfig.day, ...r.day } },
        [p],
      );
      const m = res.policies[0]!.metrics;
      const seed = base.perDay.seed!;
      const empty = estimate(
        res.perDay[p.id]!.map((d, i) => d.emptySeatsAfterRefusal - seed[i]!.emptySeatsAfterRefusal),
      );
      const cells = [
        m.refusedOnlineWhileFree,
        m.refusedFreeStalenessUnknown,
        m.refusedFreeTooStale,
        m.refusedFreeFewLeft,
        m.refusedFreeMargin,
        m.refusedFreeCap,
        m.refusedFreeLast30Min,
        m.refusedFree30To90Min,
        m.refusedFreeEarlier,
      ].map((e) => e.mean.toFixed(2));
      console.log(
        `| ${p.label} | ${r.name.slice(0, 1)} | ${pm(m.refusedWhileFree)} | ${cells.join(' | ')} | ${pm(m.emptySeatsAfterRefusal)} | ${p.id === 'seed' ? '—' : signed(empty)} |`,
      );
    }
  }
}

breakdown([seedRule, lanyardFixed, lanyardDefault, lanyardLan('share')]);

table(
  'The default, the LAN and a bound against the seed rule (issue 17’s goal: both differences below 0)',
  [
    { name: 'seed rule', policy: seedRule },
    { name: 'Lanyard default', policy: lanyardDefault },
    { name: 'default + LAN, outage scope only (simulated)', policy: lanyardLan('scope') },
    { name: 'default + LAN, desks share sales (simulated)', policy: lanyardLan('share') },
    {
      name: 'oracle desk (knows when its link returns and what others sell)',
      policy: { ...lanyardDefault, id: 'oracle', label: 'oracle', default: false, oracle: true },
    },
  ],
  { vsSeed: true },
);

table('Seats in hand', [
  variant('no allotments', { allotments: 'none' }),
  variant('fixed blocks of 2 (issue 7)', { allotments: 'fixed' }),
  variant('allotmentCover 0.8', {}, { allotmentCover: 0.8 }),
  variant('allotmentCover 0.95', {}, { allotmentCover: 0.95 }),
  variant('typicalOutageMin 10', {}, { typicalOutageMin: 10 }),
  variant('typicalOutageMin 30', {}, { typicalOutageMin: 30 }),
  variant('allotmentMinSeats 0', {}, { allotmentMinSeats: 0 }),
  variant('allotmentMinSeats 2', {}, { allotmentMinSeats: 2 }),
]);

table('HQ: grants and taking seats back', [
  variant('the share only, no forecast (HQ before issue 17, share 0.08)', {
    grant: { ...defaultGrant, allotmentKeepBack: null },
  }),
  variant('the share only, 0.25 (HQ’s old default)', { grant: { allotmentShare: 0.25, allotmentKeepBack: null } }),
  variant('allotmentShare 0.04', { grant: { ...defaultGrant, allotmentShare: 0.04 } }),
  variant('allotmentShare 0.15', { grant: { ...defaultGrant, allotmentShare: 0.15 } }),
  variant('allotmentKeepBack 1', { grant: { ...defaultGrant, allotmentKeepBack: 1 } }),
  variant('allotmentKeepBack 4', { grant: { ...defaultGrant, allotmentKeepBack: 4 } }),
  variant('grant what is asked', { grant: { allotmentShare: 1, allotmentKeepBack: 0 } }),
  { ...variant('no seats asked back (HQ before issue 17)', {}), model: { reclaim: 'none' } },
  { ...variant('seats taken back at once from desks heard within a minute (unsafe)', {}), model: { reclaim: 'heard' } },
  {
    ...variant('seats taken back from every online desk (an HQ that knows who is online)', {}),
    model: { reclaim: 'online' },
  },
  { ...variant('seats asked back from desks heard within 5 min', {}), model: { askHeardWithinMin: 5 } },
]);

table('The overdraft (decideSale parameters)', [
  variant('μ minus the desk’s own rate', { overdraftRate: 'others' }),
  variant('overdraftCap 2', {}, { overdraftCap: 2 }),
  variant('overdraftCap 3', {}, { overdraftCap: 3 }),
  variant('overdraftCap 5', {}, { overdraftCap: 5 }),
  variant('overdraftCap 1000 (none)', {}, { overdraftCap: 1000 }),
  variant('α 0.01', {}, { alpha: 0.01 }),
  variant('α 0.2', {}, { alpha: 0.2 }),
  variant('maxStalenessMin 60 (the seed’s hour)', {}, { maxStalenessMin: 60 }),
  variant('maxStalenessMin 240', {}, { maxStalenessMin: 240 }),
  variant('minRemainingRatio 0.1 (the seed’s 10%)', {}, { minRemainingRatio: 0.1 }),
  { name: 'Lanyard before issue 17 (fixed blocks, 60 min, 10%, cap 2)', policy: lanyardFixed },
]);

const lanFailures: Partial<DayOptions> = { lanFailureRatePerHour: 0.05, lanFailureMeanMin: 20 };
table(
  'The venue LAN when the LAN itself fails too (0.05/h × 20 min, on top of each regime)',
  [
    { name: 'seed rule', policy: seedRule, day: lanFailures },
    { name: 'Lanyard default', policy: lanyardDefault, day: lanFailures },
    { name: 'default + LAN, desks share sales (simulated)', policy: lanyardLan('share'), day: lanFailures },
  ],
  { vsSeed: true },
);
