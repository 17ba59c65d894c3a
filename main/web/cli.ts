/**
 * `npm run start:web [-- --port N --config FILE]`: a station in browser mode. Serves the screens for the station's
 * mode on http://127.0.0.1:PORT and prints the address to open (it carries this run's token). Without --config it
 * runs the embedded default (a desk on the demo conference, PNG badges in a folder). Stops cleanly on Ctrl-C or
 * SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedConfigFile, type RuntimeConfig } from '../runtime/config';
import { loadStationConfig } from '../runtime/settings-store';
import { userDataDir } from '../runtime/paths';
import { connectHost, forkNodeHost } from '../runtime/remote';
import { ensureRenderer } from './renderer-build';
import { startWebServer } from './server';

export function readConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: RuntimeConfig } | { ok: false; errors: string[] } {
  // The settings a supervisor saved from the console (in the data folder) are laid over the file, or the default.
  if (!file)
    return loadStationConfig(embeddedConfigFile(), { baseDir: userDataDir(env), defaultDataDir: userDataDir(env) });
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return {
      ok: false,
      errors: [
        `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(e as Error).message})`}`,
      ],
    };
  }
  return loadStationConfig(json, { baseDir: dirname(resolve(file)), defaultDataDir: userDataDir(env) });
}

export interface RunningWeb {
  url: string;
  stop(): Promise<void>;
}

/** Starts the station host and the server; `why` is printed with the address (npm start says why it is not Electron). */
export async function runWeb(argv: string[], out: (line: string) => void, why?: string): Promise<RunningWeb | null> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { port: { type: 'string' }, config: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (e) {
    out(`error: ${(e as Error).message}\nusage: npm run start:web -- [--port N] [--config FILE]`);
    process.exitCode = 2;
    return null;
  }
  const port = args.values.port === undefined ? 0 : Number(args.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    out(`error: --port takes a port number (0–65535), got "${args.values.port}"`);
    process.exitCode = 2;
    return null;
  }
  const loaded = readConfig(args.values.config);
  if (!loaded.ok) {
    out(`error: the configuration is not valid:\n${loaded.errors.map((e) => `  ${e}`).join('\n')}`);
    process.exitCode = 2;
    return null;
  }
  const config = loaded.config;
  const rendererDir = await ensureRenderer(out);
  const host = await connectHost(forkNodeHost(), config, { log: (l) => out(`[station] ${l}`) });
  const server = await startWebServer({
    endpoint: host,
    mode: config.mode,
    idleMs: config.staffIdleMin * 60_000,
    rendererDir,
    port,
    log: (l) => out(`[web] ${l}`),
  });
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      await server.close();
      await host.stop();
    })());
  void host.exited.then(async (code) => {
    if (stopping) return;
    out(`the station stopped unexpectedly (${code}); closing`);
    await server.close();
    process.exitCode = 1;
  });
  out(`Lanyard ${config.mode} station "${host.settings.stationId}" in browser mode${why ? ` (${why})` : ''}.`);
  out(`Open ${server.url}`);
  return { url: server.url, stop };
}

const isMain = process.argv[1]?.endsWith('main/web/cli.ts');
if (isMain) {
  // Handlers first: a stop asked for while the station is still starting waits for it, then stops it.
  let running: RunningWeb | null = null;
  let quitting = false;
  const finish = async () => {
    await running?.stop();
    console.log('Stopped: the station closed cleanly.');
    process.exit(process.exitCode ?? 0);
  };
  const quit = () => {
    if (quitting) return;
    quitting = true;
    if (running) void finish();
  };
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  running = await runWeb(process.argv.slice(2), (l) => console.log(l));
  if (!running) process.exit(process.exitCode ?? 1);
  if (quitting) await finish();
}
