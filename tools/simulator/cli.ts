/**
 * `npm run simulate -- [options]`: the policy simulator (issue 7). Prints a table per policy and writes
 * results.json, results.csv and chart.svg. Exit code 2 on bad options.
 */
import { parseCli, usage } from './options';
import { formatTable, writeOutputs } from './report';
import { runSimulation } from './simulation';

function main(argv: readonly string[]): number {
  const parsed = parseCli(argv);
  if (parsed.kind === 'help') {
    process.stdout.write(usage);
    return 0;
  }
  if (parsed.kind === 'error') {
    process.stderr.write(`simulate: ${parsed.message}\nRun with --help for the options.\n`);
    return 2;
  }
  const { config, outDir, quiet } = parsed.options;
  const started = performance.now();
  const result = runSimulation(config);
  const seconds = (performance.now() - started) / 1000;
  const files = writeOutputs(result, outDir);
  if (!quiet) {
    process.stdout.write(formatTable(result));
    process.stdout.write(`\n${config.days} days × ${result.policies.length} policies in ${seconds.toFixed(1)} s\n`);
    process.stdout.write(`wrote ${files.json}, ${files.csv}, ${files.svg}\n`);
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
