/** HQ's log files: `hq.N.log` in the configured folder, as the station's (main/runtime/log.ts, core/logging.ts). */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import roll from 'pino-roll';
import { loggerOptions, rollOptions, type LogConfig } from '../core/logging';

export async function openHqLog(dir: string, config: LogConfig): Promise<{ logger: Logger; close(): Promise<void>; closed(): boolean }> {
  const stream = await roll(rollOptions(join(dir, 'hq'), config));
  const logger = pino({ ...loggerOptions(config.level, { service: 'hq' }), timestamp: pino.stdTimeFunctions.isoTime }, stream);
  let closed = false;
  const close = once(
    () =>
      new Promise<void>((resolve) => {
        closed = true;
        logger.flush(() => {
          stream.once('close', () => resolve());
          stream.end();
        });
      }),
  );
  return { logger, closed: () => closed, close };
}

/** Closing twice (a failed start that also stops) closes once. */
function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | null = null;
  return () => (p ??= f());
}
