/** HQ's log files: `hq.N.log` in the configured folder, as the station's (main/runtime/log.ts, core/logging.ts). */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import roll from 'pino-roll';
import { loggerOptions, rollOptions, type LogConfig } from '../core/logging';

export async function openHqLog(
  dir: string,
  config: LogConfig,
): Promise<{ logger: Logger; close(): Promise<void>; closed(): boolean }> {
  const stream = await roll(rollOptions(join(dir, 'hq'), config));
  // A log file that cannot be written (disk full, folder removed) must never stop HQ: said once on stderr.
  let said = false;
  stream.on('error', (e: Error) => {
    if (!said) process.stderr.write(`hq: the log cannot be written (${e.message}); carrying on without it\n`);
    said = true;
  });
  const logger = pino(
    { ...loggerOptions(config.level, { service: 'hq' }), timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
  let closed = false;
  // Flushes and closes, and resolves even when the file has failed (a failed stream never says 'close').
  const close = once(
    () =>
      new Promise<void>((resolve) => {
        closed = true;
        const timer = setTimeout(resolve, 2000);
        timer.unref();
        const done = () => (clearTimeout(timer), resolve());
        stream.once('close', done);
        stream.once('error', done);
        try {
          logger.flush(() => stream.end());
        } catch {
          done();
        }
      }),
  );
  return { logger, closed: () => closed, close };
}

/** Closing twice (a failed start that also stops) closes once. */
function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null;
  return () => (p ??= f());
}
