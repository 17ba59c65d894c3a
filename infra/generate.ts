/**
 * `npm run topology` writes the files generated from infra/topology.ts; `npm run topology -- --check` only compares
 * them (exit 1 and the names of the stale files); `npm run topology -- --connection-strings [--port N]` prints each
 * principal's connection string for the committed emulator config (development keys, emulator only).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { armTemplate } from './arm-template';
import { emulatorConfig, emulatorConnectionString } from './emulator-config';
import { defineTopology, venueStations } from './topology';

const at = (rel: string) => fileURLToPath(new URL(`../${rel}`, import.meta.url));

/** Path (relative to the repository) → the text it must hold. */
export function generatedFiles(): Map<string, string> {
  const t = defineTopology({ stations: venueStations });
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  return new Map([
    ['tools/servicebus-emulator/lanyard.config.json', json(emulatorConfig(t))],
    ['infra/servicebus.json', json(armTemplate(t))],
  ]);
}

export function staleFiles(): string[] {
  const stale: string[] = [];
  for (const [rel, text] of generatedFiles()) {
    let current: string | null = null;
    try {
      current = readFileSync(at(rel), 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) stale.push(rel);
  }
  return stale;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const usage = 'usage: npm run -s topology [-- --check | --connection-strings [--port N]]';
  if (args[0] === '--check' && args.length === 1) {
    const stale = staleFiles();
    if (stale.length) {
      console.error(`out of date with infra/topology.ts (run \`npm run topology\`): ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log('generated files are up to date');
  } else if (
    args[0] === '--connection-strings' &&
    (args.length === 1 || (args.length === 3 && args[1] === '--port' && /^\d{1,5}$/.test(args[2]!)))
  ) {
    const port = args[2] ? Number(args[2]) : 5672;
    for (const p of defineTopology({ stations: venueStations }).principals)
      console.log(`${p.name}\t${emulatorConnectionString(p.name, port)}`);
  } else if (args.length === 0) {
    for (const [rel, text] of generatedFiles()) {
      writeFileSync(at(rel), text);
      console.log(`wrote ${rel}`);
    }
  } else {
    console.error(usage);
    process.exit(2);
  }
}
