/**
 * `npm run bench [-- NAME...]`: runs every benchmark in bench/*.bench.ts (or only the named ones) and prints one
 * JSON line each: {name, value, unit, baseline, ratio, goal, pass}. Exit code 0 even when a goal is missed: the
 * lines are the report.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const all: Benchmark[] = [];
for (const f of files) {
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { benchmarks: Benchmark[] };
  all.push(...mod.benchmarks);
}
const selected = wanted.length
  ? all.filter((b) => wanted.some((w) => b.name === w || b.name.startsWith(w + '.')))
  : all;
const unknown = wanted.filter((w) => !all.some((b) => b.name === w || b.name.startsWith(w + '.')));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const b of selected) {
  try {
    const out = await b.run();
    for (const r of (Array.isArray(out) ? out : [out]) as BenchResult[]) console.log(JSON.stringify(r));
  } catch (e) {
    console.log(
      JSON.stringify({
        name: b.name,
        value: null,
        unit: null,
        baseline: null,
        ratio: null,
        goal: null,
        pass: false,
        error: String(e),
      }),
    );
  }
}
// Some libraries keep timers alive after their clients closed (the emulator's AMQP heartbeats): the report is
// complete, so leave once stdout has drained.
process.stdout.write('', () => process.exit(0));
