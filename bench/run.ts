/**
 * `npm run bench [-- NAME...]`: runs every benchmark in bench/*.bench.ts (or only the named ones) and prints one
 * JSON line each: {name, value, unit, baseline, ratio, goal, pass}. Exit code 0 even when a goal is missed: the
 * lines are the report.
 *
 * Each benchmark runs in a fresh process that loads only its own file: in one process, a benchmark measured after
 * others shared its heap with their modules and leftovers (~75 MB live instead of ~45 for sync.drain), and V8's
 * collections of that heap, ~100 ms each, fell inside whichever side of a comparison happened to run then.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark, BenchResult } from './harness';

const here = dirname(fileURLToPath(import.meta.url));
const load = async (file: string) =>
  ((await import(pathToFileURL(join(here, file)).href)) as { benchmarks: Benchmark[] }).benchmarks;

const failed = (name: string, e: unknown) =>
  JSON.stringify({
    name,
    value: null,
    unit: null,
    baseline: null,
    ratio: null,
    goal: null,
    pass: false,
    error: String(e),
  });

/** In the child: `run.ts --child FILE NAME` runs the one benchmark and prints its lines. */
async function child(file: string, name: string): Promise<void> {
  const b = (await load(file)).find((x) => x.name === name);
  if (!b) throw new Error(`no benchmark ${name} in ${file}`);
  try {
    const out = await b.run();
    for (const r of (Array.isArray(out) ? out : [out]) as BenchResult[]) console.log(JSON.stringify(r));
  } catch (e) {
    console.log(failed(b.name, e));
  }
}

/** In the parent: the same Node and loader (tsx) as this process, the lines passed through as they come. */
function inFreshProcess(file: string, name: string): Promise<void> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', file, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let printed = false;
    p.stdout.on('data', (d: Buffer) => {
      printed = true;
      process.stdout.write(d);
    });
    p.on('close', (code, signal) => {
      if (code !== 0 && !printed) console.log(failed(name, `its process ended with ${signal ?? `exit code ${code}`}`));
      resolve();
    });
  });
}

const at = process.argv.indexOf('--child');
if (at >= 0) {
  await child(process.argv[at + 1]!, process.argv[at + 2]!);
} else {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const all: { file: string; name: string }[] = [];
  for (const file of files) for (const b of await load(file)) all.push({ file, name: b.name });
  const matches = (w: string, name: string) => name === w || name.startsWith(w + '.');
  const unknown = wanted.filter((w) => !all.some((b) => matches(w, b.name)));
  if (unknown.length) {
    console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${all.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  for (const b of all.filter((x) => !wanted.length || wanted.some((w) => matches(w, x.name))))
    await inFreshProcess(b.file, b.name);
}
// Some libraries keep timers alive after their clients closed (the emulator's AMQP heartbeats): the report is
// complete, so leave once stdout has drained.
process.stdout.write('', () => process.exit(0));
