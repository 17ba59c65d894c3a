/** The simulator's outputs: a text table for the terminal, results.csv, results.json and chart.svg. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChart } from './chart';
import type { SimulationResult } from './simulation';
import { metricNames } from './simulate-day';

/** The four columns the issue asks for, then the rest. */
const tableMetrics = ['sales', 'oversoldSeats', 'refusedWhileFree', 'cases'] as const;

export function csvField(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(result: SimulationResult): string {
  const header = ['policy', 'label', 'kind', 'default', 'days'];
  for (const m of metricNames) header.push(`${m}_mean`, `${m}_ci95_low`, `${m}_ci95_high`);
  header.push('cases_per_1000_sales', 'refused_while_free_per_1000_arrivals');
  const rows = result.policies.map((p) => {
    const row: (string | number)[] = [p.id, p.label, p.kind, p.default ? 'yes' : '', p.days];
    for (const m of metricNames) {
      const e = p.metrics[m];
      row.push(e.mean, e.ci95[0], e.ci95[1]);
    }
    row.push(p.casesPer1000Sales, p.refusedWhileFreePer1000Arrivals);
    return row.map(csvField).join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

export function toJson(result: SimulationResult): string {
  return JSON.stringify({ format: 'lanyard.simulation/1', ...result }, null, 2) + '\n';
}

export function describeConfig(result: SimulationResult): string {
  const c = result.config;
  const venue =
    c.day.venueOutageRatePerHour > 0
      ? `, venue-wide ${c.day.venueOutageRatePerHour}/h × ${c.day.venueOutageMeanMin} min`
      : '';
  const lan =
    c.day.lanFailureRatePerHour > 0
      ? `, LAN failures ${c.day.lanFailureRatePerHour}/h × ${c.day.lanFailureMeanMin} min`
      : '';
  return `${c.days} days, seed ${c.seed}, ${c.day.desks} desks, ${c.day.sessions} sessions, outages ${c.day.outageRatePerHour}/h per desk × ${c.day.outageMeanMin} min mean${venue}${lan}`;
}

export function formatTable(result: SimulationResult): string {
  const ci = (m: { mean: number; ci95: [number, number] }) =>
    `${m.mean.toFixed(2)} ± ${((m.ci95[1] - m.ci95[0]) / 2).toFixed(2)}`;
  const paired = (e: { mean: number; ci95: [number, number] } | undefined) =>
    e ? `${e.mean >= 0 ? '+' : ''}${e.mean.toFixed(2)} ± ${((e.ci95[1] - e.ci95[0]) / 2).toFixed(2)}` : '-';
  const ref = result.policies.find((p) => p.vsReference)?.vsReference?.reference;
  const head = ['policy', ...tableMetrics.map((m) => `${m}/day`)];
  if (ref) head.push(`Δoversold vs ${ref}`, `ΔrefusedWhileFree vs ${ref}`);
  const rows = result.policies.map((p) => {
    const row = [p.default ? `${p.label} [default]` : p.label, ...tableMetrics.map((m) => ci(p.metrics[m]))];
    if (ref) row.push(paired(p.vsReference?.metrics.oversoldSeats), paired(p.vsReference?.metrics.refusedWhileFree));
    return row;
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const note = ref ? `; Δ columns: paired per-day difference from ${ref} on the same days` : '';
  const out = [
    describeConfig(result) + ` (mean ± 95% CI half-width${note})`,
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  if (result.goal) out.push('', formatGoal(result.goal));
  return out.join('\n') + '\n';
}

/** Issue 17's goal in one line per axis: the paired differences and whether their intervals say so. */
export function formatGoal(g: NonNullable<SimulationResult['goal']>): string {
  const d = (e: { mean: number; ci95: [number, number] }) =>
    `${e.mean >= 0 ? '+' : ''}${e.mean.toFixed(2)} [${e.ci95[0].toFixed(2)}, ${e.ci95[1].toFixed(2)}]`;
  return [
    `goal (${g.policy} against ${g.against}, paired per day, 95% CI): ${g.met ? 'MET' : 'NOT MET'}`,
    `  oversold seats − seed/5:     ${d(g.oversoldVsFifthOfSeed)} ${g.oversoldVsFifthOfSeed.ci95[1] < 0 ? '(below: yes)' : '(below: no)'}`,
    `  refused while free − seed:   ${d(g.refusedWhileFreeVsSeed)} ${g.refusedWhileFreeVsSeed.ci95[1] < 0 ? '(below: yes)' : '(below: no)'}`,
  ].join('\n');
}

export interface WrittenFiles {
  json: string;
  csv: string;
  svg: string;
}

export function writeOutputs(result: SimulationResult, dir: string): WrittenFiles {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'results.json'), csv: join(dir, 'results.csv'), svg: join(dir, 'chart.svg') };
  writeFileSync(files.json, toJson(result));
  writeFileSync(files.csv, toCsv(result));
  writeFileSync(files.svg, renderChart(result.policies, describeConfig(result)));
  return files;
}
