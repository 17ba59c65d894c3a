/**
 * `npm run -s hq -- --config FILE [--verbose]`: runs the HQ seat ledger until SIGINT/SIGTERM.
 * A bad command line or configuration (including a dbPath or conferenceFile that cannot be used) exits with code 2
 * and one line naming the problem; another failure to start exits 1.
 */
import { HqConfigError, loadHqConfig } from './config';
import { describeEvent } from './describe';
import { startHq } from './service';

const usage = 'usage: npm run -s hq -- --config FILE [--verbose]';

function parseArgs(argv: string[]): { config: string; verbose: boolean } {
  let config: string | null = null;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--config') {
      const v = argv[++i];
      if (!v || v.startsWith('--')) throw new HqConfigError('--config needs a file name');
      config = v;
    } else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else if (a === '--verbose') verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else throw new HqConfigError(`unknown argument "${a}"`);
  }
  if (!config) throw new HqConfigError('--config FILE is required');
  return { config, verbose };
}

const oneLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ');

async function main(): Promise<void> {
  let args: ReturnType<typeof parseArgs>;
  let config: ReturnType<typeof loadHqConfig>;
  try {
    args = parseArgs(process.argv.slice(2));
    config = loadHqConfig(args.config);
  } catch (e) {
    console.error(`hq: ${oneLine(e)} (${usage})`);
    process.exit(2);
  }
  const stamp = () => new Date().toISOString();
  const hq = await startHq(config, {
    log: (line) => console.log(`${stamp()} ${line}`),
    onEvent: (e) => {
      const line =
        args.verbose && (e.type === 'availability' || e.type === 'duplicate') ? JSON.stringify(e) : describeEvent(e);
      if (line) console.log(`${stamp()} ${line}`);
    },
  }).catch((e: unknown) => {
    console.error(`hq: ${oneLine(e)}`);
    process.exit(e instanceof HqConfigError ? 2 : 1);
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${stamp()} ${signal}: stopping`);
    hq.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(`hq: stop failed: ${String(e)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

await main();
