/**
 * The benchmark contract. Each *.bench.ts file in bench/ exports `benchmarks`; `npm run bench` runs them and
 * prints one JSON line per result. A baseline is always measured in the same run: timings on a shared 2-core
 * machine are noisy, ratios much less so.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The same quantity measured for the baseline (raw library, naive query, ...) in this run; null if the goal is absolute. */
  baseline: number | null;
  /** value / baseline, oriented so that the goal reads naturally (see `goal`). */
  ratio: number | null;
  /** Human-readable goal, e.g. "ratio >= 0.5" or "<= 5 ms". */
  goal: string;
  pass: boolean;
  /** Optional extra figures (p50, counts...) kept beside the line. */
  detail?: Record<string, number | string>;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchResult | BenchResult[]>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * Tomorrow (UTC) by the clock the benchmark runs under: bench conferences sit on it so that nothing the code compares
 * with now (HQ's "starts soon", a session already over) depends on the calendar.
 */
export function benchDay(nowMs = Date.now()): string {
  return new Date(nowMs + 86_400_000).toISOString().slice(0, 10);
}
