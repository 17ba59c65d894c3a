/**
 * `npm start [-- --config FILE]`: the desktop app where the Electron binary is installed; where it is not (these
 * build machines install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) the browser mode, printing the address to open and
 * why. Without --config: the embedded default (a desk on the demo conference, moved to today; PNG badges in a
 * folder; demo staff). Ctrl-C or SIGTERM stops it cleanly.
 */
import { spawn } from 'node:child_process';
import { buildElectron } from './electron/build';
import { electronBinary } from './electron/binary';
import { ensureRenderer, repoRoot } from './web/renderer-build';
import { runWeb, type RunningWeb as RunWeb } from './web/cli';

const args = process.argv.slice(2);
const out = (line: string) => console.log(line);
const electron = electronBinary();

if ('path' in electron && !process.env.LANYARD_BROWSER_MODE) {
  await ensureRenderer(out);
  await buildElectron();
  const child = spawn(electron.path, [repoRoot, ...args], { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.once('SIGINT', forward);
  process.once('SIGTERM', forward);
  child.once('exit', (code) => process.exit(code ?? 1));
} else {
  const why = 'path' in electron ? 'LANYARD_BROWSER_MODE is set' : electron.missing;
  out(`Starting in browser mode: ${why}.`);
  // Handlers first: a stop asked for while the station is still starting waits for it, then stops it.
  let running: RunWeb | null = null;
  let quitting = false;
  const finish = async () => {
    await running?.stop();
    out('Stopped: the station closed cleanly.');
    process.exit(process.exitCode ?? 0);
  };
  const quit = () => {
    if (quitting) return;
    quitting = true;
    if (running) void finish();
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  running = await runWeb(args, out, 'no desktop window on this machine');
  if (!running) process.exit(process.exitCode ?? 1);
  if (quitting) await finish();
}
